"""The training pages: public catalogue and verification, the citizen's, the institution's, supervision."""

from __future__ import annotations

import pytest
from django.test import Client

from hrss.testing import sign_in
from hrss.training.tests import builders

pytestmark = pytest.mark.django_db


def test_public_pages_in_chinese(town):
    builders.course(town)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = client.get("/training/").content.decode()
    assert "电工（五级）实名制培训班" in page and "紧缺职业" in page
    assert "核验证书" in client.get("/training/verify/").content.decode()


def test_the_citizen_enrols_on_the_page_and_sees_the_certificate_and_its_verification(town):
    course = builders.course(town)
    client = sign_in(Client(), town.citizen)
    assert client.post(f"/training/courses/{course.pk}/enrol/").status_code == 302
    assert "电工（五级）实名制培训班" in client.get("/training/my/").content.decode()
    for session in course.sessions.all():
        builders.sign_in_face(town, session, town.citizen, at=session.starts_at)
    enrolment = course.enrolments.get()
    agent = sign_in(Client(), town.agent)
    assert agent.post(f"/training/institution/enrolments/{enrolment.pk}/complete/").status_code == 302
    certificate = builders.certified(town)
    assert certificate.number in client.get("/training/my/").content.decode()
    verified = Client().get("/training/verify/", {"number": certificate.number}).content.decode()
    assert 'id="verification"' in verified and "学**" in verified and town.citizen.person.name not in verified


def test_the_institution_and_supervision_pages(town):
    builders.course(town)
    assert sign_in(Client(), town.agent).get("/training/institution/").status_code == 200
    assert sign_in(Client(), town.approver).get("/training/supervision/").status_code == 200
    assert sign_in(Client(), town.citizen).get("/training/supervision/").status_code == 403
    assert sign_in(Client(), town.agent).get("/training/my/").status_code == 403
