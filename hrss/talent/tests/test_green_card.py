"""The talent green card (R1) through the hall (SH-RC-001): eligibility from the registry and
the dated policy data, issue after approval, one valid card per person; its benefits applied
for by the holder and decided by the bureau."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.talent import rules, selectors, services
from hrss.talent.errors import GreenCardBenefitOpen, GreenCardHeld, GreenCardMissing
from hrss.talent.models import Decision, GreenCard
from hrss.talent.tests import builders
from hrss.talent.tests.builders import scope
from hrss.testing import make_employer, make_user

pytestmark = pytest.mark.django_db


def _thresholds(**values: object) -> rules.GreenCardThresholds:
    base: dict[str, object] = {
        "degree_min": 2,
        "title_min": 1,
        "award_min": 0,
        "annual_salary_min": Decimal("100000"),
        "employer_types": frozenset({"91"}),
    }
    return rules.GreenCardThresholds(**{**base, **values})  # type: ignore[arg-type]


def test_any_route_qualifies_but_only_with_an_admitted_employer():
    thresholds = _thresholds()
    none = {"degree": "none", "title": "none", "award": "none"}
    assert rules.green_card_eligibility(
        thresholds, **none, annual_salary=Decimal("117600"), employer_credit_code="91120101MA05K1230Y"
    ).routes_met == ("salary",)
    assert not rules.green_card_eligibility(
        thresholds, **none, annual_salary=Decimal("99999.99"), employer_credit_code="91120101MA05K1230Y"
    ).eligible
    masters = rules.green_card_eligibility(
        thresholds, degree="master", title="none", award="national", annual_salary=None, employer_credit_code="91X"
    )
    assert masters.routes_met == ("degree",) and masters.eligible  # award_min 0: no award route
    assert not rules.green_card_eligibility(
        thresholds, degree="doctorate", title="senior", award="none", annual_salary=None, employer_credit_code="12X"
    ).eligible


def test_validity_runs_to_the_day_before_the_anniversary():
    assert rules.green_card_valid_until(dt.date(2026, 3, 1), 5) == dt.date(2031, 2, 28)
    assert rules.green_card_valid_until(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)


def test_a_card_is_issued_on_approval_after_the_reviewer_saw_the_check(django_capture_on_commit_callbacks):
    citizen = builders.green_card_applicant(wage="9800")
    application = builders.green_card_apply(citizen, degree="none")
    reviewing = builders.hall_decide(application.reference, until="reviewer")
    # The reviewer's work page shows the check (a ``*_preview`` result the hall lists for staff).
    from django.test import Client

    from hrss.servicehall import selectors as hall_selectors
    from hrss.testing import sign_in

    previews = dict(
        hall_selectors.application_previews(scope=scope(builders.hall_staff()["reviewer"]), application=reviewing)
    )
    check = previews.get("green_card_preview")
    work = reviewing.work_items.get(state="open")
    reviewer = work.assignee or builders.hall_staff()["reviewer"]
    page = sign_in(Client(), reviewer).get(f"/workbench/work/{work.pk}/").content.decode()
    assert "117600.00" in page and "100000.00" in page
    shown = selectors.green_card_check(
        person_id=citizen.person.pk, category="c", degree="none", title="none", award="none", on=dt.date.today()
    )[1]
    assert shown["annual_salary"] == "117600.00" and shown["annual_salary_min"] == "100000.00"
    assert shown["routes_met"] == ["salary"] and shown["eligible"] and shown["employer_type"] == "91"
    assert check is not None and check["routes_met"] == ["salary"]
    with django_capture_on_commit_callbacks(execute=True):
        application = builders.hall_decide(application.reference)
    assert application.status == "approved", application.decision_reasons
    card = GreenCard.objects.get(person=citizen.person)
    today = dt.date.today()
    assert card.category == "c" and card.issued_on == today
    assert card.valid_until == rules.green_card_valid_until(today, 5)  # talent.green_card.validity_years
    assert application.result["number"] == card.number and card.number.startswith(f"RC{today:%Y}C")
    assert selectors.green_card_mine(scope=scope(citizen), on=today) == card

    # A second application while the card is valid is refused at once, with a reason.
    with pytest.raises(GreenCardHeld) as refused:
        builders.green_card_apply(citizen, category="b", degree="doctorate")
    assert refused.value.code == "green_card_held" and refused.value.status == 409
    # And the issue refuses too, should one slip through.
    with pytest.raises(GreenCardHeld):
        services.green_card_issue(
            scope=scope(builders.hall_staff()["approver"]), person_id=citizen.person.pk, category="b", reference="X1"
        )


def test_an_applicant_who_meets_no_condition_is_refused_with_the_figures(django_capture_on_commit_callbacks):
    citizen = builders.green_card_applicant(wage="5000")
    application = builders.green_card_apply(citizen, degree="bachelor")
    with django_capture_on_commit_callbacks(execute=True):
        application = builders.hall_decide(application.reference)
    assert application.status == "rejected"
    assert not GreenCard.objects.filter(person=citizen.person).exists()


def test_an_employer_of_a_type_the_category_does_not_admit_is_refused(django_capture_on_commit_callbacks):
    school = make_employer(name="一所学校", credit_code=builders.public_credit_code())
    citizen = builders.green_card_applicant(wage="20000", employer=school)  # C admits 91 and 52, not 12
    application = builders.green_card_apply(citizen, degree="doctorate")
    with django_capture_on_commit_callbacks(execute=True):
        application = builders.hall_decide(application.reference)
    assert application.status == "rejected"


def _holder(django_capture_on_commit_callbacks) -> object:
    citizen = builders.green_card_applicant()
    with django_capture_on_commit_callbacks(execute=True):
        builders.hall_decide(builders.green_card_apply(citizen).reference)
    return citizen


def test_benefits_are_applied_for_once_and_decided_by_staff(django_capture_on_commit_callbacks):
    citizen = _holder(django_capture_on_commit_callbacks)
    other = builders.green_card_applicant(name="人才乙")
    with pytest.raises(GreenCardMissing):
        services.green_card_benefit_apply(scope=scope(other), kind="housing", details="", idempotency_key="k0")
    housing = services.green_card_benefit_apply(
        scope=scope(citizen), kind="housing", details="租房", idempotency_key="k1"
    )
    assert (
        services.green_card_benefit_apply(scope=scope(citizen), kind="housing", details="租房", idempotency_key="k1").pk
        == housing.pk
    )  # a retry
    with pytest.raises(GreenCardBenefitOpen):
        services.green_card_benefit_apply(scope=scope(citizen), kind="housing", details="", idempotency_key="k2")
    with pytest.raises(InvalidInput):
        services.green_card_benefit_apply(scope=scope(citizen), kind="car", details="", idempotency_key="k3")
    school = services.green_card_benefit_apply(
        scope=scope(citizen), kind="school", details="子女 小学一年级", idempotency_key="k4"
    )

    reviewer = make_user("gc-reviewer", roles.REVIEWER, city_wide=True)
    elsewhere = make_user("gc-reviewer-3", roles.REVIEWER, districts=["120103"])
    clerk = make_user("gc-clerk", roles.COUNTER_CLERK, city_wide=True)
    with pytest.raises(PermissionDenied):
        services.green_card_benefit_decide(scope=scope(clerk), benefit_id=housing.pk, approved=True, reason="")
    with pytest.raises(NotFound):  # a holder outside the reviewer's districts
        services.green_card_benefit_decide(scope=scope(elsewhere), benefit_id=housing.pk, approved=True, reason="")
    with pytest.raises(InvalidInput):  # a refusal says why
        services.green_card_benefit_decide(scope=scope(reviewer), benefit_id=school.pk, approved=False, reason=" ")
    services.green_card_benefit_decide(scope=scope(reviewer), benefit_id=housing.pk, approved=True, reason="")
    services.green_card_benefit_decide(
        scope=scope(reviewer), benefit_id=school.pk, approved=False, reason="学区名额已满，请改报其他学校"
    )
    with pytest.raises(Conflict):
        services.green_card_benefit_decide(scope=scope(reviewer), benefit_id=school.pk, approved=True, reason="")
    # Granted: not again; refused: may apply again.
    with pytest.raises(GreenCardBenefitOpen):
        services.green_card_benefit_apply(scope=scope(citizen), kind="housing", details="", idempotency_key="k5")
    again = services.green_card_benefit_apply(scope=scope(citizen), kind="school", details="", idempotency_key="k6")
    assert again.status == Decision.SUBMITTED

    mine = selectors.green_card_benefits(scope=scope(citizen), limit=10)
    assert {row.kind for row in mine} == {"housing", "school"} and len(mine) == 3
    assert selectors.green_card_benefits(scope=scope(other), limit=10) == []
    assert selectors.green_card_benefits(scope=scope(elsewhere), limit=10) == []
    from hrss.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="talent.green_card_benefits_read").count() == 0
    assert len(selectors.green_card_benefits(scope=scope(reviewer), limit=10, status="submitted")) == 1
    assert AuditEntry.objects.filter(action="talent.green_card_benefits_read").count() == 1


def test_the_holders_page_and_the_api_in_chinese(django_capture_on_commit_callbacks):
    from django.test import Client

    from hrss.servicehall.tests.builders import bearer
    from hrss.testing import sign_in

    applicant = builders.green_card_applicant()
    page = sign_in(Client(), applicant).get("/talent/green-card/")
    assert page.status_code == 200 and "/hall/items/SH-RC-001/" in page.content.decode()
    assert bearer(applicant).get("/api/v1/talent/green-card/mine").json()["card"] is None

    citizen = _holder(django_capture_on_commit_callbacks)
    api = bearer(citizen)
    mine = api.get("/api/v1/talent/green-card/mine").json()
    assert mine["card"]["category"] == "c" and mine["apply_item"] == "SH-RC-001"
    applied = api.post(
        "/api/v1/talent/green-card/benefits",
        {"kind": "medical", "details": "", "idempotency_key": "api-1"},
        content_type="application/json",
    )
    assert applied.status_code == 201 and applied.json()["status"] == "submitted"
    again = api.post(
        "/api/v1/talent/green-card/benefits",
        {"kind": "medical", "details": "", "idempotency_key": "api-2"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "green_card_benefit_open"

    reviewer = make_user("gc-api-reviewer", roles.REVIEWER, city_wide=True)
    decided = bearer(reviewer).post(
        f"/api/v1/talent/green-card/benefits/{applied.json()['id']}/decision",
        {"approved": False, "reason": ""},
        content_type="application/json",
    )
    assert decided.status_code == 422 and "reason" in decided.json()["fields"]
    staff_page = sign_in(Client(), reviewer).get("/talent/green-card/decisions/")
    assert staff_page.status_code == 200 and "就医绿色通道" in staff_page.content.decode()
    holder_page = sign_in(Client(), citizen).get("/talent/green-card/")
    text = holder_page.content.decode()
    assert "我的人才绿卡" in text and "C卡" in text and "就医绿色通道" in text
