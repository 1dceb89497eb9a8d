"""全民参保 (S2): working-age registry persons who should be insured here and are not.

Working age: at least the minimum working age, and not yet at statutory retirement age
(the 2025 schedule; women are taken at the later, original-55 schedule, which is the one
of flexible workers, so nobody who could still enrol is left out). "Not insured": no
enrolment in force this month. Left out as well: the deceased, people with a current
pension here, and people with a recorded exemption (students, insured elsewhere...).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from hrss.core.errors import PermissionDenied
from hrss.core.scope import Scope
from hrss.insurance import policy, rules
from hrss.insurance.models import BenefitAward, BenefitKind, Enrolment, EnrolmentExemption
from hrss.insurance.rules import RetirementCategory
from hrss.registry import selectors as registry_selectors
from hrss.registry.models import Person


def earliest_working_birth_month(category: RetirementCategory, *, on: dt.date) -> dt.date:
    """The first birth month whose statutory retirement month is after ``on``'s month.

    Retirement months strictly increase with birth months (a property the rules' tests
    check), so a binary search over the last century of birth months finds it.
    """
    schedule = policy.retirement_schedule(category)
    target = rules.month_index(on)
    low, high = rules.month_index(on) - 100 * 12, rules.month_index(on)
    while low < high:
        middle = (low + high) // 2
        if rules.month_index(rules.statutory_retirement_month(rules.month_from_index(middle), schedule)) > target:
            high = middle
        else:
            low = middle + 1
    return rules.month_from_index(low)


def uninsured_queryset(*, scope: Scope, on: dt.date, district: str | None = None) -> QuerySet[Person]:
    """Persons in the caller's districts who should be insured and are not (staff only)."""
    if not scope.is_staff:
        raise PermissionDenied()
    month = rules.month_start(on)
    min_age = policy.minimum_working_age(on=on)
    youngest_birth = rules.add_months(on, -12 * min_age)
    male_from = earliest_working_birth_month(RetirementCategory.MALE, on=on)
    female_from = earliest_working_birth_month(RetirementCategory.FEMALE_55, on=on)
    insured = Enrolment.objects.filter(person=OuterRef("pk"), start_month__lte=month).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month)
    )
    exempt = EnrolmentExemption.objects.filter(person=OuterRef("pk"), valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    pensioner = BenefitAward.objects.filter(
        person=OuterRef("pk"),
        kind=BenefitKind.PENSION,
        status__in=[BenefitAward.Status.ACTIVE, BenefitAward.Status.SUSPENDED],
    )
    persons = (
        registry_selectors.person_queryset(scope=scope)
        .filter(status=Person.Status.ACTIVE, death_date__isnull=True, birth_date__lte=youngest_birth)
        .filter(
            Q(sex=Person.Sex.MALE, birth_date__gte=male_from) | Q(sex=Person.Sex.FEMALE, birth_date__gte=female_from)
        )
        .filter(~Exists(insured), ~Exists(exempt), ~Exists(pensioner))
    )
    if district:
        persons = persons.filter(residence_district_id=district)
    return persons


@dataclass(frozen=True)
class DistrictCount:
    district: str
    uninsured: int


def uninsured_by_district(*, scope: Scope, on: dt.date) -> list[DistrictCount]:
    rows = (
        uninsured_queryset(scope=scope, on=on)
        .values("residence_district_id")
        .annotate(n=Count("id"))
        .order_by("residence_district_id")
    )
    return [DistrictCount(row["residence_district_id"] or "", row["n"]) for row in rows]


def uninsured_persons(
    *, scope: Scope, on: dt.date, district: str | None = None, limit: int = 50, offset: int = 0
) -> list[Person]:
    return list(
        uninsured_queryset(scope=scope, on=on, district=district)
        .select_related("residence_district")
        .order_by("residence_district_id", "name", "id")[offset : offset + limit]
    )


@dataclass(frozen=True)
class ReminderCounts:
    """How a month's reminders went out (counted from ``ReminderDelivery``)."""

    period: dt.date
    reminders: int
    sms_sent: int
    no_phone: int
    invalid_phone: int
    in_app: int
    undelivered: int  # published, not yet handled by the subscriber


def reminder_counts(*, scope: Scope, period: dt.date, district: str | None = None) -> ReminderCounts:
    """A month's reminders in the caller's districts: sent by SMS, without a usable number, in-app (staff)."""
    from hrss.insurance.models import EnrolmentReminder, ReminderDelivery

    if not scope.is_staff:
        raise PermissionDenied()
    month = rules.month_start(period)
    reminders = EnrolmentReminder.objects.filter(period=month)
    if not scope.city_wide:
        reminders = reminders.filter(district__in=list(scope.districts or ()))
    if district:
        reminders = reminders.filter(district=district)
    totals = reminders.aggregate(
        reminders=Count("id"),
        sms_sent=Count("id", filter=Q(delivery__sms=ReminderDelivery.Sms.SENT)),
        no_phone=Count("id", filter=Q(delivery__sms=ReminderDelivery.Sms.NO_PHONE)),
        invalid_phone=Count("id", filter=Q(delivery__sms=ReminderDelivery.Sms.INVALID_PHONE)),
        in_app=Count("id", filter=Q(delivery__in_app=True)),
        undelivered=Count("id", filter=Q(delivery__isnull=True)),
    )
    return ReminderCounts(period=month, **{name: int(value or 0) for name, value in totals.items()})
