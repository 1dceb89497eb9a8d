"""What a list or detail operation of the API costs in queries, so an N+1 fails the suite.

Each list operation is asked twice: with one record, then with several more; the number of
queries must not grow with the records, and stays within a pinned ceiling. Detail
operations are pinned too. Requests go through the whole stack (middleware, bearer token,
scope, audit), as a client's would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hrss.identity.auth import token_create
from hrss.servicehall.tests.builders import ARBITRATION_FORM, make_city, submit
from hrss.testing import make_employer, make_employment, make_person, make_user

pytestmark = pytest.mark.django_db
MORE = 4


def bearer(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


def queries(client: Client, path: str) -> int:
    client.get(path)  # warm: the token, code tables and caches a first request fills
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return len(captured)


def flat(client: Client, path: str, add: Callable[[int], Any], ceiling: int) -> None:
    """The same number of queries for one record and for 1 + MORE records."""
    one = queries(client, path)
    for n in range(MORE):
        add(n)
    many = queries(client, path)
    assert many == one, f"{path}: {one} queries for one record, {many} for {1 + MORE} (N+1)"
    assert many <= ceiling, f"{path}: {many} queries, more than the {ceiling} pinned"


def test_registry_persons_employers_and_employments_lists():
    clerk = bearer(make_user("clerk", "counter_clerk", city_wide=True))
    person = make_person(name="甲")
    employer = make_employer(name="单位甲")
    make_employment(person, employer, start=dt.date(2015, 1, 1))
    flat(clerk, "/api/v1/registry/persons?limit=50", lambda n: make_person(name=f"乙{n}"), ceiling=12)
    flat(clerk, "/api/v1/registry/employers?limit=50", lambda n: make_employer(name=f"单位{n}"), ceiling=12)

    def another_job(n: int) -> None:
        make_employment(
            person, make_employer(name=f"前单位{n}"), start=dt.date(2000 + n, 1, 1), end=dt.date(2000 + n, 12, 31)
        )

    flat(clerk, f"/api/v1/registry/persons/{person.id_number}/employments", another_job, ceiling=14)
    assert queries(clerk, f"/api/v1/registry/persons/{person.id_number}") <= 12
    assert queries(clerk, "/api/v1/identity/me") <= 6
    assert queries(Client(), "/api/v1/codes/districts") <= 2


def test_servicehall_applications_queue_and_catalogue():
    city = make_city()
    citizen, clerk = bearer(city.citizen), bearer(city.clerk)
    first = submit(city)

    def another(n: int) -> None:
        person = make_person(name=f"申请人{n}", district="120101")
        user = make_user(f"applicant{n}", "citizen", person=person)
        submit(city, user=user)

    flat(clerk, "/api/v1/servicehall/work-items", another, ceiling=20)
    # Arbitration claims may be open side by side (a second unemployment registration is refused).
    flat(citizen, "/api/v1/servicehall/applications", lambda n: submit(city, "SH-ZC-001", ARBITRATION_FORM), ceiling=20)
    assert queries(citizen, f"/api/v1/servicehall/applications/{first.reference}") <= 30
    assert queries(Client(), "/api/v1/servicehall/items") <= 6


def test_card_holder_uses_and_card():
    from hrss.card import services
    from hrss.card.tests.builders import active_card, agency_scope

    person = make_person(name="持卡人")
    card = active_card(_tmp(), person)
    holder = bearer(make_user("holder", "citizen", person=person))

    def use(n: int) -> None:
        services.card_use_record(
            scope=agency_scope("card:use:record"),
            card=card,
            kind="identity_check",
            channel="counter",
            reference=f"c{n}",
        )

    use(-1)
    flat(holder, "/api/v1/card/me/uses", use, ceiling=12)
    assert queries(holder, "/api/v1/card/me") <= 14


def test_insurance_my_contributions_account_and_enrolments():
    from hrss.insurance import services
    from hrss.insurance.tests.builders import employee

    firm = make_employer(name="参保单位", industry="65")
    worker = employee(firm, wage=Decimal("9000"), name="参保人", birth=dt.date(1980, 3, 1), sex="M")
    services.contribution_assess_month(period=dt.date(2025, 1, 1))
    citizen = bearer(make_user("insured", "citizen", person=worker))
    flat(
        citizen,
        "/api/v1/insurance/me/contributions",
        lambda n: services.contribution_assess_month(period=dt.date(2025, 2 + n, 1)),
        ceiling=14,
    )
    assert queries(citizen, "/api/v1/insurance/me/account") <= 14
    assert queries(citizen, "/api/v1/insurance/me/enrolments") <= 12
    assert queries(citizen, "/api/v1/insurance/me/benefits") <= 12


def test_insurance_staff_lists():
    clerk = bearer(make_user("ins_clerk", "counter_clerk", city_wide=True))
    make_person(name="无业甲", birth=dt.date(1990, 1, 1))

    def uninsured(n: int) -> None:
        make_person(name=f"无业{n}", birth=dt.date(1991, 1, 1 + n))

    flat(clerk, "/api/v1/insurance/universal/persons?on=2025-03-15&limit=50", uninsured, ceiling=14)
    flat(clerk, "/api/v1/insurance/universal/districts?on=2025-03-15", uninsured, ceiling=14)
    assert queries(clerk, "/api/v1/insurance/recovery-cases") <= 14
    assert queries(clerk, "/api/v1/insurance/universal/reminders?period=2025-03") <= 14


def _tmp() -> Any:
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp(prefix="hrss-qc-"))


def test_labor_cases_mine_workbench_and_detail():
    city = make_city()
    citizen = bearer(city.citizen)
    arbitrator = bearer(make_user("arbitrator", "arbitrator", city_wide=True))
    first = submit(city, "SH-ZC-001", ARBITRATION_FORM)

    def another(n: int) -> None:
        submit(city, "SH-ZC-001", {**ARBITRATION_FORM, "respondent": f"单位{n}"})

    flat(citizen, "/api/v1/labor/cases/mine", another, ceiling=10)
    flat(arbitrator, "/api/v1/labor/cases", another, ceiling=12)
    assert queries(arbitrator, f"/api/v1/labor/cases/{first.reference}") <= 12
    assert queries(citizen, f"/api/v1/labor/cases/{first.reference}") <= 10


def test_employment_vacancies_and_matches():
    from hrss.employment.tests import builders

    agent, seeker = builders.agent(), builders.seeker()
    builders.profile(seeker)
    first = builders.vacancy(agent)
    employer, citizen = bearer(agent), bearer(seeker)
    flat(employer, "/api/v1/employment/vacancies", lambda n: builders.vacancy(agent, title=f"岗位{n}"), ceiling=10)
    flat(citizen, "/api/v1/employment/me/matches", lambda n: builders.vacancy(agent, title=f"新岗位{n}"), ceiling=10)
    assert queries(citizen, f"/api/v1/employment/vacancies/{first.pk}") <= 8
    assert queries(citizen, "/api/v1/employment/me/profile") <= 8
    assert queries(citizen, "/api/v1/employment/me/registration") <= 8
