"""Reads of contributions, statements, arrears and the personal account, scoped by caller (S1)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from hrss.core.scope import Scope
from hrss.insurance import access, policy, rules
from hrss.insurance.models import (
    AccountEntry,
    ContributionLine,
    EmployerPeriodTotal,
    Enrolment,
    LineKind,
    Payment,
)
from hrss.registry.models import Person


@dataclass(frozen=True)
class ContributionMonth:
    period: dt.date
    insurance_type: str
    employer_id: uuid.UUID | None
    base: Decimal
    employer_amount: Decimal
    individual_amount: Decimal
    account_amount: Decimal
    corrected: bool


def person_contributions(
    *, scope: Scope, person_id: uuid.UUID, year: int | None = None, insurance_type: str | None = None
) -> list[ContributionMonth]:
    """A person's contributions by month and insurance, corrections netted (我的缴费记录)."""
    person = access.person_for(scope, person_id)
    lines = ContributionLine.objects.filter(person=person)
    if year:
        lines = lines.filter(period__gte=dt.date(year, 1, 1), period__lte=dt.date(year, 12, 1))
    if insurance_type:
        lines = lines.filter(insurance_type=insurance_type)
    if scope.employer_id and not scope.is_staff and scope.person_id != person.pk:
        lines = lines.filter(employer_id=scope.employer_id)  # an employer sees what it paid
    rows = (
        lines.values("period", "insurance_type")
        .annotate(
            base=Sum("base_fen"),
            employer=Sum("employer_fen"),
            individual=Sum("individual_fen"),
            account=Sum("account_fen"),
            corrections=Count("id", filter=~Q(kind=LineKind.ASSESSED)),
        )
        .order_by("-period", "insurance_type")
    )
    employers = {
        (period, insurance): employer
        for period, insurance, employer in lines.filter(kind=LineKind.ASSESSED).values_list(
            "period", "insurance_type", "employer_id"
        )
    }
    return [
        ContributionMonth(
            period=row["period"],
            insurance_type=row["insurance_type"],
            employer_id=employers.get((row["period"], row["insurance_type"])),
            base=rules.from_fen(row["base"]),
            employer_amount=rules.from_fen(row["employer"]),
            individual_amount=rules.from_fen(row["individual"]),
            account_amount=rules.from_fen(row["account"]),
            corrected=bool(row["corrections"]),
        )
        for row in rows
    ]


def pension_contribution_months(person_id: uuid.UUID, *, until: dt.date | None = None) -> int:
    """Months with a pension contribution here, plus months transferred in, minus months out."""
    lines = ContributionLine.objects.filter(person_id=person_id, insurance_type=rules.PENSION)
    if until is not None:
        lines = lines.filter(period__lte=until)
    months = lines.values("period").annotate(base=Sum("base_fen")).filter(base__gt=0).count()
    moved = AccountEntry.objects.filter(person_id=person_id).exclude(months=0)
    if until is not None:
        moved = moved.filter(posted_on__lte=until)
    return months + int(moved.aggregate(total=Sum("months"))["total"] or 0)


def pension_average_index(person_id: uuid.UUID, *, until: dt.date | None = None) -> Decimal:
    """本人平均缴费工资指数 over the months contributed here: base ÷ average wage in force."""
    lines = ContributionLine.objects.filter(person_id=person_id, insurance_type=rules.PENSION)
    if until is not None:
        lines = lines.filter(period__lte=until)
    months = lines.values("period").annotate(base=Sum("base_fen")).filter(base__gt=0).order_by("period")
    wages: dict[int, Decimal] = {}
    pairs = []
    for row in months:
        period = row["period"]
        if period.year not in wages:
            wages[period.year] = policy.average_wage(on=period)
        pairs.append((rules.from_fen(row["base"]), wages[period.year]))
    return rules.average_contribution_index(pairs)


@dataclass(frozen=True)
class AccountLine:
    posted_on: dt.date
    kind: str
    amount: Decimal
    balance: Decimal
    months: int
    note: str

    @property
    def kind_label(self) -> str:
        return str(AccountEntry.Kind(self.kind).label)


