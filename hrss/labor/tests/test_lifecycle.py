"""The case from the hall's application to the award, through the real process and services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.workdays import is_workday
from hrss.labor import jobs, rules
from hrss.labor.models import ArbitrationCase, CaseStatus, ClockState
from hrss.labor.services import cases
from hrss.labor.tests.builders import accepted, approve_all, filed, hearing_time, make_arbitrator, refused
from hrss.servicehall.tests.builders import ARBITRATION_FORM

pytestmark = pytest.mark.django_db


def test_submission_files_the_case_with_its_acceptance_deadline(city):
    _application, case = filed(city)
    today = timezone.localdate()
    assert case.status == CaseStatus.FILED and case.person == city.person
    assert case.acceptance_due == rules.period_end(today, 5, is_workday) == case.due_on
    assert case.amount_claimed == Decimal("8600.00") and case.respondent_name == "某公司"
    # The engine may run the task again: the same case answers.
    again = cases.case_file(
        reference=case.reference,
        person_id=city.person.pk,
        respondent="x",
        claims="y",
        amount=None,
        actor="t",
        received_on=today,
    )
    assert again.pk == case.pk and ArbitrationCase.objects.count() == 1


def test_a_credit_code_names_the_registered_employer(city):
    _application, case = filed(city, {**ARBITRATION_FORM, "respondent": city.employer.credit_code})
    assert case.employer == city.employer and case.respondent_name == city.employer.name


def test_approval_accepts_the_case_and_starts_the_award_clock(city):
    case = accepted(city)
    today = timezone.localdate()
    assert case.status == CaseStatus.ACCEPTED and case.accepted_on == today
    assert case.award_due == rules.period_end(today, 45, is_workday) == case.due_on


def test_a_refusal_refuses_the_case_with_the_reasons(city):
    case = refused(city, "已超过仲裁时效")
    assert case.status == CaseStatus.REFUSED and case.refusal_reasons == "已超过仲裁时效"
    assert case.due_on is None and case.clock == ClockState.STOPPED


def test_the_arbitrator_takes_schedules_hears_and_awards(city, arbitrator):
    case = accepted(city)
    scope = city.scope(arbitrator)
    cases.case_take(scope=scope, reference=case.reference)
    with pytest.raises(InvalidInput):  # the notice must come five days before
        cases.hearing_schedule(scope=scope, reference=case.reference, at=hearing_time(3), room="第一仲裁庭")
    cases.hearing_schedule(scope=scope, reference=case.reference, at=hearing_time(10), room="第一仲裁庭")
    cases.hearing_record(scope=scope, reference=case.reference, record="双方到庭")
    awarded = cases.award_issue(
        scope=scope, reference=case.reference, outcome="upheld", text="支付工资8600元", amount="8600"
    )
    assert awarded.status == CaseStatus.AWARDED and awarded.final_award  # 8600 <= 12 x 2320
    assert awarded.due_on is None
    actions = list(awarded.events.values_list("action", flat=True))
    assert actions == ["file", "accept", "assign", "schedule_hearing", "record_hearing", "award"]
    assert AuditEntry.objects.filter(action="labor.case.award", object_id=str(case.pk)).exists()


def test_a_claim_above_twelve_months_of_minimum_wage_is_not_final(city, arbitrator):
    case = accepted(city, {**ARBITRATION_FORM, "amount": "27840.01"})
    scope = city.scope(arbitrator)
    cases.case_take(scope=scope, reference=case.reference)
    cases.hearing_schedule(scope=scope, reference=case.reference, at=hearing_time(10), room="第二仲裁庭")
    cases.hearing_record(scope=scope, reference=case.reference, record="记录")
    awarded = cases.award_issue(scope=scope, reference=case.reference, outcome="dismissed", text="驳回", amount="5")
    assert not awarded.final_award and awarded.amount_awarded == 0


def test_room_and_arbitrator_conflicts(city, arbitrator):
    first, second = accepted(city), accepted(city)
    other = make_arbitrator("arbitrator2")
    cases.case_take(scope=city.scope(arbitrator), reference=first.reference)
    cases.case_take(scope=city.scope(other), reference=second.reference)
    at = hearing_time(10)
    cases.hearing_schedule(scope=city.scope(arbitrator), reference=first.reference, at=at, room="第一仲裁庭")
    with pytest.raises(Conflict):
        cases.hearing_schedule(
            scope=city.scope(other), reference=second.reference, at=at + dt.timedelta(hours=1), room="第一仲裁庭"
        )
    cases.hearing_schedule(scope=city.scope(other), reference=second.reference, at=at, room="第二仲裁庭")


def test_only_the_holder_acts_and_only_arbitrators_see_the_queue(city, arbitrator):
    case = accepted(city)
    cases.case_take(scope=city.scope(arbitrator), reference=case.reference)
    other = make_arbitrator("arbitrator2")
    with pytest.raises(Conflict):
        cases.case_take(scope=city.scope(other), reference=case.reference)
    with pytest.raises(PermissionDenied):
        cases.hearing_record(scope=city.scope(other), reference=case.reference, record="x")
    with pytest.raises(PermissionDenied):
        cases.case_take(scope=city.scope(city.clerk), reference=case.reference)
    with pytest.raises(NotFound):  # outside the arbitrator's districts
        cases.case_take(scope=city.scope(make_district_arbitrator()), reference=case.reference)


def make_district_arbitrator():
    from hrss.core import scope as roles
    from hrss.testing import make_user

    return make_user("arbitrator_hx", roles.ARBITRATOR, districts=["120103"])


def test_the_award_period_extends_once(city, arbitrator):
    case = accepted(city)
    scope = city.scope(arbitrator)
    cases.case_take(scope=scope, reference=case.reference)
    extended = cases.award_extend(scope=scope, reference=case.reference, reason="案情复杂")
    assert extended.award_due == rules.period_end(case.accepted_on, 60, is_workday)
    with pytest.raises(Conflict):
        cases.award_extend(scope=scope, reference=case.reference, reason="again")


def test_the_deadline_job_flags_at_risk_and_overdue_cases(city):
    _app, waiting = filed(city)
    running = accepted(city)
    assert jobs.deadlines_check(today=waiting.acceptance_due + dt.timedelta(days=1))[rules.OVERDUE] >= 1
    waiting.refresh_from_db()
    running.refresh_from_db()
    assert waiting.clock == ClockState.OVERDUE
    assert running.clock == ClockState.ON_TIME
    jobs.deadlines_check(today=running.award_due - dt.timedelta(days=1))
    running.refresh_from_db()
    assert running.clock == ClockState.AT_RISK


def test_the_applicant_reads_only_their_own_cases(city):
    from hrss.labor import selectors
    from hrss.testing import make_person, make_user

    case = accepted(city)
    stranger = make_user("citizen2", "citizen", person=make_person(district="120101", name="李娜"))
    assert selectors.case_get(scope=city.scope(city.citizen), reference=case.reference)[0] == case
    with pytest.raises(NotFound):
        selectors.case_get(scope=city.scope(stranger), reference=case.reference)
    with pytest.raises(NotFound):
        selectors.case_get(scope=city.scope(city.clerk), reference=case.reference)


def test_an_approval_without_a_case_is_refused_not_a_fault(city):
    application, case = filed(city)
    case.delete()
    application = approve_all(city, application)
    assert application.status == "rejected"
