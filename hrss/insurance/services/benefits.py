"""Benefits: pension award and unemployment benefit, their monthly payment and stopping (S1).

The service items around them (accept, review, approve) belong to the service hall; these
are the domain functions its processes call: ``pension_award_compute`` /
``pension_award_grant`` and ``unemployment_claim_assess`` / ``unemployment_award_grant``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.events import publish
from hrss.core.scope import Scope
from hrss.insurance import access, calculators, policy, rules
from hrss.insurance.events import BenefitAwarded
from hrss.insurance.models import (
    BenefitAward,
    BenefitKind,
    BenefitPayment,
    ContributionLine,
    Enrolment,
    PayerCategory,
)
from hrss.insurance.rules import Age, RetirementCategory
from hrss.insurance.selectors.contributions import (
    account_balance_fen,
    pension_average_index,
    pension_contribution_months,
)
from hrss.insurance.sql import db_datetime, execute
from hrss.registry.models import Person


def default_retirement_category(person: Person) -> RetirementCategory:
    """Men; women as workers (original age 50) unless they last contributed as flexible
    workers, whose original age is 55. Staff may choose the category explicitly."""
    if person.sex == Person.Sex.MALE:
        return RetirementCategory.MALE
    last = Enrolment.objects.filter(person=person, insurance_type=rules.PENSION).order_by("-start_month").first()
    if last is not None and last.category == PayerCategory.FLEXIBLE:
        return RetirementCategory.FEMALE_55
    return RetirementCategory.FEMALE_50


@dataclass(frozen=True)
class PensionComputation:
    """Everything a reviewer needs to check a pension award, and the amounts."""

    person_id: uuid.UUID
    category: str
    statutory_age: str
    retirement_age: str
    retirement_age_total_months: int
    retirement_month: dt.date
    start_month: dt.date
    contribution_months: int
    minimum_years: Decimal
    minimum_met: bool
    average_wage: Decimal
    average_index: Decimal
    account_balance: Decimal
    divisor: Decimal
    basic: Decimal
    account: Decimal
    transitional: Decimal | None
    total: Decimal
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, (Decimal, dt.date, uuid.UUID)) else v) for k, v in asdict(self).items()}


def pension_award_compute(
    *,
    scope: Scope,
    person_id: uuid.UUID,
    category: str | None = None,
    retirement_month: dt.date | None = None,
    deemed_contribution_months: int | None = None,
) -> PensionComputation:
    """Eligibility and the monthly pension of a person retiring in ``retirement_month``.

    Without a month, the statutory one (2025 delay rules). A chosen month must lie within
    the flexible-retirement bounds (at most 3 years earlier, never before the original
    age; at most 3 years later). Eligibility: the minimum contribution years in force in
    the retirement month (15, rising from 2030 to 20).
    """
    person = access.person_for_self_or_staff(scope, person_id)
    if category and category not in {c.value for c in RetirementCategory}:
        raise InvalidInput(
            fields={"category": _("one of %(values)s") % {"values": ", ".join(c.value for c in RetirementCategory)}}
        )
    chosen = RetirementCategory(category) if category else default_retirement_category(person)
    if chosen == RetirementCategory.MALE and person.sex != Person.Sex.MALE:
        raise InvalidInput(fields={"category": _("not a category for women")})
    if chosen != RetirementCategory.MALE and person.sex == Person.Sex.MALE:
        raise InvalidInput(fields={"category": _("not a category for men")})
    schedule = policy.retirement_schedule(chosen)
    statutory = rules.statutory_retirement_age(person.birth_date, schedule)
    month = (
        rules.month_start(retirement_month)
        if retirement_month
        else rules.statutory_retirement_month(person.birth_date, schedule)
    )
    age = Age.of_months(rules.month_index(month) - rules.month_index(person.birth_date))
    # A retirement in the future is estimated with the figures in force today: the
    # average wage of a future year is not known yet.
    figures_on = min(month, dt.date.today())
    table = policy.divisor_table(on=figures_on)
    if not min(table.table) <= age.years < max(table.table):
        raise InvalidInput(
            _("A pension cannot start at the age of %(age)s.") % {"age": age}, fields={"retirement_month": str(month)}
        )
    earliest, latest = rules.flexible_retirement_bounds(
        person.birth_date, schedule, policy.flexible_retirement_max_years()
    )
    reasons: list[str] = []
    if not earliest <= age <= latest:
        reasons.append(
            _("Retirement at %(age)s is outside the allowed range %(earliest)s to %(latest)s.")
            % {"age": age, "earliest": earliest, "latest": latest}
        )
    months = pension_contribution_months(person.pk, until=month) + (deemed_contribution_months or 0)
    minimum = policy.pension_minimum_years(on=month)
    minimum_met = rules.pension_minimum_met(months, minimum)
    if not minimum_met:
        reasons.append(
            _("%(months)s contribution months is less than the minimum of %(years)s years.")
            % {"months": months, "years": rules.plain(minimum)}
        )
    wage = policy.pension_calculation_base(on=figures_on)
    index = pension_average_index(person.pk, until=month)
    balance = rules.from_fen(account_balance_fen(person.pk, on=rules.month_end(month)))
    result = calculators.pension_estimate_compute(
        average_wage=wage,
        average_index=index,
        contribution_months=months,
        account_balance=balance,
        retirement_age=age,
        deemed_contribution_months=deemed_contribution_months,
        on=figures_on,
    )
    estimate = result.estimate
    if figures_on < month:
        result.notes.append(_("Retirement is in the future: today's average wage and divisors are used."))
    return PensionComputation(
        person_id=person.pk,
        category=chosen.value,
        statutory_age=str(statutory),
        retirement_age=str(age),
        retirement_age_total_months=age.total_months,
        retirement_month=month,
        start_month=rules.add_months(month, 1),
        contribution_months=months,
        minimum_years=minimum,
        minimum_met=minimum_met,
        average_wage=wage,
        average_index=index,
        account_balance=balance,
        divisor=estimate.divisor,
        basic=estimate.basic,
        account=estimate.account,
        transitional=estimate.transitional,
        total=estimate.total,
        eligible=not reasons,
        reasons=reasons,
        notes=result.notes,
    )


def _grant(
    *,
    scope: Scope,
    person: Person,
    kind: str,
    start_month: dt.date,
    end_month: dt.date | None,
    monthly: Decimal,
    entitled_months: int | None,
    calculation: dict[str, Any],
) -> BenefitAward:
    try:
        with transaction.atomic():
            award = BenefitAward.objects.create(
                person=person,
                kind=kind,
                start_month=start_month,
                end_month=end_month,
                monthly_fen=rules.to_fen(monthly),
                entitled_months=entitled_months,
                calculation=calculation,
                decided_by=scope.actor,
            )
    except IntegrityError as error:
        raise Conflict(_("This person already has a current award of this kind.")) from error
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=f"insurance.award.{kind}.grant",
        object_type="person",
        object_id=str(person.pk),
        detail={"award": str(award.pk), "monthly": str(monthly), "start": start_month.isoformat()},
    )
    publish(BenefitAwarded(award_id=award.pk, person_id=person.pk, kind=kind, monthly_amount=str(monthly)))
    return award


@transaction.atomic
def pension_award_grant(*, scope: Scope, computation: PensionComputation) -> BenefitAward:
    """Grant the pension the computation found (after the hall's approval step).

    Pension and unemployment enrolments end with the retirement month.
    """
    access.require_caseworker(scope)
    person = access.person_for(scope, computation.person_id)
    if not computation.eligible:
        raise InvalidInput(
            _("The person is not eligible for a pension: %(reasons)s") % {"reasons": " ".join(computation.reasons)},
            fields={"eligible": "false"},
        )
    award = _grant(
        scope=scope,
        person=person,
        kind=BenefitKind.PENSION,
        start_month=computation.start_month,
        end_month=None,
        monthly=computation.total,
        entitled_months=None,
        calculation=computation.as_json(),
    )
    for spell in Enrolment.objects.select_for_update().filter(
        person=person, insurance_type__in=[rules.PENSION, rules.UNEMPLOYMENT], end_month__isnull=True
    ):
        spell.end_month = max(computation.retirement_month, spell.start_month)
        spell.stop_reason = Enrolment.StopReason.RETIRED
        spell.save(update_fields=["end_month", "stop_reason", "updated_at"])
    return award


def award_schedule(
    award: BenefitAward, *, months: int = 12, start: dt.date | None = None
) -> list[tuple[dt.date, Decimal]]:
    """The coming monthly payments of an award: (month, amount)."""
    first = max(award.start_month, rules.month_start(start or dt.date.today()))
    schedule = []
    for offset in range(months):
        period = rules.add_months(first, offset)
        if award.end_month and period > award.end_month:
            break
        if award.stopped_month and period >= award.stopped_month:
            break
        schedule.append((period, rules.from_fen(award.monthly_fen)))
    return schedule


# --- unemployment insurance --------------------------------------------------------------


@dataclass(frozen=True)
class UnemploymentAssessment:
    person_id: uuid.UUID
    separation_date: dt.date
    contribution_months: int
    tier_months: int
    carried_over_months: int
    total_months: int
    capped: bool
    monthly_amount: Decimal
    amount_basis: str
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    previous_award_id: uuid.UUID | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, (Decimal, dt.date, uuid.UUID)) else v) for k, v in asdict(self).items()}


def _months_paid(award: BenefitAward) -> int:
    net = (
        BenefitPayment.objects.filter(award=award)
        .values("period")
        .annotate(total=Sum("amount_fen"))
        .filter(total__gt=0)
        .count()
    )
    return int(net)


def unemployment_claim_assess(
    *,
    scope: Scope,
    person_id: uuid.UUID,
    separation_date: dt.date,
    involuntary: bool,
    registered_unemployed: bool,
) -> UnemploymentAssessment:
    """Entitlement to 失业保险金 (失业保险条例 第14, 17, 18条).

    Contribution time counts from the start of the previous award (it restarts after
    re-employment); unused months of that award are carried over; the total is capped
    (24 months). The monthly amount is the city's parameter.
    """
    person = access.person_for_self_or_staff(scope, person_id)
    reasons: list[str] = []
    if not involuntary:
        reasons.append(_("The job did not end against the person's will (非因本人意愿中断就业)."))
    if not registered_unemployed:
        reasons.append(_("The person is not registered as unemployed and seeking work."))
    if person.death_date:
        reasons.append(_("The person is recorded as deceased."))
    if BenefitAward.objects.filter(person=person, kind=BenefitKind.PENSION, status=BenefitAward.Status.ACTIVE).exists():
        reasons.append(_("The person draws a pension."))
    previous = (
        BenefitAward.objects.filter(person=person, kind=BenefitKind.UNEMPLOYMENT).order_by("-start_month").first()
    )
    if previous is not None and previous.status in (BenefitAward.Status.ACTIVE, BenefitAward.Status.SUSPENDED):
        reasons.append(_("An unemployment benefit is already being paid."))
    lines = ContributionLine.objects.filter(
        person=person, insurance_type=rules.UNEMPLOYMENT, period__lte=rules.month_start(separation_date)
    )
    carried = 0
    if previous is not None:
        lines = lines.filter(period__gte=previous.start_month)
        carried = max(0, (previous.entitled_months or 0) - _months_paid(previous))
    months = lines.values("period").annotate(base=Sum("base_fen")).filter(base__gt=0).count()
    on = separation_date
    entitlement = rules.unemployment_entitlement(
        contribution_months=months,
        carried_over_months=carried,
        tiers=policy.unemployment_tiers(on=on),
        minimum_years=policy.unemployment_minimum_years(on=on),
        maximum_months=policy.unemployment_maximum_months(on=on),
    )
    if not entitlement.eligible:
        reasons.append(
            _("%(months)s months of contributions since the last claim is less than the minimum of %(years)s year(s).")
            % {"months": months, "years": rules.plain(policy.unemployment_minimum_years(on=on))}
        )
    amount = policy.unemployment_benefit_amount(on=on)
    return UnemploymentAssessment(
        person_id=person.pk,
        separation_date=separation_date,
        contribution_months=months,
        tier_months=entitlement.tier_months,
        carried_over_months=carried,
        total_months=entitlement.total_months,
        capped=entitlement.capped,
        monthly_amount=amount.amount,
        amount_basis=amount.basis,
        eligible=entitlement.eligible and not reasons,
        reasons=reasons,
        previous_award_id=previous.pk if previous else None,
    )


@transaction.atomic
def unemployment_award_grant(*, scope: Scope, assessment: UnemploymentAssessment, start_month: dt.date) -> BenefitAward:
    """Grant the benefit months the assessment found, paid monthly from ``start_month``."""
    access.require_caseworker(scope)
    person = access.person_for(scope, assessment.person_id)
    if not assessment.eligible:
        raise InvalidInput(
            _("The claim does not qualify: %(reasons)s") % {"reasons": " ".join(assessment.reasons)},
            fields={"eligible": "false"},
        )
    start = rules.month_start(start_month)
    if assessment.previous_award_id:
        # the previous award's unused months are now part of this one
        BenefitAward.objects.filter(pk=assessment.previous_award_id, status=BenefitAward.Status.STOPPED).update(
            status=BenefitAward.Status.ENDED
        )
    return _grant(
        scope=scope,
        person=person,
        kind=BenefitKind.UNEMPLOYMENT,
        start_month=start,
        end_month=rules.add_months(start, assessment.total_months - 1),
        monthly=assessment.monthly_amount,
        entitled_months=assessment.total_months,
        calculation=assessment.as_json(),
    )


@transaction.atomic
def award_stop(*, scope: Scope, award_id: uuid.UUID, first_unpaid_month: dt.date, reason: str) -> BenefitAward:
    """Stop paying an award from a month (re-employment, death...); earlier months stand."""
    access.require_caseworker(scope)
    award = BenefitAward.objects.select_for_update().filter(pk=award_id).first()
    if award is None:
        raise NotFound()
    access.person_for(scope, award.person_id)
    if reason not in BenefitAward.StopReason.values:
        raise InvalidInput(fields={"reason": reason})
    if award.status not in (BenefitAward.Status.ACTIVE, BenefitAward.Status.SUSPENDED):
        raise Conflict(_("The award is not being paid."))
    first = max(rules.month_start(first_unpaid_month), award.start_month)
    award.status = BenefitAward.Status.STOPPED
    award.stop_reason = reason
    award.stopped_month = first
    award.end_month = rules.add_months(first, -1)  # before start_month when nothing was ever due
    award.save(update_fields=["status", "stop_reason", "stopped_month", "end_month", "updated_at"])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.award.stop",
        object_type="person",
        object_id=str(award.person_id),
        detail={"award": str(award.pk), "from": first.isoformat(), "reason": reason},
    )
    return award


def benefit_pay_period(*, period: dt.date, actor: str = "system") -> int:
    """Pay every active award for a month (set-based, once per award and month).

    Unemployment awards whose last month has been paid are marked ended.
    """
    period = rules.month_start(period)
    table, awards = BenefitPayment._meta.db_table, BenefitAward._meta.db_table
    sql = f"""
INSERT INTO {table} (award_id, person_id, benefit, period, kind, amount_fen, created_at)
SELECT a.id, a.person_id, a.kind, %s, %s, a.monthly_fen, %s
FROM {awards} a
WHERE a.status = %s AND a.start_month <= %s AND (a.end_month IS NULL OR a.end_month >= %s)
ON CONFLICT DO NOTHING"""  # noqa: S608 - table names from model meta; values are bound parameters
    now = db_datetime(timezone.now())
    with transaction.atomic():
        paid = execute(
            sql,
            [period, BenefitPayment.Kind.PAYMENT.value, now, BenefitAward.Status.ACTIVE.value, period, period],
        )
        BenefitAward.objects.filter(
            Q(kind=BenefitKind.UNEMPLOYMENT), status=BenefitAward.Status.ACTIVE, end_month__lte=period
        ).update(status=BenefitAward.Status.ENDED, stop_reason=BenefitAward.StopReason.EXHAUSTED)
        audit_record(
            actor=actor,
            action="insurance.benefits.pay",
            object_type="period",
            object_id=f"{period:%Y-%m}",
            detail={"payments": paid},
        )
    return paid


def unemployment_benefit_stop_on_reemployment(*, person_id: uuid.UUID, start_month: dt.date) -> BenefitAward | None:
    """A person drawing unemployment benefit enrolled by an employer: the benefit stops from
    the first month of the new job (失业保险条例 第15条). Months already paid from then on are
    found by the cross-check and recovered. Nothing to stop: ``None``."""
    current = BenefitAward.objects.filter(
        person_id=person_id, kind=BenefitKind.UNEMPLOYMENT, status=BenefitAward.Status.ACTIVE
    ).first()
    if current is None:
        return None
    return award_stop(
        scope=Scope.system("insurance:reemployment"),
        award_id=current.pk,
        first_unpaid_month=start_month,
        reason=BenefitAward.StopReason.REEMPLOYED,
    )
