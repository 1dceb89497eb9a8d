"""用人单位社会保险登记: an employer registers for its insurances from a month on (S1).

``employer_registration_plan`` works out, without writing, what a registration would be:
the insurances chosen (named from the codes table of insurance types), the first month,
and for work injury the industry risk class (工伤保险行业风险类别) — the one the employer
declared, else the class of its recorded industry — with that class's base rate in force
from the first month (a dated policy parameter, ``work_injury.class_rate.<class>``).
``employer_registration_create`` checks again under a lock on the employer and writes the
registrations, and for work injury the employer's rate class from that month
(``EmployerWorkInjuryRate``, floating at 100 %, changed later by staff).

Refused (the service hall ends the application with the reason): no insurance chosen, an
insurance the codes table or this app does not know, an employer already registered for
one of them (a registration, or employees already insured through it), a risk class
outside 1..8 or without a rate in force, no class to take when none is declared and the
industry has none, a first month without policy figures, or a work-injury class already
set from that month or later.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hrss.codes.models import InsuranceType as InsuranceCode
from hrss.codes.selectors import parameter_value
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput
from hrss.core.scope import Scope
from hrss.insurance import access, policy, rules
from hrss.insurance.models import (
    EmployerRegistration,
    EmployerWorkInjuryRate,
    Enrolment,
    IndustryRiskClass,
)
from hrss.registry.models import Employer


@dataclass(frozen=True)
class RegistrationPlan:
    """What a registration would write, with the figures a reviewer checks."""

    employer_id: uuid.UUID
    insurances: tuple[tuple[str, str], ...]  # (code, name from the codes table)
    start_month: dt.date
    headcount: int | None
    risk_class: int | None  # work injury only
    risk_class_source: str  # "declared" | "industry" | ""
    industry: str
    work_injury_base_rate: Decimal | None


def _insurances(codes: Sequence[str]) -> tuple[tuple[str, str], ...]:
    chosen = sorted(set(codes))
    if not chosen:
        raise InvalidInput(
            _("Choose at least one insurance to register for."), fields={"insurance_types": _("required")}
        )
    names = dict(InsuranceCode.objects.filter(code__in=chosen).values_list("code", "name"))
    unknown = [code for code in chosen if code not in names or code not in rules.ASSESSED_INSURANCES]
    if unknown:
        raise InvalidInput(
            _("Unknown insurance: %(codes)s.") % {"codes": ", ".join(unknown)},
            fields={"insurance_types": ", ".join(unknown)},
        )
    return tuple((code, names[code]) for code in chosen)


def _already_registered(employer: Employer, codes: Sequence[str]) -> None:
    registered: dict[str, dt.date | None] = dict(
        EmployerRegistration.objects.filter(
            employer=employer, insurance_type__in=codes, end_month__isnull=True
        ).values_list("insurance_type", "start_month")
    )
    # Employers insured before registrations were recorded: employees insured through them.
    for code in (
        Enrolment.objects.filter(employer=employer, insurance_type__in=codes, end_month__isnull=True)
        .values_list("insurance_type", flat=True)
        .distinct()
    ):
        registered.setdefault(code, None)
    if registered:
        names = dict(InsuranceCode.objects.filter(code__in=registered).values_list("code", "name"))
        listed = ", ".join(
            names.get(code, code) + (f" ({month:%Y-%m})" if month else "") for code, month in sorted(registered.items())
        )
        raise Conflict(
            _("The employer is already registered for: %(insurances)s.") % {"insurances": listed},
            code="employer_already_registered",
            fields={"insurance_types": ", ".join(sorted(registered))},
        )


def _risk_class(employer: Employer, declared: int | None) -> tuple[int, str]:
    if declared is not None:
        if declared not in policy.WORK_INJURY_CLASSES:
            raise InvalidInput(
                _("Unknown work-injury risk class %(value)s: the classes are 1 to 8.") % {"value": declared},
                fields={"risk_class": str(declared)},
            )
        return declared, "declared"
    risk = IndustryRiskClass.objects.filter(industry_id=employer.industry_id).first() if employer.industry_id else None
    if risk is None:
        raise InvalidInput(
            _(
                "The employer's industry has no work-injury risk class on record: "
                "choose the class (1 to 8) on the form."
            ),
            fields={"risk_class": _("required"), "industry": employer.industry_id or _("missing")},
        )
    return risk.risk_class, "industry"


def employer_registration_plan(
    *,
    scope: Scope,
    employer_id: uuid.UUID | str,
    insurance_types: Sequence[str],
    start_month: dt.date,
    risk_class: int | None = None,
    headcount: int | None = None,
) -> RegistrationPlan:
    """The registration as it would be made; nothing is written. Raises the refusals."""
    employer = access.employer_for(scope, employer_id)
    insurances = _insurances(insurance_types)
    codes = [code for code, _name in insurances]
    month = rules.month_start(start_month)
    with policy.figures_for("start_month", f"{month:%Y-%m}"):
        policy.period_rates(month)  # every rate of that month is configured
    _already_registered(employer, codes)
    chosen_class, source, base_rate = None, "", None
    if rules.WORK_INJURY in codes:
        chosen_class, source = _risk_class(employer, risk_class)
        with policy.figures_for("risk_class", chosen_class):
            base_rate = parameter_value(f"work_injury.class_rate.{chosen_class}", on=month)
        later = EmployerWorkInjuryRate.objects.filter(employer=employer, valid_from__gte=month).first()
        if later is not None:
            raise Conflict(
                _("The employer's work-injury class is already set from %(month)s.")
                % {"month": f"{later.valid_from:%Y-%m}"},
                code="work_injury_rate_exists",
                fields={"start_month": f"{month:%Y-%m}"},
            )
    return RegistrationPlan(
        employer_id=employer.pk,
        insurances=insurances,
        start_month=month,
        headcount=headcount,
        risk_class=chosen_class,
        risk_class_source=source,
        industry=employer.industry_id or "",
        work_injury_base_rate=base_rate,
    )


@transaction.atomic
def employer_registration_create(
    *,
    scope: Scope,
    employer_id: uuid.UUID | str,
    insurance_types: Sequence[str],
    start_month: dt.date,
    risk_class: int | None = None,
    headcount: int | None = None,
    application: str = "",
) -> tuple[RegistrationPlan, list[EmployerRegistration]]:
    """Register the employer (checked again under a lock on the employer row)."""
    locked = Employer.objects.select_for_update().filter(pk=employer_id).values_list("pk", flat=True).first()
    plan = employer_registration_plan(
        scope=scope,
        employer_id=locked or employer_id,
        insurance_types=insurance_types,
        start_month=start_month,
        risk_class=risk_class,
        headcount=headcount,
    )
    try:
        with transaction.atomic():
            registrations = [
                EmployerRegistration.objects.create(
                    employer_id=plan.employer_id,
                    insurance_type=code,
                    start_month=plan.start_month,
                    headcount=headcount,
                    application=application,
                    registered_by=scope.actor,
                )
                for code, _name in plan.insurances
            ]
    except IntegrityError:
        raise Conflict(
            _("The employer is already registered for one of these insurances."), code="employer_already_registered"
        ) from None
    if plan.risk_class is not None:
        for rate in EmployerWorkInjuryRate.objects.select_for_update().filter(
            employer_id=plan.employer_id, valid_to__isnull=True
        ):
            rate.valid_to = rules.add_months(plan.start_month, -1)
            rate.save(update_fields=["valid_to", "updated_at"])
        EmployerWorkInjuryRate.objects.create(
            employer_id=plan.employer_id,
            risk_class=plan.risk_class,
            floating_percent=100,  # no floating until staff set one (work_injury_rate_change)
            valid_from=plan.start_month,
            decided_by=scope.actor,
        )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.employer_registration.create",
        object_type="employer",
        object_id=str(plan.employer_id),
        detail={
            "insurances": [code for code, _name in plan.insurances],
            "start_month": f"{plan.start_month:%Y-%m}",
            "risk_class": plan.risk_class,
            "risk_class_source": plan.risk_class_source,
            "application": application,
        },
    )
    return plan, registrations