@dataclass(frozen=True)
class AccountView:
    balance: Decimal
    contribution_months: int
    entries: list[AccountLine]


def person_account(*, scope: Scope, person_id: uuid.UUID) -> AccountView:
    """The personal pension account: every entry with the running balance (我的个人账户)."""
    person = access.person_for(scope, person_id)
    if scope.employer_id and not scope.is_staff and scope.person_id != person.pk:
        access.require_caseworker(scope)  # the account is not the employer's business
    entries = AccountEntry.objects.filter(person=person).order_by("posted_on", "id")
    balance = 0
    lines = []
    for entry in entries:
        balance += entry.amount_fen
        lines.append(
            AccountLine(
                entry.posted_on,
                entry.kind,
                rules.from_fen(entry.amount_fen),
                rules.from_fen(balance),
                entry.months,
                entry.note,
            )
        )
    return AccountView(rules.from_fen(balance), pension_contribution_months(person.pk), lines)


@dataclass(frozen=True)
class StatementTotal:
    insurance_type: str
    persons: int
    employer_amount: Decimal
    individual_amount: Decimal


@dataclass(frozen=True)
class StatementLine:
    person_id: uuid.UUID
    name: str
    insurance_type: str
    base: Decimal
    employer_amount: Decimal
    individual_amount: Decimal


@dataclass(frozen=True)
class Statement:
    period: dt.date
    employer_id: uuid.UUID
    totals: list[StatementTotal]
    due: Decimal
    paid: Decimal
    outstanding: Decimal
    due_date: dt.date
    late_fee: Decimal
    lines: list[StatementLine]


def employer_statement(
    *, scope: Scope, employer_id: uuid.UUID, period: dt.date, as_of: dt.date | None = None, limit: int = 500
) -> Statement:
    """An employer's monthly statement (缴费核定单): totals, lines, payments, arrears and late fee."""
    employer = access.employer_for(scope, employer_id)
    period = rules.month_start(period)
    as_of = as_of or dt.date.today()
    totals = [
        StatementTotal(t.insurance_type, t.persons, rules.from_fen(t.employer_fen), rules.from_fen(t.individual_fen))
        for t in EmployerPeriodTotal.objects.filter(employer=employer, period=period).order_by("insurance_type")
    ]
    due = sum((t.employer_amount + t.individual_amount for t in totals), Decimal(0))
    payments = list(
        Payment.objects.filter(employer=employer, period=period)
        .values_list("paid_on", "amount_fen")
        .order_by("paid_on")
    )
    paid = rules.from_fen(sum(amount for _paid_on, amount in payments))
    due_date = policy.contribution_due_date(period)
    fee = rules.late_fee(
        due_amount=due,
        due_date=due_date,
        payments=[(paid_on, rules.from_fen(amount)) for paid_on, amount in payments],
        as_of=as_of,
        daily_rate=policy.late_fee_daily_rate(on=due_date),
    )
    rows = (
        ContributionLine.objects.filter(employer=employer, period=period)
        .values("person_id", "insurance_type")
        .annotate(base=Sum("base_fen"), e=Sum("employer_fen"), i=Sum("individual_fen"))
        .order_by("person_id", "insurance_type")[:limit]
    )
    names = dict(Person.objects.filter(pk__in={row["person_id"] for row in rows}).values_list("pk", "name"))
    lines = [
        StatementLine(
            row["person_id"],
            names.get(row["person_id"], ""),
            row["insurance_type"],
            rules.from_fen(row["base"]),
            rules.from_fen(row["e"]),
            rules.from_fen(row["i"]),
        )
        for row in rows
    ]
    return Statement(period, employer.pk, totals, due, paid, due - paid, due_date, fee.fee, lines)


@dataclass(frozen=True)
class Arrear:
    period: dt.date
    due: Decimal
    paid: Decimal
    outstanding: Decimal
    due_date: dt.date
    overdue_days: int
    late_fee: Decimal


