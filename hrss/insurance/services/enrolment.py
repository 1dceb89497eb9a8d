"""Enrolment (参保登记), work-injury rate classes and contribution bases (S1)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrss.codes.selectors import insurance_type_name
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.events import publish
from hrss.core.scope import CITIZEN, EMPLOYER_AGENT, Scope
from hrss.insurance import access, policy, rules
from hrss.insurance.events import EnrolmentStarted, EnrolmentStopped
from hrss.insurance.models import (
    ContributionBase,
    EmployerWorkInjuryRate,
    Enrolment,
    IndustryRiskClass,
    PayerCategory,
)
from hrss.registry.models import Employer, Person

# Flexible workers (灵活就业) enrol in the basic pension; the other insurances have no
# flexible-worker rate among the configured parameters.
FLEXIBLE_TYPES = frozenset({rules.PENSION})


def _types(insurance_types: Sequence[str]) -> list[str]:
    unknown = [code for code in insurance_types if code not in rules.ASSESSED_INSURANCES]
    if unknown or not insurance_types:
        raise InvalidInput(
            _("Choose one or more of: %(codes)s.") % {"codes": ", ".join(rules.ASSESSED_INSURANCES)},
            fields={"insurance_types": ", ".join(unknown) or _("required")},
        )
    return sorted(set(insurance_types))


def _check_alive(person: Person, month: dt.date) -> None:
    if person.death_date and rules.month_start(person.death_date) < month:
        raise InvalidInput(_("This person is recorded as deceased."), fields={"person": _("deceased")})


@transaction.atomic
def work_injury_rate_ensure(*, employer: Employer, from_month: dt.date, actor: str) -> EmployerWorkInjuryRate:
    """The employer's work-injury class in force, set from its industry when it has none yet."""
    current = (
        EmployerWorkInjuryRate.objects.select_for_update()
        .filter(employer=employer, valid_from__lte=from_month)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=from_month))
        .first()
    )
    if current:
        return current
    industry = employer.industry_id
    risk = IndustryRiskClass.objects.filter(industry_id=industry).first() if industry else None
    if risk is None:
        raise InvalidInput(
            _("The employer's industry is not recorded, so its work-injury rate class cannot be set."),
            fields={"industry": industry or _("missing")},
        )
    # A class that starts later (set by staff in advance) closes this one off.
    later = EmployerWorkInjuryRate.objects.filter(employer=employer, valid_from__gt=from_month).order_by("valid_from")
    nxt = later.first()
    rate = EmployerWorkInjuryRate.objects.create(
        employer=employer,
        risk_class=risk.risk_class,
        floating_percent=100,
        valid_from=from_month,
        valid_to=rules.add_months(nxt.valid_from, -1) if nxt else None,
        decided_by=actor,
    )
    audit_record(
        actor=actor,
        action="insurance.work_injury_rate.set",
        object_type="employer",
        object_id=str(employer.pk),
        detail={"risk_class": risk.risk_class, "floating_percent": 100, "from": from_month.isoformat()},
    )
    return rate


@transaction.atomic
def work_injury_rate_change(
    *, scope: Scope, employer_id: uuid.UUID, risk_class: int, floating_percent: int, from_month: dt.date
) -> EmployerWorkInjuryRate:
    """Staff set a new class or floating rate (浮动费率) from a month on; the old one ends."""
    access.require_caseworker(scope)
    employer = access.employer_for(scope, employer_id)
    from_month = rules.month_start(from_month)
    if not 1 <= risk_class <= 8:
        raise InvalidInput(fields={"risk_class": _("between 1 and 8")})
    if not 50 <= floating_percent <= 200:
        raise InvalidInput(fields={"floating_percent": _("between 50 and 200")})
    open_rate = EmployerWorkInjuryRate.objects.select_for_update().filter(employer=employer, valid_to__isnull=True)
    for rate in open_rate:
        if rate.valid_from >= from_month:
            raise Conflict(_("A rate already starts in or after this month."), fields={"from_month": str(from_month)})
        rate.valid_to = rules.add_months(from_month, -1)
        rate.save(update_fields=["valid_to", "updated_at"])
    rate = EmployerWorkInjuryRate.objects.create(
        employer=employer,
        risk_class=risk_class,
        floating_percent=floating_percent,
        valid_from=from_month,
        decided_by=scope.actor,
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.work_injury_rate.change",
        object_type="employer",
        object_id=str(employer.pk),
        detail={"risk_class": risk_class, "floating_percent": floating_percent, "from": from_month.isoformat()},
    )
    return rate


