"""Insurance API for citizens, employers and staff: scoped, one error shape."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from hrss.identity.auth import token_create
from hrss.insurance import services
from hrss.insurance.tests.builders import employee
from hrss.testing import make_employer, make_employment, make_person, make_user

pytestmark = pytest.mark.django_db
BASE = "/api/v1/insurance"


def bearer(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


@pytest.fixture
def city():
    firm = make_employer(name="软件公司", industry="65")
    other = make_employer(name="别家", industry="52")
    worker = employee(firm, wage=Decimal("10000"), name="程序员", birth=dt.date(1970, 3, 1), sex="M")
    services.contribution_assess_month(period=dt.date(2025, 3, 1))
    return {
        "firm": firm,
        "other": other,
        "worker": worker,
        "citizen": bearer(make_user("worker", "citizen", person=worker)),
        "agent": bearer(make_user("hr", "employer_agent", employer=firm)),
        "clerk": bearer(make_user("clerk", "counter_clerk", city_wide=True)),
    }


def test_citizen_reads_contributions_account_and_enrolments(city):
    months = city["citizen"].get(f"{BASE}/me/contributions?year=2025").json()
    pension = next(m for m in months if m["insurance_type"] == "pension_enterprise")
    assert pension == {
        "period": "2025-03",
        "insurance_type": "pension_enterprise",
        "employer_id": str(city["firm"].pk),
        "base": "10000.00",
        "employer_amount": "1600.00",
        "individual_amount": "800.00",
        "account_amount": "800.00",
        "corrected": False,
    }
    account = city["citizen"].get(f"{BASE}/me/account").json()
    assert account == {"balance": "0.00", "contribution_months": 1, "entries": []}  # not paid yet
    spells = city["citizen"].get(f"{BASE}/me/enrolments").json()
    assert len(spells) == 4 and {s["category"] for s in spells} == {"employee"}


def test_citizen_estimate_is_prefilled_from_the_record(city):
    response = city["citizen"].get(f"{BASE}/me/estimate")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["retirement_category"] == "male"
    assert body["retirement_month"] == "2031-07-01"  # born 1970-03: 60 + (62 // 4 + 1) months = 61y4m
    assert body["inputs"]["contribution_months"] == 1
    assert body["inputs"]["average_index"] == "1.1969"  # 10000 / 8355
    assert body["minimum_met"] is False
    assert body["estimate"]["total"] == body["estimate"]["basic_pension"]  # no account balance yet


def test_unbound_and_anonymous_callers(city):
    assert Client().get(f"{BASE}/me/account").status_code == 401
    unbound = bearer(make_user("nobody", "citizen"))
    response = unbound.get(f"{BASE}/me/account")
    assert (response.status_code, response.json()["code"]) == (403, "not_bound")


def test_citizen_enrols_as_flexible_worker_online():
    person = make_person(name="骑手")
    client = bearer(make_user("rider", "citizen", person=person))
    response = client.post(
        f"{BASE}/me/enrolments", {"start_month": "2025-04-01", "base": "5000"}, content_type="application/json"
    )
    assert response.status_code == 422 and "base" in response.json()["fields"]  # below the 5013 floor
    response = client.post(
        f"{BASE}/me/enrolments", {"start_month": "2025-04-01", "base": "6000"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()[0]["category"] == "flexible"


def test_employer_enrols_declares_and_reads_its_statement(city):
    newcomer = make_person(name="新员工")
    make_employment(newcomer, city["firm"], start=dt.date(2025, 3, 1))
    code = city["firm"].credit_code
    response = city["agent"].post(
        f"{BASE}/employers/{code}/enrolments",
        {"id_number": newcomer.id_number, "insurance_types": ["pension_enterprise"], "start_month": "2025-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = city["agent"].post(
        f"{BASE}/employers/{code}/declarations",
        {"year": 2025, "lines": [{"id_number": newcomer.id_number, "average_monthly_wage": "3000"}]},
        content_type="application/json",
    )
    assert response.json() == [
        {"person_id": str(newcomer.pk), "declared_wage": "3000.00", "base": "5013.00", "clamped": "floor"}
    ]
    statement = city["agent"].get(f"{BASE}/employers/{code}/statements/2025-03").json()
    assert statement["due"] == "3520.00" and statement["outstanding"] == "3520.00"
    assert {t["insurance_type"] for t in statement["totals"]} == {
        "pension_enterprise",
        "medical_employee",
        "unemployment",
        "work_injury",
    }
    stopped = city["agent"].post(
        f"{BASE}/employers/{code}/enrolments/stop",
        {
            "id_number": newcomer.id_number,
            "insurance_types": ["pension_enterprise"],
            "last_month": "2025-06-01",
            "reason": "left_employer",
        },
        content_type="application/json",
    )
    assert stopped.status_code == 200 and stopped.json()[0]["end_month"] == "2025-06-01"


def test_employer_cannot_reach_another_employer_or_a_stranger(city):
    other = city["other"].credit_code
    assert city["agent"].get(f"{BASE}/employers/{other}/statements/2025-03").status_code == 404
    stranger = make_person(name="陌生人")
    response = city["agent"].post(
        f"{BASE}/employers/{city['firm'].credit_code}/enrolments",
        {"id_number": stranger.id_number, "insurance_types": ["pension_enterprise"], "start_month": "2025-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_staff_correct_and_see_runs_and_universal_enrolment(city):
    run = city["clerk"].get(f"{BASE}/assessments/2025-03").json()
    assert (run["status"], run["rows_inserted"]) == ("completed", 1)  # one person, one payer
    response = city["clerk"].post(
        f"{BASE}/persons/{city['worker'].id_number}/corrections",
        {"period": "2025-03", "insurance_type": "pension_enterprise", "base": "12000", "reason": "pay rise"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["old_base"], response.json()["new_base"]) == ("10000.00", "12000.00")
    make_person(name="无业", birth=dt.date(1992, 1, 1))
    counts = city["clerk"].get(f"{BASE}/universal/districts?on=2025-03-15").json()
    assert counts == [{"district": "120101", "uninsured": 1}]
    persons = city["clerk"].get(f"{BASE}/universal/persons?district=120101&on=2025-03-15").json()
    assert [(p["name"], p["district"]) for p in persons] == [("无业", "120101")]
    assert "*" in persons[0]["id_number"] or len(persons[0]["id_number"]) == 18
    reminders = city["clerk"].get(f"{BASE}/universal/reminders?period=2025-03").json()
    assert (reminders["period"], reminders["reminders"]) == ("2025-03", 0)
    assert city["citizen"].get(f"{BASE}/universal/districts").status_code == 403
    assert city["clerk"].get(f"{BASE}/recovery-cases").json() == []


def test_statement_query_count_does_not_grow_with_employees(city, django_assert_max_num_queries):
    for n in range(3):
        employee(city["firm"], name=f"员工{n}")
    services.contribution_assess_month(period=dt.date(2025, 4, 1))
    with django_assert_max_num_queries(14):
        response = city["agent"].get(f"{BASE}/employers/{city['firm'].credit_code}/statements/2025-04")
    assert len(response.json()["lines"]) == 16


def test_bad_period_is_a_422(city):
    response = city["agent"].get(f"{BASE}/employers/{city['firm'].credit_code}/statements/2025-3x")
    assert (response.status_code, response.json()["fields"]) == (422, {"period": "2025-3x"})


def test_dates_without_policy_figures_are_a_422_naming_the_field(city):
    response = city["citizen"].get(f"{BASE}/me/estimate?retirement_month=2000-01-01")
    assert (response.status_code, list(response.json()["fields"])) == (422, ["retirement_month"])
    response = city["clerk"].get(f"{BASE}/universal/districts?on=1970-01-01")
    assert (response.status_code, list(response.json()["fields"])) == (422, ["on"])
    response = city["citizen"].get(f"{BASE}/me/contributions?year=143827")
    assert (response.status_code, list(response.json()["fields"])) == (422, ["year"])
