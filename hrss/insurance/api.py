"""Insurance API (S1, S2, S3): thin handlers over services and selectors, one error shape.

- public: ``POST /pension/estimate`` (养老金测算, no sign-in)
- citizens: ``/me/...`` contributions, account, benefits, estimate, flexible enrolment
- employers: ``/employers/{credit_code}/...`` enrolment, base declaration, statements, arrears
- staff: assessment runs, corrections, universal enrolment (and how its reminders went out),
  recovery cases
- flexible workers: ``/me/payments`` months with something due, online payment; the payment
  provider's callback ``/payments/notify/{gateway}`` (no sign-in: the gateway authenticates it)
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from hrss.core.errors import PermissionDenied
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.core.scope import Scope
from hrss.identity.auth import API_AUTH, request_scope
from hrss.insurance import access, calculators, policy, rules, services
from hrss.insurance.schemas import (
    AccountOut,
    BenefitsOut,
    ContributionMonthOut,
    CorrectionIn,
    CorrectionOut,
    DeclarationIn,
    DeclarationLineOut,
    DistrictCountOut,
    EnrolmentIn,
    EnrolmentOut,
    EnrolmentStopIn,
    ErrorOut,
    FlexibleEnrolmentIn,
    MyPaymentsOut,
    OnlinePaymentIn,
    OnlinePaymentOut,
    PaymentNotifiedOut,
    PensionEstimateIn,
    PensionEstimateOut,
    PensionPrefillOut,
    RecoveryCaseOut,
    ReminderCountsOut,
    RunOut,
    StatementOut,
    UninsuredPersonOut,
)
from hrss.insurance.selectors import assessment_runs, contributions, enrolments, universal
from hrss.insurance.selectors import benefits as benefit_reads
from hrss.insurance.selectors import payments as payment_reads
from hrss.insurance.services import online_payment
from hrss.registry import selectors as registry_selectors
from hrss.registry.models import Employer, Person

router = Router(tags=["insurance"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 503: ErrorOut}


# --- helpers ---------------------------------------------------------------------------------


def _me(request: HttpRequest) -> tuple[Scope, uuid.UUID]:
    scope = request_scope(request)
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    return scope, scope.person_id


def _employer(scope: Scope, credit_code: str) -> Employer:
    employer = registry_selectors.employer_get(scope=scope, credit_code=credit_code)
    return access.employer_for(scope, employer.pk)


def _person(scope: Scope, id_number: str, purpose: str) -> Person:
    return registry_selectors.person_get_by_id_number(scope=scope, id_number=id_number, purpose=purpose)


def estimate_out(result: calculators.EstimateResult) -> PensionEstimateOut:
    estimate = result.estimate
    return PensionEstimateOut(
        basic_pension=estimate.basic,
        account_pension=estimate.account,
        transitional_pension=estimate.transitional,
        total=estimate.total,
        months_divisor=estimate.divisor,
        contribution_years=estimate.contribution_years.quantize(rules.CENT, rounding=ROUND_HALF_UP),
        notes=result.notes,
    )


# --- public ----------------------------------------------------------------------------------


@router.post(
    "/pension/estimate",
    auth=None,
    response={200: PensionEstimateOut, 422: ErrorOut, 503: ErrorOut},
    summary="Public pension calculator (养老金测算): no sign-in",
)
def pension_estimate(request: HttpRequest, payload: PensionEstimateIn) -> PensionEstimateOut:
    return estimate_out(
        calculators.pension_estimate_compute(
            average_wage=payload.average_wage,
            average_index=payload.average_index,
            contribution_months=payload.contribution_months,
            account_balance=payload.account_balance,
            retirement_age=rules.Age(payload.retirement_age_years, payload.retirement_age_months),
            deemed_contribution_months=payload.deemed_contribution_months,
            deemed_index=payload.deemed_index,
        )
    )


# --- citizens --------------------------------------------------------------------------------


class ContributionsQuery(Schema):
    year: int | None = Field(None, ge=1990, le=2100)
    insurance_type: str | None = None


@router.get("/me/contributions", response={200: list[ContributionMonthOut], **_ERRORS}, summary="My contributions")
def my_contributions(request: HttpRequest, filters: Query[ContributionsQuery]) -> list[Any]:
    scope, person_id = _me(request)
    return contributions.person_contributions(
        scope=scope, person_id=person_id, year=filters.year, insurance_type=filters.insurance_type
    )


@router.get("/me/account", response={200: AccountOut, **_ERRORS}, summary="My personal pension account")
def my_account(request: HttpRequest) -> Any:
    scope, person_id = _me(request)
    return contributions.person_account(scope=scope, person_id=person_id)


@router.get("/me/benefits", response={200: BenefitsOut, **_ERRORS}, summary="My pension and unemployment benefits")
def my_benefits(request: HttpRequest) -> dict[str, Any]:
    scope, person_id = _me(request)
    return {
        "awards": benefit_reads.person_awards(scope=scope, person_id=person_id),
        "payments": benefit_reads.person_benefit_payments(scope=scope, person_id=person_id),
    }


class EstimateQuery(Schema):
    category: str | None = None
    retirement_month: dt.date | None = None


@router.get("/me/estimate", response={200: PensionPrefillOut, **_ERRORS}, summary="My pension estimate from my record")
def my_estimate(request: HttpRequest, filters: Query[EstimateQuery]) -> PensionPrefillOut:
    scope, person_id = _me(request)
    with policy.figures_for("retirement_month", filters.retirement_month):
        computation = services.pension_award_compute(
            scope=scope, person_id=person_id, category=filters.category, retirement_month=filters.retirement_month
        )
    age = rules.Age.of_months(computation.retirement_age_total_months)
    inputs = PensionEstimateIn(
        average_wage=computation.average_wage,
        average_index=computation.average_index,
        contribution_months=computation.contribution_months,
        account_balance=computation.account_balance,
        retirement_age_years=age.years,
        retirement_age_months=age.months,
        deemed_contribution_months=None,
        deemed_index=Decimal(1),
    )
    return PensionPrefillOut(
        inputs=inputs,
        retirement_category=computation.category,
        retirement_month=computation.retirement_month,
        minimum_contribution_years=computation.minimum_years,
        minimum_met=computation.minimum_met,
        estimate=PensionEstimateOut(
            basic_pension=computation.basic,
            account_pension=computation.account,
            transitional_pension=computation.transitional,
            total=computation.total,
            months_divisor=computation.divisor,
            contribution_years=(Decimal(computation.contribution_months) / 12).quantize(
                rules.CENT, rounding=ROUND_HALF_UP
            ),
            notes=computation.notes + computation.reasons,
        ),
    )


@router.get("/me/enrolments", response={200: list[EnrolmentOut], **_ERRORS}, summary="My insured status over time")
def my_enrolments(request: HttpRequest) -> list[Any]:
    scope, person_id = _me(request)
    return enrolments.person_enrolments(scope=scope, person_id=person_id)


@router.post(
    "/me/enrolments",
    response={201: list[EnrolmentOut], **_ERRORS},
    summary="Enrol myself as a flexible worker (灵活就业) with a base of my choice",
)
def my_flexible_enrolment(request: HttpRequest, payload: FlexibleEnrolmentIn) -> Status:
    scope, person_id = _me(request)
    with policy.figures_for("start_month", payload.start_month):
        created = services.flexible_enrol(
            scope=scope, person_id=person_id, start_month=payload.start_month, base=payload.base
        )
    return Status(201, created)


# --- employers -------------------------------------------------------------------------------


@router.post(
    "/employers/{credit_code}/enrolments",
    response={201: list[EnrolmentOut], **_ERRORS},
    summary="Enrol an employee (增员)",
)
def employer_enrol(request: HttpRequest, credit_code: str, payload: EnrolmentIn) -> Status:
    scope = request_scope(request)
    employer = _employer(scope, credit_code)
    person = _person(scope, payload.id_number, "insurance enrolment")
    created = services.enrolment_start(
        scope=scope,
        person_id=person.pk,
        employer_id=employer.pk,
        insurance_types=payload.insurance_types,
        start_month=payload.start_month,
    )
    return Status(201, created)


@router.post(
    "/employers/{credit_code}/enrolments/stop",
    response={200: list[EnrolmentOut], **_ERRORS},
    summary="Stop an employee's enrolment (减员)",
)
def employer_stop(request: HttpRequest, credit_code: str, payload: EnrolmentStopIn) -> list[Any]:
    scope = request_scope(request)
    employer = _employer(scope, credit_code)
    person = _person(scope, payload.id_number, "insurance enrolment")
    stopped = services.enrolment_stop(
        scope=scope,
        person_id=person.pk,
        employer_id=employer.pk,
        insurance_types=payload.insurance_types,
        last_month=payload.last_month,
        reason=payload.reason,
    )
    return stopped


@router.post(
    "/employers/{credit_code}/declarations",
    response={200: list[DeclarationLineOut], **_ERRORS},
    summary="Annual contribution base declaration (缴费基数申报)",
)
def employer_declare(request: HttpRequest, credit_code: str, payload: DeclarationIn) -> list[Any]:
    scope = request_scope(request)
    employer = _employer(scope, credit_code)
    wages = [
        (_person(scope, line.id_number, "base declaration").pk, line.average_monthly_wage) for line in payload.lines
    ]
    with policy.figures_for("year", payload.year):
        lines = services.base_declare(scope=scope, employer_id=employer.pk, year=payload.year, wages=wages)
    return lines


@router.get(
    "/employers/{credit_code}/statements/{period}",
    response={200: StatementOut, **_ERRORS},
    summary="Monthly statement (缴费核定单) with payments, arrears and late fee",
)
def employer_statement(request: HttpRequest, credit_code: str, period: str) -> Any:
    scope = request_scope(request)
    employer = _employer(scope, credit_code)
    return contributions.employer_statement(scope=scope, employer_id=employer.pk, period=rules.parse_period(period))


# --- staff -----------------------------------------------------------------------------------


@router.get("/assessments/{period}", response={200: RunOut, **_ERRORS}, summary="A month's assessment run")
def assessment_run(request: HttpRequest, period: str) -> Any:
    return assessment_runs.assessment_run(scope=request_scope(request), period=rules.parse_period(period))


@router.post(
    "/persons/{id_number}/corrections",
    response={201: CorrectionOut, **_ERRORS},
    summary="Correct an assessed month (reversal and new line)",
)
def correction_create(request: HttpRequest, id_number: str, payload: CorrectionIn) -> Status:
    scope = request_scope(request)
    person = _person(scope, id_number, "contribution correction")
    with policy.figures_for("period", payload.period):
        correction = services.contribution_correct(
            scope=scope,
            person_id=person.pk,
            period=rules.parse_period(payload.period),
            insurance_type=payload.insurance_type,
            base=payload.base,
            reason=payload.reason,
        )
    return Status(201, correction)


@router.get(
    "/universal/districts",
    response={200: list[DistrictCountOut], **_ERRORS},
    summary="全民参保: uninsured working-age persons by district",
)
def universal_districts(request: HttpRequest, on: dt.date | None = None) -> list[Any]:
    with policy.figures_for("on", on):
        counts = universal.uninsured_by_district(scope=request_scope(request), on=on or dt.date.today())
    return counts


@router.get(
    "/universal/persons",
    response={200: list[UninsuredPersonOut], **_ERRORS},
    summary="全民参保: uninsured working-age persons of a district",
)
def universal_persons(
    request: HttpRequest,
    district: str | None = None,
    on: dt.date | None = None,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[Any]:
    scope = request_scope(request)
    with policy.figures_for("on", on):
        found = universal.uninsured_persons(
            scope=scope,
            on=on or dt.date.today(),
            district=district,
            limit=limit,
            offset=offset,
        )
    return found


@router.get("/recovery-cases", response={200: list[RecoveryCaseOut], **_ERRORS}, summary="Open overpayment cases")
def recovery_cases(request: HttpRequest, status: str = "open") -> list[Any]:
    return benefit_reads.recovery_cases(scope=request_scope(request), status=status)


@router.get(
    "/universal/reminders",
    response={200: ReminderCountsOut, **_ERRORS},
    summary="全民参保: how a month's reminders went out (SMS sent, no usable number, in-app)",
)
def universal_reminders(request: HttpRequest, period: str, district: str | None = None) -> Any:
    return universal.reminder_counts(scope=request_scope(request), period=rules.parse_period(period), district=district)


# --- online payment of flexible workers' contributions ---------------------------------------


@router.get(
    "/me/payments",
    response={200: MyPaymentsOut, **_ERRORS},
    summary="My months with contributions due (flexible workers) and my online payments",
)
def my_payments(request: HttpRequest) -> dict[str, Any]:
    scope, person_id = _me(request)
    due = payment_reads.due_months(scope=scope, person_id=person_id)
    return {
        "due": due,
        "total_outstanding": sum((month.outstanding for month in due), Decimal(0)),
        "payments": payment_reads.online_payments_for(scope=scope, person_id=person_id),
    }


@router.post(
    "/me/payments",
    response={200: OnlinePaymentOut, 201: OnlinePaymentOut, **_ERRORS, 502: ErrorOut},
    summary="Pay months online (amount from the assessment; the same months again return the open payment)",
)
def my_payment_start(request: HttpRequest, payload: OnlinePaymentIn) -> Status:
    scope, person_id = _me(request)
    started = online_payment.online_payment_start(scope=scope, person_id=person_id, months=payload.months)
    return Status(201 if started.created else 200, started.payment)


@router.post(
    "/payments/notify/{gateway}",
    auth=None,
    response={200: PaymentNotifiedOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 503: ErrorOut},
    summary="The payment provider's callback for an online contribution payment (signed by the provider)",
)
def payment_notify(request: HttpRequest, gateway: str) -> Any:
    headers = dict(request.headers)  # HttpHeaders keys are title-cased, as the gateways expect
    payment = online_payment.online_payment_notification_apply(gateway_name=gateway, body=request.body, headers=headers)
    return payment
