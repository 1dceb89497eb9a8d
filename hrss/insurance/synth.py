"""Synthetic-city steps of the insurance app (``hrss synth``): enrolments, bases, contributions.

- ``insurance``: every employment spell in the window becomes an enrolment in the four
  insurances (month-granular: a spell that starts in the month the previous one ended
  starts the month after); each employer gets its work-injury class from its industry;
  each insured person gets a contribution base per year from the wage of their spell,
  clamped to that year's band.
- ``contributions``: the last ``HISTORY_MONTHS`` months are assessed with the real
  set-based assessment, paid from a synthetic bank file (a few employers underpay), and
  the personal accounts credited. Longer histories: ``hrss insurance assess`` per month.

Planted distress (the wage-arrears warning's ground truth, L3): before the assessment,
``DISTRESSED_SHARE`` of the employers with insured staff (among those with at least
``DISTRESSED_MIN_STAFF``) fall into trouble from a month of the history on: their
better-paid staff leave (减员, so the insured headcount and the average base fall) and
they pay only part of each later month. Which employers these are is kept only in the
run's labels (``distressed_employers``), never in a table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q

from hrss.insurance import policy, rules
from hrss.insurance.models import (
    ContributionBase,
    EmployerPeriodTotal,
    EmployerWorkInjuryRate,
    Enrolment,
    IndustryRiskClass,
    PayerCategory,
    Payment,
    PaymentFile,
)
from hrss.insurance.services.assessment import Chunk
from hrss.registry.models import Employer, Employment
from hrss.synth.generators.persons import uuid4_hex
from hrss.synth.steps import Advance, Step, SynthContext, register

ENROLMENTS = "insurance"
HISTORY = "contributions"
HISTORY_MONTHS = 3
UNDERPAYING_SHARE = 0.02  # employers paying only part of a month
UNDERPAID_FRACTION = 0.9
PERSONS_PER_CHUNK = 50_000
DISTRESSED_SHARE = 0.02  # of the employers with insured staff, planted in distress
DISTRESSED_MIN_STAFF = 3
DISTRESSED_LEAVING = (0.3, 0.6)  # share of its staff a distressed employer loses
DISTRESSED_PAID = (0.1, 0.2, 0.4, 0.6)  # share of a troubled month's dues it pays (a row in every bank file)
DISTRESS_STREAM = 7  # its random stream within the contributions step
IN_BATCH = 500  # ids per IN (...) list

ENROLMENT_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "person_id",
    "employer_id",
    "insurance_type",
    "category",
    "start_month",
    "end_month",
    "stop_reason",
)
BASE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "person_id",
    "year",
    "employer_id",
    "declared_wage_fen",
    "base_fen",
    "source",
    "declared_by",
)
RATE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "employer_id",
    "risk_class",
    "floating_percent",
    "valid_from",
    "valid_to",
    "decided_by",
)
PAYMENT_COLUMNS = (
    "file_id",
    "row_number",
    "employer_id",
    "person_id",
    "period",
    "amount_fen",
    "paid_on",
    "reference",
    "outcome",
    "due_fen",
    "difference_fen",
    "created_at",
)


def _hex(value: Any) -> str:
    return uuid.UUID(str(value)).hex


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _spells(window_start: dt.date, chunk: Chunk) -> list[tuple[str, str, dt.date, dt.date | None, Decimal]]:
    """Employment spells of one chunk of persons reaching into the window, by person and start."""
    table = Employment._meta.db_table
    predicate, params = chunk.predicate("person_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT person_id, employer_id, start_date, end_date, monthly_wage FROM {table} "  # noqa: S608 - table name from model meta
            f"WHERE (end_date IS NULL OR end_date >= %s) AND {predicate} ORDER BY person_id, start_date, employer_id",
            [window_start, *params],
        )
        rows = cursor.fetchall()
    return [
        (_hex(person), _hex(employer), _date(start), _date(end), Decimal(str(wage or 0)))  # type: ignore[misc]
        for person, employer, start, end, wage in rows
    ]


def month_spells(
    spells: list[tuple[str, str, dt.date, dt.date | None, Decimal]], window_start: dt.date
) -> list[tuple[str, int, int | None, Decimal]]:
    """One person's spells as non-overlapping month ranges: (employer, first, last, wage)."""
    result: list[tuple[str, int, int | None, Decimal]] = []
    floor = rules.month_index(window_start)
    previous_end: int | None = -1
    for _person, employer, start, end, wage in spells:
        first = max(rules.month_index(start), floor)
        last = rules.month_index(end) if end else None
        if previous_end is None:  # an open spell before this one: the data overlap, keep the first
            break
        if first <= previous_end:
            first = previous_end + 1
        if last is not None and first > last:
            continue
        result.append((employer, first, last, wage))
        previous_end = last
    return result


