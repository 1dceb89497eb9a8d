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


@pytest.fixture
def hall(jobs):
    """Cards and hall applications in the small city's months (B3):

    - 甲一 holds a card issued 10 January, its electronic form from 20 February; 乙二 a card
      issued 5 February, cancelled (lost) 15 March and replaced the same day; 丙三 has none
      (all three live in 120101);
    - three applications of 120101: two decided in February on the web (4 and 10 days, the
      second past its promise after two visits), one at the counter in March (1 day); one
      still open and one withdrawn, neither counted.
    """
    from django.contrib.auth import get_user_model

    from hrss.card.models import Card
    from hrss.servicehall.models import Application, ServiceItem
    from hrss.servicehall.services.processes import process_current

    stamp = lambda day: dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    first, second, _third = jobs.seekers[0], jobs.seekers[1], None

    def card(person, number, issued, **extra):
        return Card.objects.create(
            person=person,
            number=number,
            status=extra.pop("status", "active"),
            kind="first",
            channel="counter",
            applied_at=stamp(issued),
            issued_at=stamp(issued),
            **extra,
        )

    card(first, "A00000001", dt.date(2025, 1, 10), ecard_issued_at=stamp(dt.date(2025, 2, 20)))
    card(second, "A00000002", dt.date(2025, 2, 5), status="cancelled", cancelled_at=stamp(dt.date(2025, 3, 15)))
    card(second, "A00000003", dt.date(2025, 3, 15))

    item = ServiceItem.objects.get(code="SH-JY-001")
    process = process_current(item.process_key)
    user = get_user_model().objects.create(username="hall-stats")

    def application(n, channel, submitted, decided, promised, status="approved", visits=0):
        return Application.objects.create(
            reference=f"HALL-{n}",
            item=item,
            process=process,
            applicant_person=first,
            district_id="120101",
            channel=channel,
            submitted_by=user,
            idempotency_key=f"k{n}",
            payload_hash="0" * 64,
            status=status,
            submitted_at=stamp(submitted),
            promised_by=promised,
            decided_at=stamp(decided) if decided else None,
            visits=visits,
        )

    application(1, "web", dt.date(2025, 2, 3), dt.date(2025, 2, 7), dt.date(2025, 2, 10))
    application(2, "web", dt.date(2025, 2, 10), dt.date(2025, 2, 20), dt.date(2025, 2, 17), "rejected", 2)
    application(3, "counter", dt.date(2025, 3, 3), dt.date(2025, 3, 4), dt.date(2025, 3, 10), visits=1)
    application(4, "web", dt.date(2025, 3, 5), None, dt.date(2025, 3, 20), "in_progress")
    application(5, "web", dt.date(2025, 3, 6), dt.date(2025, 3, 7), None, "withdrawn")
    return jobs
