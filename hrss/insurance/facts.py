"""Facts of the contribution ledger that other apps' rules read, set-based, without importing
this app: declared on ``InsuranceConfig.ledger_facts`` as this module's dotted path, found by
the reader through the app registry (the employment app's policy run, for one).

Amounts are in fen, net of corrections (every revision of a month summed). Nothing here
writes, and nothing here is personal data beyond the ids the caller already holds.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce

from hrss.insurance import rules
from hrss.insurance.models import (
    BenefitAward,
    BenefitPayment,
    ContributionMonth,
    Enrolment,
    Payment,
    RecoveryCase,
)
from hrss.insurance.models.benefits import BenefitKind
from hrss.insurance.models.enrolment import PayerCategory


def employer_share_fen(*, period: dt.date, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> dict[tuple, int]:
    """The employer's share of pension, medical and unemployment insurance for each
    (employer, person) in one month, as assessed and corrected; pairs with nothing
    assessed are absent."""
    pairs = list(pairs)
    if not pairs:
        return {}
    persons = {person for _employer, person in pairs}
    rows = (
        ContributionMonth.objects.filter(period=period, person_id__in=persons, employer__isnull=False)
        .values("employer_id", "person_id")
        .annotate(
            fen=Sum(
                Coalesce(F("pension_employer_fen"), 0)
                + Coalesce(F("medical_employer_fen"), 0)
                + Coalesce(F("unemployment_employer_fen"), 0)
            )
        )
    )
    wanted = set(pairs)
    return {
        (row["employer_id"], row["person_id"]): int(row["fen"] or 0)
        for row in rows
        if (row["employer_id"], row["person_id"]) in wanted
    }


def unemployment_paid_fen(*, year: int) -> dict[uuid.UUID, int]:
    """Each employer's unemployment insurance contributions (employer's share) of a year."""
    rows = (
        ContributionMonth.objects.filter(
            period__gte=dt.date(year, 1, 1), period__lte=dt.date(year, 12, 1), employer__isnull=False
        )
        .values("employer_id")
        .annotate(fen=Sum(Coalesce(F("unemployment_employer_fen"), 0)))
    )
    return {row["employer_id"]: int(row["fen"] or 0) for row in rows if row["fen"]}


def unemployment_insured_year(*, year: int) -> dict[uuid.UUID, tuple[int, int, int]]:
    """For each employer with employees insured against unemployment during a year:
    (months insured without a gap from January to December: 0..12, insured at the start of
    the year, employees who left the employer during the year)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    spells = Enrolment.objects.filter(
        insurance_type=rules.UNEMPLOYMENT, category=PayerCategory.EMPLOYEE, start_month__lte=last
    ).filter(Q(end_month__isnull=True) | Q(end_month__gte=first))
    at_start = dict(
        spells.filter(start_month__lte=first)
        .values("employer_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("employer_id", "n")
    )
    left = dict(
        spells.filter(end_month__gte=first, end_month__lt=last, stop_reason=Enrolment.StopReason.LEFT_EMPLOYER)
        .values("employer_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("employer_id", "n")
    )
    months: dict[uuid.UUID, set[int]] = {}
    for employer_id, start, end in spells.values_list("employer_id", "start_month", "end_month"):
        begin = max(start, first).month
        stop = min(end, last).month if end is not None else 12
        months.setdefault(employer_id, set()).update(range(begin, stop + 1))
    return {
        employer_id: (len(covered), at_start.get(employer_id, 0), left.get(employer_id, 0))
        for employer_id, covered in months.items()
    }


def contribution_months(*, person_id: uuid.UUID, start: dt.date, end: dt.date) -> int:
    """How many months from ``start`` to ``end`` (first days of months) the person has
    contributions assessed for, under any payer (the continuity a loan assessment reads)."""
    return (
        ContributionMonth.objects.filter(person_id=person_id, period__gte=start, period__lte=end)
        .values("period")
        .distinct()
        .count()
    )


def employer_months(
    *, first: dt.date, last: dt.date, districts: Iterable[str] | None = None
) -> dict[tuple[uuid.UUID, dt.date], dict[str, int]]:
    """Per (employer, month) from ``first`` to ``last``: what was due (every insurance, both
    parts, net of corrections), what was paid, the insured headcount and the average base
    (fen) as assessed. ``districts`` limits to employers of those districts (None: all).
    Two grouped queries; read by labour's wage-arrears warning."""
    where = Q(employer__isnull=False, period__gte=first, period__lte=last)
    if districts is not None:
        where &= Q(employer__district_id__in=list(districts))
    due: Any = Coalesce(F("pension_employer_fen"), 0)
    for insurance in ("pension", "medical", "unemployment", "work_injury"):
        for part in ("employer", "individual"):
            if (insurance, part) != ("pension", "employer"):
                due = due + Coalesce(F(f"{insurance}_{part}_fen"), 0)
    result: dict[tuple[uuid.UUID, dt.date], dict[str, int]] = {}
    for row in (
        ContributionMonth.objects.filter(where)
        .values("employer_id", "period")
        .annotate(
            due=Sum(due),
            heads=Count("person_id", distinct=True, filter=Q(revision=0)),
            base_total=Sum("base_fen", filter=Q(revision=0)),
        )
    ):
        heads = row["heads"] or 0
        result[(row["employer_id"], row["period"])] = {
            "due": int(row["due"] or 0),
            "paid": 0,
            "heads": heads,
            "base": int(row["base_total"] or 0) // heads if heads else 0,
        }
    for paid in Payment.objects.filter(where).values("employer_id", "period").annotate(paid=Sum("amount_fen")):
        key = (paid["employer_id"], paid["period"])
        if key in result:
            result[key]["paid"] = int(paid["paid"] or 0)
    return result


def employer_latest_period() -> dt.date | None:
    """The latest month assessed for any employer (None before the first assessment)."""
    return ContributionMonth.objects.filter(employer__isnull=False).aggregate(p=Max("period"))["p"]


def unemployment_benefit(*, person_id: uuid.UUID) -> dict[str, Any] | None:
    """The person's latest unemployment benefit award (失业保险金) as plain facts — status,
    first and last month paid, monthly amount in fen, months entitled — or None; for the
    employment app's registration pages (one query, no personal data beyond the id given)."""
    from hrss.insurance.models import BenefitAward
    from hrss.insurance.models.benefits import BenefitKind

    award = (
        BenefitAward.objects.filter(person_id=person_id, kind=BenefitKind.UNEMPLOYMENT)
        .order_by("-start_month", "-created_at")
        .values("status", "start_month", "end_month", "monthly_fen", "entitled_months", "stopped_month")
        .first()
    )
    return dict(award) if award is not None else None


def flexible_paid_fen(*, period: dt.date) -> dict[uuid.UUID, int]:
    """Each flexible worker's own pension and medical contributions for one month (灵活就业人员
    缴费, the payer is the person), net of corrections; for the employment app's person
    policies (灵活就业社会保险补贴). One grouped query."""
    rows = (
        ContributionMonth.objects.filter(period=period, category=PayerCategory.FLEXIBLE, employer__isnull=True)
        .values("person_id")
        .annotate(fen=Sum(Coalesce(F("pension_individual_fen"), 0) + Coalesce(F("medical_individual_fen"), 0)))
    )
    return {row["person_id"]: int(row["fen"] or 0) for row in rows if row["fen"]}


def medical_account_employers(*, period: dt.date) -> set[uuid.UUID]:
    """The employers who have paid one month's contributions in full (every insurance, both
    parts, net of corrections): their employees' own medical contributions for that month are
    in the fund and may be credited to personal accounts. Two grouped queries."""
    due = employer_months(first=period, last=period)
    return {employer for (employer, _month), row in due.items() if row["due"] > 0 and row["paid"] >= row["due"]}


def medical_account_fen(
    *, period: dt.date, person_ids: Iterable[uuid.UUID], employers: set[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Each person's own basic medical insurance contribution for one month through an employer
    among ``employers`` (those who paid the month, ``medical_account_employers``), net of
    corrections: what 国办发〔2021〕14号 credits to an employee's personal account, read by the
    medical app. One grouped query over the given persons."""
    rows = (
        ContributionMonth.objects.filter(
            period=period,
            category=PayerCategory.EMPLOYEE,
            person_id__in=list(person_ids),
            medical_individual_fen__isnull=False,
        )
        .values("person_id", "employer_id")
        .annotate(fen=Sum("medical_individual_fen"))
    )
    credited: dict[uuid.UUID, int] = {}
    for row in rows:
        if row["employer_id"] in employers and row["fen"]:
            credited[row["person_id"]] = credited.get(row["person_id"], 0) + int(row["fen"])
    return credited


def medical_members(
    *, on: dt.date, after: uuid.UUID | None = None, limit: int = 2000
) -> list[tuple[uuid.UUID, str, dt.date]]:
    """Up to ``limit`` persons, by id after ``after``, in employees' basic medical insurance in
    ``on``'s month as this ledger knows them: ``(person, "retiree", first pension month)`` for a
    basic pension in payment, else ``(person, "employee", first month of the open spell)`` for an
    open medical enrolment. The medical app derives its person categories from these (two
    queries a page)."""
    month = rules.month_start(on)
    pensions = BenefitAward.objects.filter(
        kind=BenefitKind.PENSION, status=BenefitAward.Status.ACTIVE, start_month__lte=month
    )
    enrolled = Enrolment.objects.filter(insurance_type=rules.MEDICAL, start_month__lte=month).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month)
    )
    if after is not None:
        pensions, enrolled = pensions.filter(person_id__gt=after), enrolled.filter(person_id__gt=after)
    retired = dict(
        pensions.values("person_id")
        .annotate(first=Min("start_month"))
        .order_by("person_id")
        .values_list("person_id", "first")[:limit]
    )
    working = dict(
        enrolled.values("person_id")
        .annotate(first=Min("start_month"))
        .order_by("person_id")
        .values_list("person_id", "first")[:limit]
    )
    # Both pages are the first ``limit`` ids of their kind; keep the ids below the first page's
    # end that is full, so the next page (after the last id returned) misses no one.
    ends = [max(page) for page in (retired, working) if len(page) == limit]
    bound = min(ends) if ends else None
    members = [(person, "retiree", first) for person, first in retired.items()]
    members += [(person, "employee", first) for person, first in working.items() if person not in retired]
    return sorted(member for member in members if bound is None or member[0] <= bound)[:limit]


def employer_enrolment_spells(
    *, employer_id: uuid.UUID, since: dt.date | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """An employer's 增员/减员 as plain facts, for labour's employment filing (用工备案): one row
    per employee and spell (the insurances enrolled together merged) — person id, first month,
    last month (None while open) and why it stopped — latest first. ``since`` keeps the spells
    open at or after that month. One grouped query; nothing beyond ids and months."""
    where = Q(employer_id=employer_id, category=PayerCategory.EMPLOYEE)
    if since is not None:
        where &= Q(end_month__isnull=True) | Q(end_month__gte=since)
    rows = (
        Enrolment.objects.filter(where)
        .values("person_id", "start_month")
        .annotate(
            last=Max("end_month"), still_open=Count("id", filter=Q(end_month__isnull=True)), reason=Max("stop_reason")
        )
        .order_by("-start_month", "person_id")[:limit]
    )
    return [
        {
            "person_id": row["person_id"],
            "start_month": row["start_month"],
            "end_month": None if row["still_open"] else row["last"],
            "stop_reason": "" if row["still_open"] else row["reason"] or "",
            "stop_reason_label": ""
            if row["still_open"] or row["reason"] not in Enrolment.StopReason.values
            else str(Enrolment.StopReason(row["reason"]).label),
        }
        for row in rows
    ]


def person_debt_fen(*, person_id: uuid.UUID) -> int:
    """What a person owes the funds now: benefits overpaid to them whose recovery case is still
    open (待遇追回), in fen; the start-up loan's assessment reads it as existing arrears."""
    owed = RecoveryCase.objects.filter(person_id=person_id, status=RecoveryCase.Status.OPEN).aggregate(
        fen=Sum("overpaid_fen")
    )["fen"]
    return int(owed or 0)


def benefit_months(
    *, persons: Any, first: dt.date, last: dt.date, kinds: Iterable[str]
) -> set[tuple[uuid.UUID, dt.date, str]]:
    """(person, month, benefit kind) for every month from ``first`` to ``last`` (first days of
    months) for which the person was paid the benefit (net of reversals), e.g. ``"pension"``:
    what the eligibility cross-checks read, for another app's checks (the medical monitoring's
    cross-insurance screens). ``persons`` is ids or a query of ids (one query, set-based)."""
    rows = (
        BenefitPayment.objects.filter(
            person_id__in=persons, period__gte=first, period__lte=last, benefit__in=list(kinds)
        )
        .values("person_id", "period", "benefit")
        .annotate(total=Sum("amount_fen"))
        .filter(total__gt=0)
        .values_list("person_id", "period", "benefit")
    )
    return set(rows)