@transaction.atomic
def enrolment_start(
    *,
    scope: Scope,
    person_id: uuid.UUID,
    insurance_types: Sequence[str],
    start_month: dt.date,
    employer_id: uuid.UUID | None = None,
) -> list[Enrolment]:
    """Enrol a person (增员): through an employer, or as a flexible worker without one.

    Employer agents enrol their own employees; citizens enrol themselves as flexible
    workers; caseworkers do either for people in their districts.
    """
    types = _types(insurance_types)
    start = rules.month_start(start_month)
    if employer_id is not None:
        employer = access.employer_for(scope, employer_id)
        person = access.person_for(scope, person_id)
        category = PayerCategory.EMPLOYEE
    else:
        if scope.has_role(EMPLOYER_AGENT) and not scope.is_staff:
            raise PermissionDenied(_("An employer enrols its employees under its own name."))
        person = access.person_for_self_or_staff(scope, person_id)
        employer = None
        category = PayerCategory.FLEXIBLE
        not_flexible = sorted(set(types) - FLEXIBLE_TYPES)
        if not_flexible:
            raise InvalidInput(
                _("Flexible workers can enrol in the basic pension only."),
                fields={"insurance_types": ", ".join(not_flexible)},
            )
    _check_alive(person, start)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # serialise enrolments of one person
    created = []
    for code in types:
        clash = (
            Enrolment.objects.filter(person=person, insurance_type=code)
            .filter(Q(end_month__isnull=True) | Q(end_month__gte=start))
            .first()
        )
        if clash:
            raise Conflict(
                _("%(person)s is already insured in %(insurance)s from %(month)s.")
                % {
                    "person": person.name,
                    "insurance": insurance_type_name(code),
                    "month": f"{clash.start_month:%Y-%m}",
                },
                fields={"insurance_types": code},
            )
        if code == rules.WORK_INJURY and employer is not None:
            work_injury_rate_ensure(employer=employer, from_month=start, actor=scope.actor)
        enrolment = Enrolment.objects.create(
            person=person, employer=employer, insurance_type=code, category=category, start_month=start
        )
        created.append(enrolment)
        publish(
            EnrolmentStarted(
                person_id=person.pk,
                insurance_type=code,
                start_month=start,
                employer_id=employer.pk if employer else None,
            )
        )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.enrolment.start",
        object_type="person",
        object_id=str(person.pk),
        detail={"types": types, "start": start.isoformat(), "employer": str(employer.pk) if employer else None},
    )
    return created


@transaction.atomic
def enrolment_stop(
    *,
    scope: Scope,
    person_id: uuid.UUID,
    insurance_types: Sequence[str],
    last_month: dt.date,
    reason: str,
    employer_id: uuid.UUID | None = None,
) -> list[Enrolment]:
    """Stop open enrolments (减员) after ``last_month``, the last month contributed for."""
    types = _types(insurance_types)
    last = rules.month_start(last_month)
    if reason not in Enrolment.StopReason.values:
        raise InvalidInput(fields={"reason": _("unknown reason")})
    if employer_id is not None:
        employer = access.employer_for(scope, employer_id)
        person = access.person_for(scope, person_id)
    else:
        employer = None
        if scope.has_role(EMPLOYER_AGENT) and not scope.is_staff:
            raise PermissionDenied()
        person = access.person_for_self_or_staff(scope, person_id)
    spells = Enrolment.objects.select_for_update().filter(
        person=person, insurance_type__in=types, end_month__isnull=True
    )
    spells = spells.filter(employer=employer) if employer else spells
    if scope.has_role(CITIZEN) and not scope.is_staff:
        spells = spells.filter(category=PayerCategory.FLEXIBLE)
    stopped = list(spells)
    if not stopped:
        raise NotFound(_("No open enrolment to stop."), fields={"insurance_types": ", ".join(types)})
    for spell in stopped:
        if last < spell.start_month:
            raise InvalidInput(
                _("The last month is before the enrolment began (%(month)s).")
                % {"month": f"{spell.start_month:%Y-%m}"},
                fields={"last_month": last.isoformat()},
            )
        spell.end_month = last
        spell.stop_reason = reason
        spell.save(update_fields=["end_month", "stop_reason", "updated_at"])
        publish(
            EnrolmentStopped(
                person_id=person.pk,
                insurance_type=spell.insurance_type,
                last_month=last,
                reason=reason,
                employer_id=spell.employer_id,
            )
        )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.enrolment.stop",
        object_type="person",
        object_id=str(person.pk),
        detail={"types": types, "last": last.isoformat(), "reason": reason},
    )
    return stopped


