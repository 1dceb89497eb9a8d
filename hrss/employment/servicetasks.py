"""The employment items' steps of the service hall: 失业登记 (SH-JY-001) and 就业登记
(SH-JY-002) (E1), 创业担保贷款 (SH-JY-003) and 一次性创业补贴 (SH-JY-004) (E2).

The start-up items assess right after acceptance (``*_assess``: the figures stored in the
workflow data under the task's ``resultVariable`` for the reviewer and the approver, nothing
written; a case that does not qualify is refused there with its reasons) and grant after
approval (``*_grant``, assessed again: the records may have changed). The loan's assessment
carries ``fast_track`` when its score reaches the fast-track score: the process's gateway
then skips the review tier.

The hall runs ``processes/unemployment_registration.bpmn`` (accept, first review, a second
review when risk flags are raised or credit is poor); once staff have approved, the process
calls the handler here, which registers the person as unemployed and opens their
job-seeker profile (``services.unemployment_register``). The registry of handlers is
``hrss.core.servicetasks``: the hall and this app never import each other.

The hall application's reference is the retry key: the engine may run a service task again,
and a second run answers with the registration the first one made. A person already
registered, a date in the future or an application naming no person end the application
rejected with the reason (``ServiceTaskRefused``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils.translation import gettext as _

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.employment import services, startup

UNEMPLOYMENT_REGISTER = "employment.unemployment_register"
EMPLOYMENT_REGISTER = "employment.employment_register"


def _person_id(context: ServiceTaskContext) -> uuid.UUID:
    try:
        return uuid.UUID(str(context.person_id))
    except ValueError as error:
        raise ServiceTaskRefused(_("This service is for citizens: the application names no person.")) from error


def _form_date(context: ServiceTaskContext, name: str) -> dt.date | None:
    raw = str(context.form_data.get(name) or "")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as error:
        raise ServiceTaskRefused(_("Enter a date as YYYY-MM-DD."), code="invalid_input", fields={name: raw}) from error


@register_handler(UNEMPLOYMENT_REGISTER)
def unemployment_register(context: ServiceTaskContext) -> dict[str, Any]:
    try:
        person_id = uuid.UUID(str(context.person_id))
    except ValueError as error:
        raise ServiceTaskRefused(_("This service is for citizens: the application names no person.")) from error
    try:
        since = dt.date.fromisoformat(str(context.form_data.get("unemployed_since") or ""))
    except ValueError as error:
        raise ServiceTaskRefused(
            _("The application gives no valid date of becoming unemployed."), code="unemployed_since_missing"
        ) from error
    try:
        registration = services.unemployment_register(
            scope=Scope.system(context.actor),
            person_id=person_id,
            unemployed_since=since,
            reference=context.reference,
            last_employer=str(context.form_data.get("last_employer") or ""),
            wants_training=bool(context.form_data.get("wants_training")),
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "handled_by": UNEMPLOYMENT_REGISTER,
        "what": "registered as unemployed",  # what the hall's page says was done (as before the move)
        "registration_id": str(registration.pk),
        "unemployed_since": registration.unemployed_since.isoformat(),
        "registered_on": registration.registered_on.isoformat(),
    }


@register_handler(EMPLOYMENT_REGISTER)
def employment_register(context: ServiceTaskContext) -> dict[str, Any]:
    person_id = _person_id(context)
    started_on = _form_date(context, "started_on")
    if started_on is None:
        raise ServiceTaskRefused(_("The application gives no valid date of employment."), code="started_on_missing")
    try:
        registration = startup.employment_register(
            scope=Scope.system(context.actor),
            person_id=person_id,
            kind=str(context.form_data.get("employment_kind") or ""),
            started_on=started_on,
            reference=context.reference,
            credit_code=str(context.form_data.get("credit_code") or ""),
            employer_name=str(context.form_data.get("employer_name") or ""),
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "handled_by": EMPLOYMENT_REGISTER,
        "what": _("Employment registered from %(date)s.") % {"date": registration.started_on.isoformat()},
        "registration_id": str(registration.pk),
        "employer": registration.employer_name,
        "started_on": registration.started_on.isoformat(),
    }


@register_handler("employment.startup_loan_assess")
def startup_loan_assess(context: ServiceTaskContext) -> dict[str, Any]:
    """After acceptance: the loan's terms and the repayment assessment, for review; nothing written."""
    try:
        result = startup.loan_assess(
            scope=Scope.system(context.actor),
            person_id=_person_id(context),
            amount=context.form_data.get("amount"),
            term_months=context.form_data.get("term_months"),
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return startup.loan_figures(result)


@register_handler("employment.startup_loan_grant")
def startup_loan_grant(context: ServiceTaskContext) -> dict[str, Any]:
    """After approval: the loan recorded with the assessment it was decided on."""
    try:
        loan = startup.loan_grant(
            scope=Scope.system(context.actor),
            person_id=_person_id(context),
            business_name=str(context.form_data.get("business_name") or ""),
            amount=context.form_data.get("amount"),
            term_months=context.form_data.get("term_months"),
            reference=context.reference,
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "what": _("Start-up guaranteed loan approved: %(amount)s yuan over %(months)s months.")
        % {"amount": f"{loan.amount_fen / 100:.2f}", "months": loan.term_months},
        "loan_id": str(loan.pk),
        "score": loan.score,
        "loan_amount": f"{loan.amount_fen / 100:.2f}",
        "monthly_instalment": f"{loan.monthly_instalment_fen / 100:.2f}",
        "interest_subsidy_total": f"{loan.interest_subsidy_fen / 100:.2f}",
    }


@register_handler("employment.startup_subsidy_assess")
def startup_subsidy_assess(context: ServiceTaskContext) -> dict[str, Any]:
    """After acceptance: the claim checked and the amount in force; nothing written."""
    try:
        result = startup.subsidy_assess(
            scope=Scope.system(context.actor),
            person_id=_person_id(context),
            started_on=_form_date(context, "started_on"),
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "what": _("Start-up subsidy checked: %(amount)s yuan.") % {"amount": f"{result.amount:.2f}"},
        "business_started_on": result.started_on.isoformat(),
        "subsidy_amount": f"{result.amount:.2f}",
    }


@register_handler("employment.startup_subsidy_grant")
def startup_subsidy_grant(context: ServiceTaskContext) -> dict[str, Any]:
    """After approval: the subsidy granted, once per person."""
    try:
        subsidy = startup.subsidy_grant(
            scope=Scope.system(context.actor),
            person_id=_person_id(context),
            business_name=str(context.form_data.get("business_name") or ""),
            started_on=_form_date(context, "started_on"),
            reference=context.reference,
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "what": _("One-time start-up subsidy granted: %(amount)s yuan.")
        % {"amount": f"{subsidy.amount_fen / 100:.2f}"},
        "subsidy_id": str(subsidy.pk),
        "subsidy_amount": f"{subsidy.amount_fen / 100:.2f}",
    }
