"""用人单位社会保险登记 (SH-YL-003) as a service item (S1).

After acceptance ``insurance.employer_register_preview`` works the registration out (the
insurances, the first month, the work-injury risk class and its base rate) and stores it
in the workflow data for the reviewer, writing nothing; a case that cannot be registered
(already registered, an unknown class, no class for the industry...) is refused there with
the reasons. After approval ``insurance.employer_register`` registers the employer through
``services.employer_registration_create``, which checks everything again.

The retry key is the registration's ``application`` (the hall's reference): the task run
again for the same application answers with the registrations it made.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from hrss.core.errors import InvalidInput
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.insurance import rules, services
from hrss.insurance.models import EmployerRegistration, EmployerWorkInjuryRate
from hrss.insurance.services.employers import RegistrationPlan
from hrss.insurance.servicetasks.task_context import acting_scope, form_date, refusing

# The form's yes/no answers (catalogue item SH-YL-003) and the insurance each one registers.
INSURANCE_FIELDS = {
    "insure_pension": rules.PENSION,
    "insure_medical": rules.MEDICAL,
    "insure_unemployment": rules.UNEMPLOYMENT,
    "insure_work_injury": rules.WORK_INJURY,
}
# The workflow variable the preview is stored under (``resultVariable`` in the BPMN file).
PREVIEW = "registration_preview"

# Names of the figures, for the workbench (hrss.servicehall.figures reads any catalogue).
FIGURE_NAMES = (
    pgettext_lazy("computed figure", "Registration preview"),
    pgettext_lazy("computed figure", "Insurances"),
    pgettext_lazy("computed figure", "Start month"),
    pgettext_lazy("computed figure", "Work injury risk class"),
    pgettext_lazy("computed figure", "Risk class source"),
    pgettext_lazy("computed figure", "Work injury base rate"),
    pgettext_lazy("computed figure", "Headcount"),
    pgettext_lazy("computed figure", "Industry"),
    pgettext_lazy("computed figure", "Registered"),
)


def _employer_id(context: ServiceTaskContext) -> uuid.UUID:
    try:
        return uuid.UUID(str(context.employer_id))
    except ValueError as error:
        raise ServiceTaskRefused(_("This service is for employers: the application names no employer.")) from error


def _answers(context: ServiceTaskContext) -> dict[str, Any]:
    """The form's answers as the service takes them."""
    start = form_date(context, "start_month")
    if start is None:
        raise InvalidInput(fields={"start_month": _("required")})
    raw_class = context.form_data.get("risk_class")
    try:
        risk_class = int(str(raw_class)) if raw_class not in (None, "") else None
    except ValueError as error:
        raise InvalidInput(
            _("Unknown work-injury risk class %(value)s: the classes are 1 to 8.") % {"value": raw_class},
            fields={"risk_class": str(raw_class)},
        ) from error
    raw_headcount = context.form_data.get("headcount")
    return {
        "employer_id": _employer_id(context),
        "insurance_types": [code for field, code in INSURANCE_FIELDS.items() if context.form_data.get(field) is True],
        "start_month": start,
        "risk_class": risk_class,
        "headcount": int(raw_headcount) if isinstance(raw_headcount, int) else None,
    }


def _rate(rate: Decimal | None) -> str | None:
    """A ratio as a percentage with its digits (0.002 -> "0.2%")."""
    return None if rate is None else f"{rules.plain(rate * 100)}%"


def _figures(plan: RegistrationPlan) -> dict[str, Any]:
    return {
        "insurances": [name for _code, name in plan.insurances],  # the codes table's names, for the reviewer
        "start_month": f"{plan.start_month:%Y-%m}",
        "headcount": plan.headcount,
        "industry": plan.industry or None,
        "work_injury_risk_class": plan.risk_class,
        "risk_class_source": plan.risk_class_source or None,
        "work_injury_base_rate": _rate(plan.work_injury_base_rate),
    }


@register_handler("insurance.employer_register_preview")
@refusing
def employer_register_preview(context: ServiceTaskContext) -> dict[str, Any]:
    """After acceptance: the registration as it would be made, for the reviewer; nothing written."""
    plan = services.employer_registration_plan(scope=acting_scope(context), **_answers(context))
    return {"what": _("Employer insurance registration worked out for review"), **_figures(plan)}


def _earlier(context: ServiceTaskContext, employer_id: uuid.UUID) -> dict[str, Any] | None:
    rows = list(
        EmployerRegistration.objects.filter(employer_id=employer_id, application=context.reference).order_by(
            "insurance_type"
        )
    )
    if not rows:
        return None
    rate = (
        EmployerWorkInjuryRate.objects.filter(employer_id=employer_id, valid_from=rows[0].start_month)
        .order_by("-created_at")
        .first()
    )
    return _result(context, rows, rate.risk_class if rate else None)


def _result(context: ServiceTaskContext, rows: list[EmployerRegistration], risk_class: int | None) -> dict[str, Any]:
    start: dt.date = rows[0].start_month
    return {
        "what": _("The employer is registered for social insurance."),
        "registered": [{"insurance_type": row.insurance_type, "start_month": f"{start:%Y-%m}"} for row in rows],
        "start_month": f"{start:%Y-%m}",
        "work_injury_risk_class": risk_class,
        "application": context.reference,
    }


@register_handler("insurance.employer_register")
@refusing
def employer_register(context: ServiceTaskContext) -> dict[str, Any]:
    """After approval: register the employer (checked again: the record may have changed)."""
    answers = _answers(context)
    earlier = _earlier(context, answers["employer_id"])
    if earlier is not None:  # the engine ran this task again: answer as the first run did
        return earlier
    plan, rows = services.employer_registration_create(
        scope=acting_scope(context), application=context.reference, **answers
    )
    return {**_result(context, rows, plan.risk_class), **_figures(plan)}
