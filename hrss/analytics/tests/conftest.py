"""A small insured city for the analytics tests, built through the real services, and a lake
of its own under the test's temporary directory."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from hrss.insurance import rules
from hrss.insurance import services as insurance
from hrss.insurance.tests.builders import agent, assess, employee, employer
from hrss.servicehall.tests.builders import browser, seed_data  # noqa: F401 - browser fixtures


@pytest.fixture
def lake_root(tmp_path, settings):
    settings.HRSS_LAKE_ROOT = str(tmp_path / "lake")
    return tmp_path / "lake"


@pytest.fixture
def city(db):
    """Two employers in two districts and industries, three months of 2025:

    - 机械厂 (120101, division 34 of section C): 甲 (wage 9,000) and 乙 (7,000) from January;
      乙 leaves after February (减员);
    - 超市 (120103, division 52 of section F): 丙 (6,000) from February.
    """
    factory = employer(name="机械厂", district="120101", industry="34")
    shop = employer(name="超市", district="120103", industry="52")
    jan, feb = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    first = employee(factory, start=jan, wage=Decimal("9000"), name="甲一", birth=dt.date(1980, 1, 2))
    second = employee(factory, start=jan, wage=Decimal("7000"), name="乙二", birth=dt.date(1991, 6, 3), sex="F")
    third = employee(shop, start=feb, wage=Decimal("6000"), name="丙三", birth=dt.date(2000, 9, 4))
    insurance.enrolment_stop(
        scope=agent(factory),
        person_id=second.pk,
        employer_id=factory.pk,
        insurance_types=list(rules.ASSESSED_INSURANCES),
        last_month=feb,
        reason="left_employer",
    )
    assess(jan, 3)
    return SimpleNamespace(factory=factory, shop=shop, persons=[first, second, third])


@pytest.fixture
def jobs(city):
    """Vacancies and registered unemployed seekers in the small city's months (E3, R2):

    - 机械厂 (120101) asks for 3 专业技术人员 (2-02, 本科) from 15 January, valid until the end
      of February; 超市 (120103) for 2 服务人员 (4-01) from 10 February, closed on 20 February;
    - 甲一 registered unemployed 10 to 31 January, with no profile; 乙二 from 5 March, wanting
      2-02 with 本科.
    """
    from hrss.employment.models import JobSeekerProfile, UnemploymentRegistration, Vacancy

    def vacancy(employer, district, occupation, headcount, valid_until, **extra):
        return Vacancy.objects.create(
            employer=employer,
            title="岗位",
            description="岗位说明",
            occupation_id=occupation,
            district_id=district,
            wage_min=Decimal("5000"),
            wage_max=Decimal("8000"),
            headcount=headcount,
            valid_until=valid_until,
            posted_by="test",
            **extra,
        )

    first = vacancy(city.factory, "120101", "2-02", 3, dt.date(2025, 2, 28), education_id="20")
    second = vacancy(city.shop, "120103", "4-01", 2, dt.date(2025, 3, 31), status=Vacancy.Status.CLOSED)
    stamp = lambda day: dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    Vacancy.objects.filter(pk=first.pk).update(created_at=stamp(dt.date(2025, 1, 15)))
    Vacancy.objects.filter(pk=second.pk).update(
        created_at=stamp(dt.date(2025, 2, 10)), updated_at=stamp(dt.date(2025, 2, 20))
    )
    one, two = city.persons[0], city.persons[1]
    UnemploymentRegistration.objects.create(
        person=one,
        unemployed_since=dt.date(2025, 1, 5),
        registered_on=dt.date(2025, 1, 10),
        status="ended",
        ended_on=dt.date(2025, 1, 31),
        hall_reference="JOBS-1",
        registered_by="test",
    )
    UnemploymentRegistration.objects.create(
        person=two,
        unemployed_since=dt.date(2025, 3, 1),
        registered_on=dt.date(2025, 3, 5),
        hall_reference="JOBS-2",
        registered_by="test",
    )
    JobSeekerProfile.objects.create(person=two, occupations=["2-02"], education_id="20")
    return SimpleNamespace(vacancies=[first, second], seekers=[one, two])
