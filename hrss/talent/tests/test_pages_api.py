"""The institution's and the bureau's pages and the API: scoped, in Chinese, bad input as a
clear 4xx in the one error shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hrss.core import scope as roles
from hrss.core.models import AuditEntry
from hrss.servicehall.tests.builders import bearer
from hrss.talent.models import Decision, RecruitmentPlan
from hrss.talent.tests import builders
from hrss.testing import make_user, sign_in

pytestmark = pytest.mark.django_db


def test_the_institution_applies_for_a_plan_on_its_page(unit):
    client = sign_in(Client(), unit.agent)
    page = client.get("/talent/institution/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "天津市示范中学" in text and "编制" in text and "申请" in text
    from hrss.talent import selectors

    basic = selectors.standard_wage(unit.staff[0], on=dt.date.today())
    assert basic is not None and basic > 0 and f"{basic:.2f}" in text  # the tables' basic wage of each member
    post = unit.posts["p10"]
    answer = client.post(
        "/talent/institution/plans/",
        {"year": dt.date.today().year, "kind": "full", f"numbers_{post.pk}": "2", "idempotency_key": "page-1"},
        follow=True,
    )
    assert answer.status_code == 200
    plan = RecruitmentPlan.objects.get()
    assert plan.numbers == 2 and plan.status == Decision.SUBMITTED
    refused = client.post(
        "/talent/institution/plans/",
        {"year": dt.date.today().year, "kind": "full", f"numbers_{post.pk}": "9", "idempotency_key": "page-2"},
        follow=True,
    )
    assert "编制" in refused.content.decode() and RecruitmentPlan.objects.count() == 1
    # What was typed is kept for the form it was typed into, once.
    kept = refused.content.decode()
    assert f'name="numbers_{post.pk}" type="number" min="0" max="1000" value="9"' in kept
    again = client.get("/talent/institution/").content.decode()
    assert f'name="numbers_{post.pk}" type="number" min="0" max="1000" value="0"' in again
    wage = client.post(
        "/talent/institution/wages/",
        {"staff": str(unit.staff[0].pk), "scale_step": "99", "effective_on": "2026-01-01", "allowances": ["x", "y"]},
        follow=True,
    ).content.decode()
    assert 'id="wage-step" name="scale_step" type="number" min="1" max="65" required value="99"' in wage
    assert 'value="2026-01-01"' in wage


def test_allowances_are_offered_in_natural_order():
    from hrss.talent import rules, selectors

    codes = [row.code for row in selectors.allowances()]
    ages = [code for code in codes if code.startswith("teaching_age_")]
    assert ages == ["teaching_age_5", "teaching_age_10", "teaching_age_15", "teaching_age_20"]
    assert sorted(["a10", "a9", "b1"], key=rules.natural_key) == ["a9", "a10", "b1"]


def test_an_agent_of_another_employer_sees_no_institution():
    from hrss.testing import make_employer

    agent = make_user("talent-company-agent", roles.EMPLOYER_AGENT, employer=make_employer(name="一家公司"))
    page = sign_in(Client(), agent).get("/talent/institution/")
    assert page.status_code == 200 and "不是" in page.content.decode()


def test_staff_see_their_districts_institutions_and_reading_staff_is_audited(unit):
    near = make_user("talent-reviewer-hp", roles.REVIEWER, districts=["120101"])
    far = make_user("talent-reviewer-hx", roles.REVIEWER, districts=["120103"])
    listed = sign_in(Client(), near).get("/talent/")
    assert listed.status_code == 200 and "天津市示范中学" in listed.content.decode()
    assert "天津市示范中学" not in sign_in(Client(), far).get("/talent/").content.decode()
    detail = f"/talent/institutions/{unit.institution.pk}/"
    assert sign_in(Client(), far).get(detail).status_code == 404
    assert sign_in(Client(), near).get(detail).status_code == 200
    assert AuditEntry.objects.filter(action="talent.staff.read", actor=near.username).exists()


def test_the_api_lists_and_refuses_in_the_one_error_shape(unit):
    agent = bearer(unit.agent)
    mine = agent.get("/api/v1/talent/institutions").json()
    assert [row["name"] for row in mine] == ["天津市示范中学"]
    detail = agent.get(f"/api/v1/talent/institutions/{unit.institution.pk}").json()
    assert detail["quotas"][0]["quota"] == 5 and detail["quotas"][0]["free"] == 3
    body = {
        "year": dt.date.today().year,
        "kind": "full",
        "posts": [{"post": str(unit.posts["p10"].pk), "numbers": 4}],
        "idempotency_key": "api-1",
    }
    refused = agent.post("/api/v1/talent/plans", body, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "quota_exceeded"
    assert set(refused.json()) == {"code", "message", "fields"}
    body["posts"][0]["numbers"] = 1
    made = agent.post("/api/v1/talent/plans", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["numbers"] == 1
    staff = agent.get(f"/api/v1/talent/institutions/{unit.institution.pk}/staff").json()
    assert len(staff) == 2 and "*" in staff[0]["id_number"]
    wage = agent.post(
        "/api/v1/talent/wage-approvals",
        {
            "staff": staff[0]["id"],
            "effective_on": dt.date.today().isoformat(),
            "scale_step": 99,
            "idempotency_key": "w",
        },
        content_type="application/json",
    )
    assert wage.status_code == 422
    other = bearer(builders.make_unit(name="另一所学校", district="120103").agent)
    assert other.get(f"/api/v1/talent/institutions/{unit.institution.pk}").status_code == 404
    citizen = bearer(make_user("talent-citizen", roles.CITIZEN))
    assert citizen.get("/api/v1/talent/plans").status_code == 403