@dataclass(frozen=True)
class DeclarationLine:
    person_id: uuid.UUID
    declared_wage: Decimal
    base: Decimal
    clamped: str  # "" | "floor" | "ceiling"


@transaction.atomic
def base_declare(
    *, scope: Scope, employer_id: uuid.UUID, year: int, wages: Sequence[tuple[uuid.UUID, Decimal]]
) -> list[DeclarationLine]:
    """An employer's annual base declaration (缴费基数申报).

    Each employee's previous-year average monthly wage becomes the base, clamped to the
    band in force on 1 January of ``year`` (60 %-300 % of the average wage). Only people
    enrolled through this employer in that year can be declared. A later declaration for
    the same person and year replaces the earlier one (kept in the history table); months
    already assessed change only through a correction.
    """
    employer = access.employer_for(scope, employer_id)
    band = policy.base_band(on=dt.date(year, 1, 1))
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 1)
    ids = [person_id for person_id, _wage in wages]
    if len(set(map(str, ids))) != len(ids):
        raise InvalidInput(_("A person appears twice in the declaration."), fields={"wages": _("duplicates")})
    enrolled = set(
        Enrolment.objects.filter(employer=employer, person_id__in=ids, start_month__lte=year_end)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=year_start))
        .values_list("person_id", flat=True)
    )
    lines = []
    for person_id, wage in wages:
        if Decimal(wage) < 0:
            raise InvalidInput(fields={str(person_id): _("a wage cannot be negative")})
        if uuid.UUID(str(person_id)) not in enrolled:
            raise InvalidInput(
                _("Only employees enrolled through this employer in %(year)s can be declared.") % {"year": year},
                fields={str(person_id): _("not enrolled here")},
            )
        base = band.clamp(Decimal(wage))
        clamped = "floor" if base > rules.yuan(wage) else "ceiling" if base < rules.yuan(wage) else ""
        ContributionBase.objects.update_or_create(
            person_id=person_id,
            year=year,
            defaults={
                "employer": employer,
                "declared_wage_fen": rules.to_fen(Decimal(wage)),
                "base_fen": rules.to_fen(base),
                "source": ContributionBase.Source.EMPLOYER,
                "declared_by": scope.actor,
            },
        )
        lines.append(DeclarationLine(uuid.UUID(str(person_id)), rules.yuan(wage), base, clamped))
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.base.declare",
        object_type="employer",
        object_id=str(employer.pk),
        detail={"year": year, "persons": len(lines), "floor": str(band.floor), "ceiling": str(band.ceiling)},
    )
    return lines


@transaction.atomic
def base_choose(*, scope: Scope, person_id: uuid.UUID, year: int, base: Decimal) -> ContributionBase:
    """A flexible worker chooses a base within the band (60 %-300 % of the average wage)."""
    person = access.person_for_self_or_staff(scope, person_id)
    if not Enrolment.objects.filter(person=person, category=PayerCategory.FLEXIBLE).exists():
        raise InvalidInput(_("Only flexible workers choose their own base."), fields={"base": _("not flexible")})
    band = policy.flexible_base_band(on=dt.date(year, 1, 1))
    base = rules.yuan(base)
    if not band.contains(base):
        raise InvalidInput(
            _("Choose a base between %(floor)s and %(ceiling)s yuan.") % {"floor": band.floor, "ceiling": band.ceiling},
            fields={"base": str(base)},
        )
    record, _created = ContributionBase.objects.update_or_create(
        person=person,
        year=year,
        defaults={
            "employer": None,
            "declared_wage_fen": rules.to_fen(base),
            "base_fen": rules.to_fen(base),
            "source": ContributionBase.Source.FLEXIBLE,
            "declared_by": scope.actor,
        },
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.base.choose",
        object_type="person",
        object_id=str(person.pk),
        detail={"year": year, "base": str(base)},
    )
    return record


@transaction.atomic
def flexible_enrol(*, scope: Scope, person_id: uuid.UUID, start_month: dt.date, base: Decimal) -> list[Enrolment]:
    """A flexible worker enrols online and chooses a base, in one step (S2: 全民参保)."""
    created = enrolment_start(
        scope=scope, person_id=person_id, insurance_types=[rules.PENSION], start_month=start_month
    )
    base_choose(scope=scope, person_id=person_id, year=start_month.year, base=base)
    return created
