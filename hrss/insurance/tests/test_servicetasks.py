"""The insurance items of the service hall, end to end: a citizen applies, each staff step
decides, the insurance handlers compute, grant and record through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from hrss.core.models import AuditEntry
from hrss.core.servicetasks import ServiceTaskContext, handler_for, is_recording_default
from hrss.insurance import rules, services
from hrss.insurance.models import (
    AccountEntry,
    BenefitAward,
    ContributionBase,
    ContributionLine,
    Enrolment,
    Transfer,
)
from hrss.insurance.selectors.contributions import pension_contribution_months
from hrss.insurance.tests.builders import (
    PENSION_FORM,
    agent,
    assess,
    citizen_user,
    employee,
    open_step,
    step,
    submit,
    workflow_value,
)
from hrss.servicehall import engine
from hrss.servicehall.models import Application
from hrss.testing import make_employer, make_person

pytestmark = pytest.mark.django_db
PROCESSES = Path(__file__).resolve().parents[1] / "processes"
_keys = itertools.count(1)
_users = itertools.count(1)


THIS_MONTH = f"{timezone.localdate():%Y-%m}"


# --- wiring ----------------------------------------------------------------------------------


INSURANCE_HANDLERS = [
    "insurance.pension_award_preview",
    "insurance.pension_award",
    "insurance.unemployment_claim_preview",
    "insurance.unemployment_claim",
    "insurance.transfer_preview",
    "insurance.transfer",
    "insurance.flexible_worker_enrol",
    "insurance.contribution_certificate",
    "insurance.employer_register_preview",
    "insurance.employer_register",
]


@pytest.mark.parametrize("name", INSURANCE_HANDLERS)
def test_insurance_registers_real_handlers(name):
    assert handler_for(name) is not None and not is_recording_default(name)


@pytest.mark.parametrize(
    "key", ["pension_award", "unemployment_benefit_claim", "insurance_transfer", "employer_insurance_registration"]
)
def test_new_processes_pass_the_process_check(key, capsys):
    call_command("servicehall", "process", "check", str(PROCESSES / f"{key}.bpmn"))
    assert f"{key}: valid (4 user steps)" in capsys.readouterr().out
    validated = engine.process_validate((PROCESSES / f"{key}.bpmn").read_text(encoding="utf-8"), expected_key=key)
    assert set(validated.user_steps.values()) == {"applicant", "counter_clerk", "reviewer", "approver"}


# --- pension award (SH-YL-004) --------------------------------------------------------------------


def test_pension_award_end_to_end(retiree, staff):
    user = citizen_user(retiree)
    application = submit(
        user, "SH-YL-004", {**PENSION_FORM, "payment_to": "bank", "bank_account": "6222 0212 3456 7890"}
    )
    assert (application.status, open_step(application)) == ("submitted", "accept")

    application = step(staff, application)  # accepted: the pension is computed, nothing granted
    assert (application.status, open_step(application)) == ("in_progress", "review")
    preview = workflow_value(application, "pension_preview")
    assert preview["eligible"] and preview["monthly_benefit"] == "2014.83"
    assert (preview["contribution_months"], preview["retirement_month"], preview["divisor"]) == (
        206,
        "2025-07",
        "137.8",
    )
    assert not BenefitAward.objects.filter(person=retiree).exists()

    application = step(staff, step(staff, application))  # review, approval: granted
    assert application.status == "approved"
    award = BenefitAward.objects.get(person=retiree, kind="pension")
    assert (award.monthly_fen, award.start_month, award.status) == (201_483, dt.date(2025, 8, 1), "active")
    assert award.decided_by == "approver_st"
    result = application.result
    assert result["granted"] and result["award_id"] == str(award.pk)
    assert result["monthly_benefit"] == "2014.83"
    assert result["parts"] == {"basic": "1434.28", "account": "580.55", "transitional": None}
    assert result["schedule"][:2] == [
        {"month": "2025-08", "amount": "2014.83"},
        {"month": "2025-09", "amount": "2014.83"},
    ]
    assert len(result["schedule"]) == 12
    assert (result["payment_to"], result["bank_account"]) == ("bank", "************7890")
    assert "reviewed_monthly_benefit" not in result  # nothing changed since review
    assert set(
        Enrolment.objects.filter(person=retiree, stop_reason="retired").values_list("insurance_type", flat=True)
    ) == {
        "pension_enterprise",
        "unemployment",
    }
    entry = AuditEntry.objects.get(action="insurance.servicetask.pension_award")
    assert (entry.actor, entry.object_id, entry.detail["application"]) == (
        "approver_st",
        str(retiree.pk),
        application.reference,
    )
    assert entry.detail["result"] == result


def test_the_grant_follows_the_record_and_shows_a_change_since_review(retiree, staff):
    application = step(staff, submit(citizen_user(retiree), "SH-YL-004", PENSION_FORM))
    assert workflow_value(application, "pension_preview")["contribution_months"] == 206
    assess(dt.date(2025, 7, 1), 1)  # the retirement month itself is assessed meanwhile
    application = step(staff, step(staff, application))
    result = application.result
    assert (result["contribution_months"], result["reviewed_monthly_benefit"]) == (207, "2014.83")
    assert result["monthly_benefit"] != "2014.83"
    award = BenefitAward.objects.get(person=retiree)
    assert str(rules.from_fen(award.monthly_fen)) == result["monthly_benefit"]


def rerun(application: Application, handler: str) -> dict[str, Any]:
    """Run a service task of a finished application again, as an engine retry would."""
    data = engine.workflow_data(engine.workflow_load(application.workflow_state))
    context = ServiceTaskContext(
        application_id=data["application_id"],
        reference=data["reference"],
        item_code=data["item_code"],
        person_id=data["person_id"],
        employer_id=data["employer_id"],
        form_data=data["form"],
        workflow_data=data,
    )
    return handler_for(handler)(context)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("item", "form", "handler", "records"),
    [
        (
            "SH-YL-004",
            PENSION_FORM,
            "insurance.pension_award",
            lambda person: BenefitAward.objects.filter(person=person),
        ),
        (
            "SH-YL-005",
            {
                "phone": "13800138000",
                "direction": "in",
                "other_region": "130100",
                "contribution_months": 12,
                "account_amount": "3000",
            },
            "insurance.transfer",
            lambda person: Transfer.objects.filter(person=person),
        ),
    ],
    ids=["pension", "transfer"],
)
def test_a_task_run_again_answers_as_the_first_run_did(retiree, staff, item, form, handler, records):
    before = records(retiree).count()
    application = submit(citizen_user(retiree), item, form)
    while application.is_open:
        application = step(staff, application)
    assert application.status == "approved" and records(retiree).count() == before + 1
    assert rerun(application, handler) == application.result
    assert records(retiree).count() == before + 1


@pytest.mark.parametrize(
    ("birth", "months_assessed", "reason"),
    [
        (dt.date(1975, 3, 10), 6, "Not at retirement age yet"),
        (dt.date(1965, 1, 20), 1, "less than the minimum of 15 years"),
    ],
    ids=["not-at-retirement-age", "too-few-years"],
)
def test_an_ineligible_applicant_is_refused_with_the_reasons_and_figures(staff, birth, months_assessed, reason):
    person = employee(make_employer(name="短工", industry="52"), birth=birth, sex="M")
    assess(dt.date(2025, 1, 1), months_assessed)
    application = step(staff, submit(citizen_user(person), "SH-YL-004", PENSION_FORM))
    assert application.status == "rejected"
    assert reason in application.decision_reasons
    assert application.decided_by == "insurance.pension_award_preview"
    assert application.result["eligible"] is False and reason in application.result["reasons"][0]
    assert application.result["contribution_months"] == months_assessed
    assert not application.work_items.filter(state="open").exists()  # nobody reviews a refused claim
    assert not BenefitAward.objects.filter(person=person).exists()


def test_a_reviewer_rejects_with_reasons_and_nothing_is_granted(retiree, staff):
    application = step(staff, submit(citizen_user(retiree), "SH-YL-004", PENSION_FORM))
    application = step(staff, application, "reject", reasons="档案记载的出生日期与身份证不一致")
    assert (application.status, application.decision_reasons) == ("rejected", "档案记载的出生日期与身份证不一致")
    assert not BenefitAward.objects.filter(person=retiree).exists()


def test_a_retried_submit_grants_once_and_a_second_application_is_refused(retiree, staff):
    user = citizen_user(retiree)
    first = submit(user, "SH-YL-004", PENSION_FORM, key="retire-1")
    assert submit(user, "SH-YL-004", PENSION_FORM, key="retire-1").pk == first.pk
    assert Application.objects.filter(applicant_person=retiree).count() == 1
    first = step(staff, step(staff, step(staff, first)))
    assert first.status == "approved"

    again = step(staff, submit(user, "SH-YL-004", PENSION_FORM, key="retire-2"))
    assert again.status == "rejected" and "already awarded from 2025-08" in again.decision_reasons
    assert BenefitAward.objects.filter(person=retiree, kind="pension").count() == 1


def test_a_category_that_does_not_fit_is_a_refusal_not_an_error(retiree, staff):
    application = step(
        staff, submit(citizen_user(retiree), "SH-YL-004", {**PENSION_FORM, "retirement_category": "female_50"})
    )
    assert application.status == "rejected"
    assert "category: not a category for men" in application.decision_reasons


# --- unemployment benefit (SH-SY-001) -------------------------------------------------------------


@pytest.fixture
def laid_off() -> Any:
    firm = make_employer(name="商场", industry="52")
    person = employee(firm, start=dt.date(2023, 1, 1), wage=Decimal("6000"), name="售货员")
    assess(dt.date(2023, 1, 1), 24)
    services.enrolment_stop(
        scope=agent(firm),
        person_id=person.pk,
        employer_id=firm.pk,
        insurance_types=["pension_enterprise", "medical_employee", "unemployment", "work_injury"],
        last_month=dt.date(2024, 12, 1),
        reason="contract_end",
    )
    return person


CLAIM_FORM = {
    "phone": "13800138000",
    "separation_date": "2025-01-05",
    "separation_reason": "contract_ended",
    "registered_unemployed": True,
    "payment_to": "card",
}


def test_unemployment_claim_end_to_end(laid_off, staff):
    application = step(staff, submit(citizen_user(laid_off), "SH-SY-001", CLAIM_FORM))
    preview = workflow_value(application, "claim_preview")
    assert (preview["months"], preview["monthly_amount"], preview["contribution_months"]) == (12, "2088.00", 24)
    assert not BenefitAward.objects.filter(person=laid_off).exists()

    application = step(staff, step(staff, application))
    assert application.status == "approved"
    award = BenefitAward.objects.get(person=laid_off, kind="unemployment")
    assert (award.entitled_months, award.monthly_fen) == (12, 208_800)
    # The claim comes long after the job ended: paid from this month, twelve months.
    assert f"{award.start_month:%Y-%m}" == THIS_MONTH
    assert award.end_month == rules.add_months(award.start_month, 11)
    result = application.result
    assert (result["months"], result["monthly_amount"], result["total_amount"]) == (12, "2088.00", "25056.00")
    assert [row["month"] for row in result["schedule"]] == [
        f"{rules.add_months(award.start_month, n):%Y-%m}" for n in range(12)
    ]
    assert {row["amount"] for row in result["schedule"]} == {"2088.00"}


def test_a_claim_after_resigning_is_refused_before_review(laid_off, staff):
    application = step(
        staff, submit(citizen_user(laid_off), "SH-SY-001", {**CLAIM_FORM, "separation_reason": "resigned"})
    )
    assert application.status == "rejected"
    assert "did not end against the person's will" in application.decision_reasons
    assert application.result["months"] == 12  # the figures stay visible
    assert not BenefitAward.objects.filter(person=laid_off).exists()


def test_a_claim_while_still_insured_by_an_employer_is_refused(staff):
    person = employee(make_employer(name="在职单位", industry="52"), start=dt.date(2023, 1, 1))
    assess(dt.date(2023, 1, 1), 14)
    application = step(staff, submit(citizen_user(person), "SH-SY-001", CLAIM_FORM))
    assert application.status == "rejected"
    assert "still insured through 在职单位" in application.decision_reasons


# --- transfer (SH-YL-005) -------------------------------------------------------------------------

TRANSFER_IN = {
    "phone": "13800138000",
    "direction": "in",
    "other_region": "130100",
    "contribution_months": 120,
    "account_amount": "50000.00",
}


def test_transfer_in_then_out_end_to_end(staff):
    person = make_person(name="外地来津", birth=dt.date(1985, 4, 1), sex="F")
    user = citizen_user(person)
    application = step(staff, submit(user, "SH-YL-005", TRANSFER_IN))
    assert workflow_value(application, "transfer_preview")["other_region_name"] == "石家庄市"
    application = step(staff, step(staff, application))
    assert application.status == "approved"
    record = Transfer.objects.get(person=person)
    assert (record.direction, record.other_region, record.contribution_months, record.account_fen) == (
        "in",
        "130100",
        120,
        5_000_000,
    )
    assert record.recorded_by == "approver_st"
    assert (application.result["pension_months_after"], application.result["account_balance_after"]) == (
        120,
        "50000.00",
    )

    # The same voucher twice is refused at once, before anyone reviews it.
    twice = step(staff, submit(user, "SH-YL-005", TRANSFER_IN))
    assert twice.status == "rejected" and "already recorded" in twice.decision_reasons
    assert Transfer.objects.filter(person=person).count() == 1

    out = step(staff, submit(user, "SH-YL-005", {"phone": "13800138000", "direction": "out", "other_region": "110105"}))
    assert workflow_value(out, "transfer_preview")["contribution_months"] == 120
    out = step(staff, step(staff, out))
    assert out.status == "approved" and out.result["other_region_name"] == "朝阳区"
    assert (out.result["pension_months_after"], out.result["account_balance_after"]) == (0, "0.00")
    assert AccountEntry.objects.filter(person=person, kind="transfer_out").get().amount_fen == -5_000_000


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({**TRANSFER_IN, "other_region": "999999"}, "not a GB/T 2260"),
        ({**TRANSFER_IN, "other_region": "120103"}, "inside this city"),
        ({**TRANSFER_IN, "account_amount": ""}, "account_amount: required for a transfer into the city"),
        ({"phone": "13800138000", "direction": "out", "other_region": "110105"}, "nothing on record"),
    ],
    ids=["unknown-code", "same-city", "amount-missing", "nothing-to-move"],
)
def test_a_transfer_that_cannot_be_recorded_is_refused_on_acceptance(staff, form, reason):
    person = make_person(name="转移", birth=dt.date(1985, 4, 1), sex="F")
    application = step(staff, submit(citizen_user(person), "SH-YL-005", form))
    assert application.status == "rejected" and reason in application.decision_reasons
    assert not Transfer.objects.filter(person=person).exists()


def test_transfer_out_while_still_insured_here_is_refused(staff):
    person = employee(make_employer(name="本地单位", industry="52"))
    application = step(
        staff,
        submit(
            citizen_user(person), "SH-YL-005", {"phone": "13800138000", "direction": "out", "other_region": "110105"}
        ),
    )
    assert application.status == "rejected" and "still open" in application.decision_reasons


# --- flexible workers (SH-YL-001) and the certificate (SH-YL-002) ---------------------------------


def test_flexible_worker_enrolment_uses_the_average_wage_in_force(staff):
    person = make_person(name="骑手", birth=dt.date(1992, 8, 1), sex="M")
    form = {"phone": "13800138000", "work_type": "platform", "base_level": "60"}
    application = step(staff, submit(citizen_user(person), "SH-YL-001", form))
    assert application.status == "approved"
    enrolment = Enrolment.objects.get(person=person)
    assert (enrolment.insurance_type, enrolment.category, enrolment.employer_id) == (
        "pension_enterprise",
        "flexible",
        None,
    )
    assert f"{enrolment.start_month:%Y-%m}" == THIS_MONTH
    base = ContributionBase.objects.get(person=person, year=timezone.localdate().year)
    from hrss.insurance import policy

    wage = policy.average_wage(on=enrolment.start_month)
    expected = rules.yuan(wage * Decimal("0.60"))
    assert rules.from_fen(base.base_fen) == expected
    result = application.result
    assert (result["base"], result["average_wage"], result["enrolment_ids"]) == (
        str(expected),
        str(rules.yuan(wage)),
        [str(enrolment.pk)],
    )
    assert result["monthly_contribution"] == str(rules.yuan(expected * Decimal("0.20")))


def test_a_person_already_insured_is_refused_not_enrolled_twice(staff):
    person = employee(make_employer(name="单位", industry="52"))
    form = {"phone": "13800138000", "work_type": "part_time", "base_level": "100"}
    application = step(staff, submit(citizen_user(person), "SH-YL-001", form))
    assert application.status == "rejected" and "already insured" in application.decision_reasons
    assert Enrolment.objects.filter(person=person, category="flexible").count() == 0


def test_certificate_figures_come_from_the_contribution_lines(retiree):
    application = submit(citizen_user(retiree), "SH-YL-002", {"purpose": "housing"})
    assert application.status == "approved"
    result = application.result
    assert result["certificate_number"].startswith(f"JFZM-{timezone.localdate():%Y%m%d}-")
    rows = {row["insurance_type"]: row for row in result["by_type"]}
    assert set(rows) == {"pension_enterprise", "medical_employee", "unemployment", "work_injury"}
    pension = rows["pension_enterprise"]
    assert (pension["months"], pension["first_month"], pension["last_month"], pension["insured_now"]) == (
        6,
        "2025-01",
        "2025-06",
        True,
    )
    assert pension["individual_total"] == "4010.40"  # 8355 × 8 % × 6
    for code, row in rows.items():
        lines = ContributionLine.objects.filter(person=retiree, insurance_type=code).aggregate(
            i=Sum("individual_fen"), e=Sum("employer_fen")
        )
        assert (row["individual_total"], row["employer_total"]) == (
            str(rules.from_fen(lines["i"])),
            str(rules.from_fen(lines["e"])),
        )
    assert (result["pension_months_total"], result["pension_months_transferred"]) == (206, 200)
    assert result["pension_months_total"] == pension_contribution_months(retiree.pk)
    assert AuditEntry.objects.filter(
        action="insurance.servicetask.contribution_certificate", object_id=str(retiree.pk)
    ).exists()