def employer_arrears(*, scope: Scope, employer_id: uuid.UUID, as_of: dt.date | None = None) -> list[Arrear]:
    """Months an employer still owes (欠费), with the 0.05 %/day late fee as of a date."""
    employer = access.employer_for(scope, employer_id)
    as_of = as_of or dt.date.today()
    due_by_period = dict(
        EmployerPeriodTotal.objects.filter(employer=employer)
        .values("period")
        .annotate(total=Sum("employer_fen") + Sum("individual_fen"))
        .values_list("period", "total")
    )
    payments: dict[dt.date, list[tuple[dt.date, Decimal]]] = {}
    for period, paid_on, amount in Payment.objects.filter(employer=employer).values_list(
        "period", "paid_on", "amount_fen"
    ):
        payments.setdefault(period, []).append((paid_on, rules.from_fen(amount)))
    arrears = []
    for period, total in sorted(due_by_period.items()):
        due = rules.from_fen(total)
        paid = sum((amount for _day, amount in payments.get(period, [])), Decimal(0))
        due_date = policy.contribution_due_date(period)
        fee = rules.late_fee(
            due_amount=due,
            due_date=due_date,
            payments=payments.get(period, []),
            as_of=as_of,
            daily_rate=policy.late_fee_daily_rate(on=due_date),
        )
        if due - paid > 0 or fee.fee > 0:
            arrears.append(Arrear(period, due, paid, due - paid, due_date, fee.overdue_days, fee.fee))
    return arrears


@dataclass(frozen=True)
class InsuranceSummary:
    """One insurance's contribution months and amounts of a person, corrections netted."""

    insurance_type: str
    months: int
    first_month: dt.date | None
    last_month: dt.date | None
    individual_fen: int
    employer_fen: int
    insured_now: bool


def contribution_summary(person_id: uuid.UUID) -> list[InsuranceSummary]:
    """Months and amounts per assessed insurance from the contribution lines (a month reversed
    in full by a correction was not contributed), for insurances contributed to or insured now.
    Unscoped: callers (the certificate's service task) have authorised the read."""
    rows = (
        ContributionLine.objects.filter(person_id=person_id)
        .values("insurance_type", "period")
        .annotate(base=Sum("base_fen"), individual=Sum("individual_fen"), employer=Sum("employer_fen"))
        .order_by("insurance_type", "period")
    )
    by_type: dict[str, dict[str, Any]] = {}
    for row in rows:
        if not row["base"] or row["base"] <= 0:
            continue
        entry = by_type.setdefault(
            row["insurance_type"],
            {"months": 0, "first": row["period"], "last": row["period"], "individual": 0, "employer": 0},
        )
        entry["months"] += 1
        entry["last"] = row["period"]
        entry["individual"] += row["individual"] or 0
        entry["employer"] += row["employer"] or 0
    insured_now = set(
        Enrolment.objects.filter(person_id=person_id, end_month__isnull=True).values_list("insurance_type", flat=True)
    )
    summary = []
    for code in rules.ASSESSED_INSURANCES:
        if code not in by_type and code not in insured_now:
            continue
        found = by_type.get(code) or {"months": 0, "first": None, "last": None, "individual": 0, "employer": 0}
        summary.append(
            InsuranceSummary(
                insurance_type=code,
                months=found["months"],
                first_month=found["first"],
                last_month=found["last"],
                individual_fen=found["individual"],
                employer_fen=found["employer"],
                insured_now=code in insured_now,
            )
        )
    return summary


def account_balance_fen(person_id: uuid.UUID, *, on: dt.date | None = None) -> int:
    """The personal pension account's balance in fen (every entry, or those posted by ``on``)."""
    entries = AccountEntry.objects.filter(person_id=person_id)
    if on is not None:
        entries = entries.filter(posted_on__lte=on)
    return int(entries.aggregate(total=Sum("amount_fen"))["total"] or 0)
