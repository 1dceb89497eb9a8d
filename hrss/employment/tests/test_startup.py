"""Start-up support (E2) and employment status (E1) through the real hall: 就业登记, the
start-up guaranteed loan with its repayment assessment shown on review, the one-time
start-up subsidy paid once, and an employer's 增员/减员 moving the person's employment spell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from hrss.core.errors import InvalidInput
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.core.servicetasks import handler_for, is_recording_default
from hrss.employment import rules, startup, support
from hrss.employment.models import EmploymentRegistration, StartupLoan, StartupSubsidy, UnemploymentRegistration
from hrss.insurance import rules as insurance_rules
from hrss.insurance import services as insurance
from hrss.insurance.tests.builders import agent as insurance_agent
from hrss.insurance.tests.builders import assess
from hrss.insurance.tests.builders import clerk as insurance_clerk
from hrss.registry.models import Employment
from hrss.servicehall import engine
from hrss.servicehall.tests.builders import approve_every_step, do, submit
from hrss.testing import make_employer, make_employment

pytestmark = pytest.mark.django_db
PROCESSES = Path(__file__).resolve().parents[1] / "processes"
LOAN_FORM = {"phone": "13800138000", "business_name": "张记早餐店", "amount": "100000", "term_months": "24"}


def _open_step(application):
    work = application.work_items.filter(state="open").first()
    return work.step if work else None


def _assessment(application):
    return engine.workflow_data(engine.workflow_load(application.workflow_state)).get("loan_preview")


def _register_unemployed(city, since=dt.date(2026, 9, 1)):
    from hrss.employment import services

    return services.unemployment_register(
        scope=Scope.system("reviewer1"), person_id=city.person.pk, unemployed_since=since, reference="SJ-UNEMP-1"
    )


# --- wiring ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "employment.employment_register",
        "employment.startup_loan_assess",
        "employment.startup_loan_grant",
        "employment.startup_subsidy_assess",
        "employment.startup_subsidy_grant",
    ],
)
def test_the_handlers_are_real(name):
    assert handler_for(name) is not None and not is_recording_default(name)


@pytest.mark.parametrize("key", ["employment_registration", "startup_loan", "startup_subsidy"])
def test_processes_pass_the_process_check(key, capsys):
    call_command("servicehall", "process", "check", str(PROCESSES / f"{key}.bpmn"))
    assert f"{key}: valid (4 user steps)" in capsys.readouterr().out


# --- the pure rules ---------------------------------------------------------------------------


def test_loan_terms_instalment_interest_and_subsidy_per_year():
    terms = rules.loan_terms(
        amount=Decimal("100000"),
        term_months=24,
        lpr=Decimal("0.03"),
        markup=Decimal("0.02"),
        discount=Decimal("0.015"),
    )
    # 等额本息 at 5%: 100000 * r / (1 - (1 + r)^-24), r = 0.05 / 12
    assert terms.monthly_instalment == Decimal("4387.14")
    assert (terms.contract_rate, terms.borrower_rate, terms.subsidy_rate) == (
        Decimal("0.05"),
        Decimal("0.015"),
        Decimal("0.035"),
    )
    assert terms.interest_total == Decimal("5291.34")  # 24 unrounded instalments less the principal
    assert len(terms.subsidy_by_year) == 2 and terms.subsidy_by_year[0] > terms.subsidy_by_year[1]
    assert sum(terms.subsidy_by_year) == terms.interest_subsidy_total
    # the treasury pays 3.5 of the 5 points on every month's balance
    assert abs(terms.interest_subsidy_total - terms.interest_total * Decimal("0.7")) <= Decimal("0.01")
    assert terms.first_month_paid_by_borrower == Decimal("4387.14") - (
        Decimal("100000") * Decimal("0.035") / 12
    ).quantize(Decimal("0.01"))


def test_loan_errors_name_the_cap_and_the_term():
    cap = {"amount_max": Decimal("200000"), "term_max": 36}
    assert rules.loan_errors(amount=Decimal("200000"), term_months=36, **cap) == {}
    assert rules.loan_errors(amount=Decimal("200000.01"), term_months=37, **cap) == {
        "amount": "above_cap",
        "term_months": "above_term",
    }
    assert rules.loan_errors(amount=Decimal("0"), term_months=0, **cap) == {
        "amount": "not_positive",
        "term_months": "not_positive",
    }


def test_repayment_assessment_scores_each_part_with_its_reason():
    steady = {"debt_fen": 0, "card_payments": {"paid_months": 12, "failed": 0}, "credit_class": None}
    good = rules.repayment_assessment(
        contribution_months=24,
        history_months=24,
        employed=True,
        other_loan=False,
        monthly_instalment=Decimal("3000"),
        monthly_wage=Decimal("9000"),
        fast_track_score=80,
        **steady,
    )
    assert (good.score, good.fast_track) == (100, True)
    assert [r["code"] for r in good.reasons] == [
        "continuity",
        "employed",
        "no_other_loan",
        "burden",
        "debt",
        "card",
        "credit",
    ]
    weak = rules.repayment_assessment(
        contribution_months=6,
        history_months=24,
        employed=False,
        other_loan=True,
        monthly_instalment=Decimal("5000"),
        monthly_wage=Decimal("9000"),
        debt_fen=125_000,
        card_payments={"paid_months": 3, "failed": 2},
        credit_class="D",
        fast_track_score=80,
    )
    assert (weak.score, weak.fast_track) == (7, False)  # 30 x 6/24, rounded down; nothing else
    assert [r["points"] for r in weak.reasons] == [7, 0, 0, 0, 0, 0, 0]
    assert weak.reasons[4]["owed_fen"] == 125_000 and weak.reasons[5]["failed"] == 2
    unknown = rules.repayment_assessment(
        contribution_months=24,
        history_months=24,
        employed=True,
        other_loan=False,
        monthly_instalment=Decimal("3000"),
        monthly_wage=None,
        debt_fen=0,
        card_payments=None,
        credit_class="C",
        fast_track_score=80,
    )
    assert (unknown.score, unknown.fast_track) == (75, False)  # 100 less burden 10, card 10 and half the credit
    assert [r["code"] for r in unknown.reasons][3:] == ["burden_unknown", "debt", "card_unknown", "credit"]
    assert unknown.reasons[-1] == {"code": "credit", "points": 5, "class": "C"}


def test_the_assessment_weighs_debts_to_the_funds_failed_card_payments_and_the_credit_class(city):
    """Cross-checked in the other apps' records: an overpaid benefit still to recover
    (insurance), a card payment that failed (card), a severe credit event (credit)."""
    from hrss.card.models import PaymentOrder
    from hrss.core.creditfacts import CreditFact
    from hrss.credit.services import record
    from hrss.insurance.models import RecoveryCase

    def parts() -> dict[str, dict]:
        result = startup.loan_assess(
            scope=Scope.system("reviewer1"), person_id=city.person.pk, amount="100000", term_months="24"
        )
        return {reason["code"]: reason for reason in result.assessment.reasons}

    before = parts()
    assert [before[code]["points"] for code in ("debt", "card", "credit")] == [10, 10, 10]
    RecoveryCase.objects.create(
        person=city.person,
        reason=RecoveryCase.Reason.REEMPLOYED,
        overpaid_fen=312_000,
        first_period=dt.date(2026, 3, 1),
        opened_by="reviewer1",
    )
    PaymentOrder.objects.create(
        reference="T-FAILED-1",
        person=city.person,
        purpose="contribution",
        description="灵活就业缴费",
        amount=Decimal("1200"),
        method="card_account",
        gateway="bank",
        status="failed",
        created_by="citizen1",
    )
    record(
        [
            CreditFact(
                kind="benefit_fraud",
                source_ref=f"test:{city.person.pk}",
                occurred_on=timezone.localdate() - dt.timedelta(days=10),
                summary="骗取失业保险金",
                person_id=city.person.pk,
            )
        ],
        source="test",
    )
    after = parts()
    assert after["debt"] == {"code": "debt", "points": 0, "owed_fen": 312_000}
    assert (after["card"]["points"], after["card"]["failed"]) == (0, 1)
    assert after["credit"] == {"code": "credit", "points": 0, "class": "D"}
    with translation.override("zh-hans"):
        texts = [startup.reason_text(after[code]) for code in ("debt", "card", "credit")]
    assert all(not any("a" <= c.lower() <= "z" for c in text.replace("D", "")) for text in texts), texts


# --- 创业担保贷款 through the hall ------------------------------------------------------------------


def test_a_loan_with_a_weak_score_is_reviewed_with_its_assessment_then_recorded(city):
    application = submit(city, "SH-JY-003", LOAN_FORM)
    with translation.override("zh-hans"):  # as in the clerk's request: the reasons in Chinese
        application = do(city, application)  # accepted: assessed, nothing recorded
    assert _open_step(application) == "review"
    figures = _assessment(application)
    assert figures["review_required"] and "fast_track" not in figures
    assert figures["loan_amount"] == "100000.00" and figures["term_months"] == 24
    assert figures["monthly_instalment"] == "4387.14"  # 5% on 2026-12: LPR 3.00% + 2.00%
    assert (figures["contract_rate"], figures["borrower_rate"]) == ("5.00%", "1.50%")
    assert (
        figures["score"] == 45
    )  # no contributions, no job on record; no other loan, debt, failed payment, credit event
    assert [row["points"] for row in figures["assessment_reasons"]] == [0, 0, 15, 0, 10, 10, 10]
    assert not StartupLoan.objects.exists()
    # The reviewer's page shows the assessment (the hall's computed figures).
    from hrss.servicehall.tests.builders import sign_in

    work = application.work_items.get(state="open")
    page = sign_in(__import__("django.test", fromlist=["Client"]).Client(), city.reviewer).get(
        f"/workbench/work/{work.pk}/"
    )
    assert page.status_code == 200, page.status_code
    text = page.content.decode()
    assert "4,387.14" in text or "4387.14" in text
    assert "没有其他创业担保贷款" in text  # a reason, in Chinese

    application = approve_every_step(city, application)
    assert application.status == "approved"
    loan = StartupLoan.objects.get(person=city.person)
    assert (loan.amount_fen, loan.term_months, loan.monthly_instalment_fen, loan.score) == (
        10_000_000,
        24,
        438_714,
        45,
    )
    assert loan.assessment["reasons"][2] == {"code": "no_other_loan", "points": 15}
    assert loan.decided_by == "approver1" and loan.hall_reference == application.reference
    assert AuditEntry.objects.filter(action="employment.startup_loan_grant", object_id=str(loan.pk)).exists()


def steady_earner(city) -> None:
    """The citizen in a job at 9,000 yuan a month since 2024, contributing the last 24 months."""
    employer = make_employer(name="示范餐饮有限公司")
    start = dt.date(2024, 1, 1)
    make_employment(city.person, employer, start=start)
    Employment.objects.filter(person=city.person).update(monthly_wage=Decimal("9000"))
    insurance.enrolment_start(
        scope=insurance_agent(employer),
        person_id=city.person.pk,
        employer_id=employer.pk,
        insurance_types=list(insurance_rules.ASSESSED_INSURANCES),
        start_month=start,
    )
    for year in (2024, 2025, 2026):
        insurance.base_declare(
            scope=insurance_agent(employer),
            employer_id=employer.pk,
            year=year,
            wages=[(city.person.pk, Decimal("9000"))],
        )
    assess(insurance_rules.add_months(timezone.localdate().replace(day=1), -24), 24)


def test_a_good_score_takes_the_fast_track_to_approval(city):
    steady_earner(city)
    # A target group the records confirm (残疾人: 就业困难人员 includes it), identified by the bureau.
    support.special_group_identify(
        scope=Scope.system("clerk_hp"), person_id=city.person.pk, category="disabled", evidence="残疾人证"
    )
    application = do(city, submit(city, "SH-JY-003", LOAN_FORM))
    figures = _assessment(application)
    assert figures["score"] == 100 and figures["fast_track"] is True
    assert "就业困难人员（含残疾人）" in figures["target_groups"]
    assert _open_step(application) == "approve"  # the review tier skipped
    application = do(city, application)
    assert application.status == "approved"
    assert StartupLoan.objects.get(person=city.person).score == 100


def test_a_loan_above_the_cap_is_refused_at_the_assessment(city):
    application = do(city, submit(city, "SH-JY-003", {**LOAN_FORM, "amount": "250000", "term_months": "48"}))
    assert application.status == "rejected"
    assert "200000" in application.decision_reasons and "36" in application.decision_reasons
    assert not StartupLoan.objects.exists()


def test_the_grant_is_idempotent_per_application(city):
    scope = Scope.system("approver1")
    values = {"person_id": city.person.pk, "business_name": "店", "amount": "50000", "term_months": "12"}
    first = startup.loan_grant(scope=scope, reference="SJ-L-1", **values)
    again = startup.loan_grant(scope=scope, reference="SJ-L-1", **values)
    assert first.pk == again.pk and StartupLoan.objects.count() == 1
    # a second loan: the assessment says so, and it never takes the fast track
    second = startup.loan_assess(scope=scope, person_id=city.person.pk, amount="50000", term_months="12")
    assert second.assessment.reasons[2] == {"code": "no_other_loan", "points": 0}


# --- 一次性创业补贴 ----------------------------------------------------------------------------------


def test_the_start_up_subsidy_is_paid_once_per_person(city):
    started = (timezone.localdate() - dt.timedelta(days=100)).isoformat()
    form = {"phone": "13800138000", "business_name": "张记早餐店", "started_on": started}
    application = do(city, submit(city, "SH-JY-004", form))
    figures = engine.workflow_data(engine.workflow_load(application.workflow_state))["subsidy_preview"]
    assert figures["subsidy_amount"] == "10000.00"
    application = approve_every_step(city, application)
    assert application.status == "approved"
    subsidy = StartupSubsidy.objects.get(person=city.person)
    assert subsidy.amount_fen == 1_000_000
    again = do(city, submit(city, "SH-JY-004", form))
    assert again.status == "rejected" and again.decision_reasons
    assert StartupSubsidy.objects.count() == 1


def test_an_old_business_gets_no_start_up_subsidy(city):
    form = {"phone": "13800138000", "business_name": "老店", "started_on": "2020-01-01"}
    application = do(city, submit(city, "SH-JY-004", form))
    assert application.status == "rejected" and not StartupSubsidy.objects.exists()


# --- 就业登记 and 增员/减员 ----------------------------------------------------------------------------


def test_employment_registration_records_the_spell_and_ends_unemployment(city):
    _register_unemployed(city)
    form = {
        "phone": "13800138000",
        "employment_kind": "employee",
        "credit_code": city.employer.credit_code,
        "started_on": "2026-11-02",
    }
    application = approve_every_step(city, submit(city, "SH-JY-002", form))
    assert application.status == "approved", application.decision_reasons
    registration = EmploymentRegistration.objects.get(person=city.person)
    assert registration.spell.employer_id == city.employer.pk
    assert registration.spell.start_date == dt.date(2026, 11, 2)
    assert UnemploymentRegistration.objects.get(person=city.person).status == "ended"
    assert startup.employment_status(city.person.pk) == "employed"


def test_employment_registration_without_a_credit_code_for_an_employee_is_refused(city):
    form = {"phone": "13800138000", "employment_kind": "employee", "started_on": "2026-11-02", "credit_code": ""}
    with pytest.raises(InvalidInput) as refused:  # the form requires it for an employee
        submit(city, "SH-JY-002", form)
    assert "credit_code" in refused.value.fields
    # a bad credit code passes the form and is refused by the registration, with the reason
    application = approve_every_step(city, submit(city, "SH-JY-002", {**form, "credit_code": "91120000MA05X1234"}))
    assert application.status == "rejected"
    assert not EmploymentRegistration.objects.exists()


def test_hire_and_departure_events_move_the_employment_spell_once(city, django_capture_on_commit_callbacks):
    _register_unemployed(city)
    assert startup.employment_status(city.person.pk) == "unemployed"
    employer = make_employer(name="新雇主有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        insurance.enrolment_start(  # a caseworker's 增员: the employer's agent sees only its employees
            scope=insurance_clerk(),
            person_id=city.person.pk,
            employer_id=employer.pk,
            insurance_types=list(insurance_rules.ASSESSED_INSURANCES),  # several events, one spell
            start_month=dt.date(2026, 11, 1),
        )
    spells = Employment.objects.filter(person=city.person, employer=employer)
    assert [(s.start_date, s.end_date) for s in spells] == [(dt.date(2026, 11, 1), None)]
    assert startup.employment_status(city.person.pk) == "employed"
    assert UnemploymentRegistration.objects.get(person=city.person).status == "ended"
    with django_capture_on_commit_callbacks(execute=True):
        insurance.enrolment_stop(
            scope=insurance_agent(employer),
            person_id=city.person.pk,
            employer_id=employer.pk,
            insurance_types=list(insurance_rules.ASSESSED_INSURANCES),
            last_month=dt.date(2026, 11, 1),
            reason="left_employer",
        )
    assert [(s.start_date, s.end_date) for s in spells.all()] == [(dt.date(2026, 11, 1), dt.date(2026, 11, 30))]
    assert startup.employment_status(city.person.pk, on=dt.date(2026, 12, 5)) == "unknown"
    assert AuditEntry.objects.filter(action="employment.status.left", object_id=str(city.person.pk)).count() == 1


# --- staff: the loans approved; the demo application --------------------------------------------


def _loan(city, n):
    return startup.loan_grant(
        scope=Scope.system("approver1"),
        person_id=city.person.pk,
        business_name=f"店{n}",
        amount="50000",
        term_months="12",
        reference=f"SJ-L-{n}",
    )


def test_staff_list_the_loans_in_the_api_with_flat_queries_and_the_read_is_audited(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hrss.servicehall.tests.builders import bearer

    _loan(city, 0)
    reviewer = bearer(city.reviewer)

    def count() -> int:
        reviewer.get("/api/v1/employment/loans")
        with CaptureQueriesContext(connection) as captured:
            response = reviewer.get("/api/v1/employment/loans")
        assert response.status_code == 200
        return len(captured)

    one = count()
    for n in range(1, 5):
        _loan(city, n)
    assert count() == one and one <= 10
    listed = reviewer.get("/api/v1/employment/loans").json()
    assert len(listed) == 5 and listed[0]["amount"] == "50000.00" and listed[0]["assessment"]["score"] >= 0
    assert listed[0]["person_name"] == city.person.name
    assert AuditEntry.objects.filter(action="employment.startup_loans_read", actor="reviewer1").exists()
    assert bearer(city.citizen).get("/api/v1/employment/loans").status_code == 403


def test_the_loans_page_shows_the_assessment_in_chinese(city):
    from django.test import Client

    from hrss.servicehall.tests.builders import sign_in

    _loan(city, 1)
    page = sign_in(Client(), city.reviewer).get("/employment/loans/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200
    assert "创业担保贷款" in text and "50000.00" in text and "没有其他创业担保贷款未还清（15）" in text
    assert sign_in(Client(), city.citizen).get("/employment/loans/").status_code == 403


def test_the_demo_loan_application_waits_for_review_with_its_assessment(city):
    from hrss.employment.demo import demo_startup_loan

    line = demo_startup_loan(citizen=city.citizen, clerk=city.clerk)
    again = demo_startup_loan(citizen=city.citizen, clerk=city.clerk)
    assert line == again and "in_progress" in line
    from hrss.servicehall.models import Application

    application = Application.objects.get(item__code="SH-JY-003")
    assert _open_step(application) == "review" and _assessment(application)["loan_amount"] == "150000.00"


def test_the_target_groups_come_from_the_records_and_the_rest_are_left_to_the_reviewer():
    """创业担保贷款扶持对象 as dated data: registered unemployment and identified special groups
    are found on record; a declared group (a veteran...) is named with its evidence for the
    reviewer; a group out of force is not found."""
    today = dt.date(2026, 12, 1)
    found = rules.loan_groups_on_record(on=today, registered_unemployed=True, special_categories=[])
    assert [group.code for group in found] == ["registered_unemployed"]
    found = rules.loan_groups_on_record(
        on=today, registered_unemployed=False, special_categories=["older_unemployed", "unemployed_graduate"]
    )
    assert [group.code for group in found] == ["employment_difficulty", "graduate"]
    assert rules.loan_groups_on_record(on=today, registered_unemployed=False, special_categories=["unknown"]) == []
    assert rules.loan_groups_on_record(on=dt.date(2019, 1, 1), registered_unemployed=True, special_categories=[]) == []
    declared = [group.code for group in rules.loan_groups() if group.found_by == "declared"]
    assert "veteran" in declared and all(group.legal_basis for group in rules.loan_groups())


def test_a_full_score_without_a_target_group_on_record_goes_to_review(city):
    """The fast track needs the records to confirm a target group: otherwise the reviewer
    checks the evidence the applicant brings, whatever the score."""
    steady_earner(city)
    with translation.override("zh-hans"):
        application = do(city, submit(city, "SH-JY-003", LOAN_FORM))
    figures = _assessment(application)
    assert figures["score"] == 100 and "fast_track" not in figures and figures["review_required"]
    assert (
        figures["target_groups"].startswith("未查到扶持对象身份记录")
        and "退役军人（退役证件）" in figures["target_groups"]
    )
    assert _open_step(application) == "review"