@register
class InsuranceStep(Step):
    name = ENROLMENTS
    label = "Insurance enrolments, bases, work-injury classes"
    requires = ("employments",)

    def total(self, ctx: SynthContext) -> int:
        return ctx.params.persons

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        window_start = ctx.params.window_start
        stamp = ctx.loader.timestamp(ctx.now)
        rates = self._rates(ctx, stamp, window_start)
        insured_employers = {employer for employer, _class in rates}
        bands: dict[int, rules.BaseBand] = {}
        counts = {"enrolments": 0, "bases": 0, "persons": 0}
        chunks = max(1, ctx.params.persons // PERSONS_PER_CHUNK)
        # Chunks of the person-id space: each is read whole, then written. PostgreSQL's COPY
        # cannot interleave with reading on one connection, and a chunk bounds the memory.
        for index in range(chunks):
            enrolments: list[tuple[Any, ...]] = []
            bases: list[tuple[Any, ...]] = []
            spells = _spells(window_start, Chunk.of(index, chunks))
            start = 0
            while start < len(spells):
                stop = start
                while stop < len(spells) and spells[stop][0] == spells[start][0]:
                    stop += 1
                self._person(spells[start:stop], window_start, ctx, stamp, insured_employers, bands, enrolments, bases)
                counts["persons"] += 1
                start = stop
            ids = uuid4_hex(ctx.rng(ENROLMENTS, index), len(enrolments) + len(bases))
            with ctx.loader.copy(Enrolment, ENROLMENT_COLUMNS, defer_indexes=chunks == 1) as write:
                write([(ids[i], *row) for i, row in enumerate(enrolments)])
            with ctx.loader.copy(ContributionBase, BASE_COLUMNS, defer_indexes=chunks == 1) as write:
                write([(ids[len(enrolments) + i], *row) for i, row in enumerate(bases)])
            counts["enrolments"] += len(enrolments)
            counts["bases"] += len(bases)
            advance(ctx.params.persons // chunks)
        advance(ctx.params.persons - chunks * (ctx.params.persons // chunks))
        return {
            Enrolment._meta.db_table: counts["enrolments"],
            ContributionBase._meta.db_table: counts["bases"],
            EmployerWorkInjuryRate._meta.db_table: len(rates),
        }

    @staticmethod
    def _person(
        spells: list[tuple[str, str, dt.date, dt.date | None, Decimal]],
        window_start: dt.date,
        ctx: SynthContext,
        stamp: str,
        insured_employers: set[str],
        bands: dict[int, rules.BaseBand],
        enrolments: list[tuple[Any, ...]],
        bases: list[tuple[Any, ...]],
    ) -> None:
        person = spells[0][0]
        by_year: dict[int, tuple[str, Decimal]] = {}
        for employer, first, last, wage in month_spells(spells, window_start):
            start, end = rules.month_from_index(first), rules.month_from_index(last) if last is not None else None
            for code in rules.ASSESSED_INSURANCES:
                if code == rules.WORK_INJURY and employer not in insured_employers:
                    continue
                enrolments.append((stamp, stamp, person, employer, code, PayerCategory.EMPLOYEE.value, start, end, ""))
            for year in range(start.year, (end or ctx.params.as_of).year + 1):
                by_year[year] = (employer, wage)  # the latest spell of a year sets its base
        for year, (employer, wage) in sorted(by_year.items()):
            if year not in bands:
                bands[year] = policy.base_band(on=dt.date(year, 1, 1))
            base = bands[year].clamp(wage)
            bases.append(
                (stamp, stamp, person, year, employer, rules.to_fen(wage), rules.to_fen(base), "employer", "synth")
            )

    def _rates(self, ctx: SynthContext, stamp: str, window_start: dt.date) -> list[tuple[str, int]]:
        classes = dict(IndustryRiskClass.objects.values_list("industry_id", "risk_class"))
        rates = [
            (_hex(pk), classes[industry])
            for pk, industry in Employer.objects.order_by("pk").values_list("pk", "industry_id")
            if industry in classes
        ]
        ids = uuid4_hex(ctx.rng(ENROLMENTS, 0, stream=1), len(rates))
        with ctx.loader.copy(EmployerWorkInjuryRate, RATE_COLUMNS) as write:
            write(
                [
                    (ids[i], stamp, stamp, employer, risk_class, 100, window_start, None, "synth")
                    for i, (employer, risk_class) in enumerate(rates)
                ]
            )
        return rates


@register
class ContributionHistoryStep(Step):
    name = HISTORY
    label = "Contributions, payments and account credits of the last months"
    requires = (ENROLMENTS,)

    def months(self, ctx: SynthContext) -> list[dt.date]:
        last = rules.month_start(ctx.params.as_of)
        count = min(ctx.params.months, HISTORY_MONTHS)
        return [rules.add_months(last, -offset) for offset in reversed(range(count))]

    def total(self, ctx: SynthContext) -> int:
        return len(self.months(ctx))

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        from hrss.insurance.models import AccountEntry, ContributionLine
        from hrss.insurance.services.accounts import account_credit_period
        from hrss.insurance.services.assessment import contribution_assess_month

        stamp = ctx.loader.timestamp(ctx.now)
        payments = 0
        trouble = distress_plant(ctx, self.months(ctx))
        for index, period in enumerate(self.months(ctx)):
            contribution_assess_month(period=period, actor="synth")
            payments += self._pay(ctx, period, index, stamp, trouble)
            account_credit_period(period=period)
            advance(1)
        months = self.months(ctx)
        return {
            ContributionLine._meta.db_table: ContributionLine.objects.filter(period__in=months).count(),
            Payment._meta.db_table: payments,
            AccountEntry._meta.db_table: AccountEntry.objects.filter(posted_on__in=months).count(),
        }

    def _pay(self, ctx: SynthContext, period: dt.date, index: int, stamp: str, trouble: dict[str, int]) -> int:
        """A bank file paying each employer's month on its due date; a few pay only part, and
        the planted distressed employers (``trouble``: employer -> first troubled month's
        index) pay little or nothing from their troubled month on."""
        totals = dict(_employer_dues(period))
        digest = hashlib.sha256(f"synth:{ctx.params.seed}:{period:%Y-%m}".encode()).hexdigest()
        if PaymentFile.objects.filter(sha256=digest).exists():
            return 0
        payment_file = PaymentFile.objects.create(
            source=PaymentFile.Source.BANK,
            filename=f"synth-{period:%Y-%m}.csv",
            sha256=digest,
            posted_by="synth",
            rows_total=len(totals),
        )
        rng = ctx.rng(HISTORY, index)
        under = rng.random(len(totals)) < UNDERPAYING_SHARE
        paid_share = ctx.rng(HISTORY, index, stream=DISTRESS_STREAM).choice(DISTRESSED_PAID, len(totals))
        paid_on = policy.contribution_due_date(period)
        rows = []
        for i, (employer, owed) in enumerate(totals.items()):
            troubled_from = trouble.get(employer)
            if troubled_from is not None and troubled_from <= index:
                amount = int(owed * paid_share[i])
                under[i] = amount < owed
            else:
                amount = int(owed * UNDERPAID_FRACTION) if under[i] else owed
            outcome = Payment.Outcome.UNDERPAID if amount < owed else Payment.Outcome.MATCHED
            rows.append(
                (
                    payment_file.pk.hex,
                    i + 2,
                    employer,
                    None,
                    period,
                    amount,
                    paid_on,
                    f"SYN{period:%Y%m}{i:06d}",
                    outcome.value,
                    owed,
                    amount - owed,
                    stamp,
                )
            )
        with ctx.loader.copy(Payment, PAYMENT_COLUMNS, defer_indexes=False) as write:
            write(rows)
        PaymentFile.objects.filter(pk=payment_file.pk).update(
            rows_matched=int((~under).sum()), rows_different=int(under.sum())
        )
        return len(rows)


def _employer_dues(period: dt.date) -> Iterator[tuple[str, int]]:
    table = EmployerPeriodTotal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT employer_id, SUM(employer_fen + individual_fen) FROM {table} "  # noqa: S608 - table name from model meta
            "WHERE period = %s GROUP BY employer_id ORDER BY employer_id",
            [period],
        )
        for employer, owed in cursor.fetchall():
            yield _hex(employer), int(owed)


def distress_plant(ctx: SynthContext, months: list[dt.date]) -> dict[str, int]:
    """Plant the distressed employers (module docstring) before ``months`` are assessed:
    end the enrolments of their leavers (better paid first) with the month before their
    trouble. Returns employer (hex) -> index of its first troubled month, and records the
    employers in ``ctx.labels["distressed_employers"]``. Nothing when the history has one month."""
    ctx.labels["distressed_employers"] = []
    if len(months) < 2:
        return {}
    first, last = months[0], months[-1]
    staff: dict[str, list[str]] = {}
    for employer, person in (
        Enrolment.objects.filter(insurance_type=rules.PENSION, category=PayerCategory.EMPLOYEE, start_month__lte=first)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=last))
        .order_by("employer_id", "person_id")
        .values_list("employer_id", "person_id")
    ):
        staff.setdefault(_hex(employer), []).append(_hex(person))
    insured = Enrolment.objects.filter(category=PayerCategory.EMPLOYEE, start_month__lte=last).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=first)
    )
    employers_insured = insured.values("employer_id").distinct().count()
    candidates = sorted(e for e, people in staff.items() if len(people) >= DISTRESSED_MIN_STAFF)
    count = min(len(candidates), math.ceil(DISTRESSED_SHARE * employers_insured))
    if not count:
        return {}
    rng = ctx.rng(HISTORY, 0, stream=DISTRESS_STREAM)
    chosen = sorted(candidates[i] for i in rng.choice(len(candidates), count, replace=False))
    bases = {
        (_hex(e), _hex(p)): b
        for e, p, b in ContributionBase.objects.filter(year=first.year, employer_id__in=chosen).values_list(
            "employer_id", "person_id", "base_fen"
        )
    }
    trouble: dict[str, int] = {}
    leavers: dict[int, list[str]] = {}
    for employer in chosen:
        start = int(rng.integers(1, len(months)))
        trouble[employer] = start
        people = [person for _base, person in sorted((-bases.get((employer, p), 0), p) for p in staff[employer])]
        leaving = max(1, math.floor(len(people) * rng.uniform(*DISTRESSED_LEAVING)))
        leavers.setdefault(start, []).extend(people[:leaving])
    for start, people in sorted(leavers.items()):
        end = months[start - 1]
        for batch in range(0, len(people), IN_BATCH):
            Enrolment.objects.filter(
                person_id__in=people[batch : batch + IN_BATCH],
                employer_id__in=chosen,
                category=PayerCategory.EMPLOYEE,
                start_month__lte=end,
            ).filter(Q(end_month__isnull=True) | Q(end_month__gt=end)).update(
                end_month=end, stop_reason=Enrolment.StopReason.LEFT_EMPLOYER
            )
    ctx.labels["distressed_employers"] = chosen
    return trouble
