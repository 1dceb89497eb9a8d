"""Courses recommended to a citizen: from what they want as a job seeker (the employment app's
declared ``seeker_facts``), then their employment history, then the shortage list."""

from __future__ import annotations

import pytest
from django.test import Client

from hrss.employment.models import JobSeekerProfile
from hrss.testing import sign_in
from hrss.training import selectors
from hrss.training.tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(town):
    electrician = builders.course(town, title="电工（五级）实名制培训班")
    carer = builders.course(town, title="养老护理员（五级）培训班", qualification="4-10-01-05")
    return electrician, carer


def titles(town) -> list[tuple[str, tuple[str, ...]]]:
    found = selectors.recommended_courses(scope=builders.scope(town.citizen))
    return [(r.course.title, r.reasons) for r in found]


@pytest.mark.parametrize(
    ("wanted", "first"),
    [(["4-10"], "养老护理员（五级）培训班"), (["6-31"], "电工（五级）实名制培训班")],
)
def test_the_occupations_a_seeker_wants_come_first(town, courses, wanted, first):
    JobSeekerProfile.objects.create(person=town.citizen.person, occupations=wanted)
    found = titles(town)
    assert found[0] == (first, ("wanted", "shortage"))
    assert [reasons for _, reasons in found[1:]] == [("shortage",)]


def test_without_intentions_the_shortage_list_still_recommends(town, courses):
    assert sorted(reasons for _, reasons in titles(town)) == [("shortage",), ("shortage",)]


def test_the_citizen_reads_why_in_chinese(town, courses):
    JobSeekerProfile.objects.create(person=town.citizen.person, occupations=["4-10"])
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), town.citizen)
    page = client.get("/training/my/").content.decode()
    section = page[page.index("为您推荐") :]
    assert section.index("养老护理员（五级）培训班") < section.index("电工（五级）实名制培训班")
    assert "您希望从事的职业" in section and "紧缺职业" in section


def test_the_training_app_finds_the_seekers_facts_through_the_declaration():
    from hrss.employment import seeker_facts

    assert selectors.seekers.get() is seeker_facts
