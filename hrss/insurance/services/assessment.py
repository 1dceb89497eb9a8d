"""Monthly contribution assessment (征缴核定) as set-based SQL (S1); corrections are in
``services.corrections``.

``contribution_assess_month`` turns every enrolment in force in a month into the ledger's
rows (``ContributionMonth``: one per person and payer, every insurance in it, read as
per-insurance lines through ``ContributionLine``) with a few ``INSERT ... SELECT``
statements per chunk of employers (and of flexible workers). Each chunk commits its rows,
its employers' totals and the run's progress in one transaction, so:

- a rerun inserts nothing new: rows are unique on (person, period, payer, kind,
  revision); a completed month is skipped, a recheck adds only the insurances a month
  does not hold yet, and a resumed run never repeats a committed chunk. The first pass
  inserts without looking for existing rows (the check costs ~40 % on PostgreSQL) and
  falls back to it if the unique key ever says a row exists;
- a crash loses at most the chunk in flight, and the next run resumes after the last
  committed chunk;
- an employer's totals always equal the sum of its lines: both change in the same
  transaction, and the totals are recomputed from the rows, not accumulated.

The SQL runs unchanged on SQLite and PostgreSQL: integer fen and parts-per-million rates
keep the arithmetic exact on both, and the rates in force come in as a ``VALUES`` table.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrss.core.audit import audit_record
from hrss.core.errors import InvalidInput
from hrss.core.events import publish
from hrss.insurance import policy, rules
from hrss.insurance.events import ContributionsAssessed
from hrss.insurance.models import (
    LINE_INSURANCES,
    AssessmentRun,
    ContributionMonth,
    EmployerMonthTotal,
    Enrolment,
    LineKind,
)
from hrss.insurance.sql import db_datetime, db_uuid, execute, table

# PostgreSQL gets a chunk's lines sorted by person: the unique key (person first) then grows
# page by page instead of at random places in an index far larger than the buffer cache,
# and the employer index is touched only in the chunk's own employer range. The sort
# needs memory for a chunk's rows, given to the chunk's transaction alone.
_SORT_MEMORY = "256MB"

# A run is cut into chunks of about this many enrolments (one transaction each). Each
# chunk scans enrolments and both years' bases once, so fewer, larger chunks are faster
# (1M insured persons, 4M enrolments: 3 chunks 33 s, 1 chunk 27.5 s); a crash loses at
# most one chunk: about half a minute of work.
ENROLMENTS_PER_CHUNK = 5_000_000
MAX_CHUNKS = 1024
_UUID_SPACE = 1 << 128

MONTH = ContributionMonth._meta.db_table
TOTAL = EmployerMonthTotal._meta.db_table
RUN = AssessmentRun._meta.db_table


@dataclass(frozen=True)
class Chunk:
    """A slice of the UUID space: employers (and flexible workers) whose id falls in it."""

    index: int
    low: uuid.UUID
    high: uuid.UUID | None  # None: up to the end of the space

    @classmethod
    def of(cls, index: int, total: int) -> Chunk:
        low = uuid.UUID(int=index * _UUID_SPACE // total)
        high = None if index == total - 1 else uuid.UUID(int=(index + 1) * _UUID_SPACE // total)
        return cls(index, low, high)

    def predicate(self, column: str) -> tuple[str, list[Any]]:
        if self.high is None:
            return f"{column} >= %s", [db_uuid(self.low)]
        return f"{column} >= %s AND {column} < %s", [db_uuid(self.low), db_uuid(self.high)]


def _rates_cte(rates: policy.PeriodRates) -> tuple[str, list[Any]]:
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rates.rows))
    classes = ", ".join(["(%s, %s)"] * len(rates.work_injury_class_ppm))
    params: list[Any] = []
    for row in rates.rows:
        params += [row.insurance_type, row.category, row.employer_ppm, row.individual_ppm, row.account_ppm]
    for risk_class, ppm in sorted(rates.work_injury_class_ppm.items()):
        params += [risk_class, ppm]
    sql = (
        f"rates (insurance_type, category, employer_ppm, individual_ppm, account_ppm) AS (VALUES {rows}), "
        f"wi_rates (risk_class, ppm) AS (VALUES {classes})"
    )
    return sql, params


def _half_up(amount: str, ppm: str) -> str:
    """SQL for ``amount × ppm / 10^6`` rounded half-up (the operands are never negative here)."""
    return f"({amount} * {ppm} + {rules.PPM // 2}) / {rules.PPM}"


def _assess_sql(
    rates: policy.PeriodRates,
    payer_predicate: str,
    predicate_params: list[Any],
    run_id: uuid.UUID,
    now: dt.datetime,
    *,
    missing_only: bool = True,
) -> tuple[str, list[Any]]:
    """The INSERT ... SELECT of one chunk. ``payer_predicate`` selects the chunk's enrolments.

    One row per person and payer: the person's enrolments in force are folded into the
    insurance columns (NULL where not enrolled), then the base is looked up once.

    ``missing_only`` (a recheck, or a rerun that found rows): insurances the month already
    has rows for are left out, and what is left (an enrolment recorded late) is appended
    as a further assessed row with the next revision; nothing existing is touched.
    """
    period = rules.month_start(rates.period)
    floor, ceiling = rules.to_fen(rates.band.floor), rules.to_fen(rates.band.ceiling)
    cte, params = _rates_cte(rates)
    enrolment, base, wi_rate = (
        table("insurance.Enrolment"),
        table("insurance.ContributionBase"),
        table("insurance.EmployerWorkInjuryRate"),
    )
    wi = rules.WORK_INJURY
    folded, written, computed, seen, missing = [], [], [], [], []

    def unless_seen(prefix: str, expression: str) -> str:
        return f"CASE WHEN x.has_{prefix} = 1 THEN NULL ELSE {expression} END" if missing_only else expression

    for code, prefix in LINE_INSURANCES:
        employer_ppm = "wr.ppm * w.floating_percent / 100" if code == wi else "r.employer_ppm"
        folded += [
            f"MAX(CASE WHEN e.insurance_type = '{code}' THEN {employer_ppm} END) AS {prefix}_employer_ppm",
            f"MAX(CASE WHEN e.insurance_type = '{code}' THEN r.individual_ppm END) AS {prefix}_individual_ppm",
        ]
        written += [f"{prefix}_{part}" for part in ("employer_ppm", "individual_ppm", "employer_fen", "individual_fen")]
        computed += [
            unless_seen(prefix, f"{prefix}_employer_ppm"),
            unless_seen(prefix, f"{prefix}_individual_ppm"),
            unless_seen(prefix, _half_up("base_fen", f"{prefix}_employer_ppm")),
            unless_seen(prefix, _half_up("base_fen", f"{prefix}_individual_ppm")),
        ]
        seen.append(f"MAX(CASE WHEN e.{prefix}_employer_fen IS NOT NULL THEN 1 ELSE 0 END) AS has_{prefix}")
        missing.append(f"({prefix}_employer_ppm IS NOT NULL AND COALESCE(x.has_{prefix}, 0) = 0)")
    pension = rules.PENSION
    folded.append(f"MAX(CASE WHEN e.insurance_type = '{pension}' THEN r.account_ppm END) AS pension_account_ppm")
    computed.append(unless_seen("pension", _half_up("base_fen", "pension_account_ppm")))
    # a recheck: what the month already holds per person and payer (the chunk's rows only)
    existing = f""",
existing AS (
  SELECT e.person_id, COALESCE(e.employer_id, e.person_id) AS payer, MAX(e.revision) AS revision, {", ".join(seen)}
  FROM {MONTH} e
  WHERE e.period = %s AND {payer_predicate}
  GROUP BY e.person_id, COALESCE(e.employer_id, e.person_id)
)"""  # noqa: S608 - table and column names from model meta; values are bound
    recheck_join = """LEFT JOIN existing x ON x.person_id = based.person_id
     AND x.payer = COALESCE(based.employer_id, based.person_id)"""
    # Base: this year's declaration; else last year's, clamped into this year's band;
    # else the floor (an undeclared employee is assessed at the minimum base). Persons are
    # not joined: enrolments of the deceased are closed before the run starts.
    # INSERT comes first (not WITH): drivers report the rows inserted only for statements
    # that start with INSERT. CROSS JOIN keeps SQLite scanning enrolments in table order
    # (with a plain JOIN it walks an index once per rate row: 3-4x slower); PostgreSQL
    # plans it as the same hash join either way.
    sql = f"""
INSERT INTO {MONTH} (period, person_id, employer_id, category, kind, revision, base_fen,
                     {", ".join(written)}, pension_account_fen, run_id, correction_id, created_at)
WITH {cte},
src AS (
  SELECT e.person_id, e.employer_id, e.category, {", ".join(folded)}
  FROM {enrolment} e
  CROSS JOIN rates r
  LEFT JOIN {wi_rate} w ON e.insurance_type = %s AND w.employer_id = e.employer_id
       AND w.valid_from <= %s AND (w.valid_to IS NULL OR w.valid_to >= %s)
  LEFT JOIN wi_rates wr ON wr.risk_class = w.risk_class
  WHERE r.insurance_type = e.insurance_type AND r.category = e.category
    AND e.start_month <= %s AND (e.end_month IS NULL OR e.end_month >= %s)
    AND (e.insurance_type <> %s OR w.id IS NOT NULL)
    AND {payer_predicate}
  GROUP BY e.person_id, e.employer_id, e.category
),
based AS (
  SELECT src.*,
         COALESCE(b.base_fen,
                  CASE WHEN pb.base_fen IS NULL OR pb.base_fen < %s THEN %s
                       WHEN pb.base_fen > %s THEN %s
                       ELSE pb.base_fen END) AS base_fen
  FROM src
  LEFT JOIN {base} b ON b.person_id = src.person_id AND b.year = %s
  LEFT JOIN {base} pb ON pb.person_id = src.person_id AND pb.year = %s
){existing if missing_only else ""}
SELECT %s, based.person_id, based.employer_id, based.category, %s,
       {"COALESCE(x.revision + 1, 0)" if missing_only else "0"}, base_fen,
       {", ".join(computed)},
       %s, NULL, %s
FROM based {recheck_join if missing_only else ""}
WHERE {" OR ".join(missing) if missing_only else "1 = 1"}
{"ORDER BY based.person_id" if connection.vendor == "postgresql" else ""}
{"ON CONFLICT DO NOTHING" if missing_only else ""}
"""  # noqa: S608 - table and column names from model meta and enum constants; values are bound
    params += [wi, period, period, period, period, wi, *predicate_params]
    params += [floor, floor, ceiling, ceiling, period.year, period.year - 1]
    if missing_only:
        params += [period, *predicate_params]
    params += [period, LineKind.ASSESSED.value, db_uuid(run_id), db_datetime(now)]
    return sql, params


def _totals_sql(
    period: dt.date, employer_predicate: str, predicate_params: list[Any], now: dt.datetime
) -> tuple[str, list[Any]]:
    """Recompute the totals of the employers selected from their rows (upsert, one row each).

    Per insurance: the persons assessed, and the sums of every line (assessment,
    reversals, adjustments); NULL where the employer has no line in that insurance.
    """
    columns, sums, changed = [], [], []
    assessed = LineKind.ASSESSED.value
    for _code, prefix in LINE_INSURANCES:
        columns += [f"{prefix}_persons", f"{prefix}_employer_fen", f"{prefix}_individual_fen"]
        sums += [
            f"CASE WHEN COUNT({prefix}_employer_fen) > 0 THEN "
            f"SUM(CASE WHEN kind = '{assessed}' AND {prefix}_employer_fen IS NOT NULL THEN 1 ELSE 0 END) END",
            f"SUM({prefix}_employer_fen)",
            f"SUM({prefix}_individual_fen)",
        ]
    changed = [f"{TOTAL}.{column} IS DISTINCT FROM excluded.{column}" for column in columns]
    sql = f"""
INSERT INTO {TOTAL} (period, employer_id, {", ".join(columns)}, updated_at)
SELECT period, employer_id, {", ".join(sums)}, %s
FROM {MONTH}
WHERE period = %s AND employer_id IS NOT NULL AND {employer_predicate}
GROUP BY period, employer_id
ON CONFLICT (employer_id, period) DO UPDATE SET
  {", ".join(f"{column} = excluded.{column}" for column in columns)}, updated_at = excluded.updated_at
WHERE {" OR ".join(changed)}
"""  # noqa: S608 - table and column names from model meta and enum constants; values are bound
    return sql, [db_datetime(now), period, *predicate_params]


def _chunk_settings() -> None:
    """Settings for one chunk's transaction only (PostgreSQL).

    - enough sort memory for the chunk's rows;
    - no JIT compilation: about a second per statement for nothing in a plan dominated by
      scans, sorts and index insertion;
    - asynchronous commit: the chunk does not wait for its ~0.5 GB of WAL to reach the
      disk. A crash can lose the last chunk's commit, but only whole: its rows and the
      run's progress are one transaction, so the rerun does that chunk again. The run's
      completion (audit entry, event) commits synchronously.
    """
    if connection.vendor == "postgresql":
        execute(f"SET LOCAL work_mem = '{_SORT_MEMORY}'", [])
        execute("SET LOCAL jit = off", [])
        execute("SET LOCAL synchronous_commit = off", [])


def _insert_lines(
    rates: policy.PeriodRates, predicate: str, params: list[Any], run: AssessmentRun, now: dt.datetime, recheck: bool
) -> int:
    _chunk_settings()
    if not recheck:
        try:
            with transaction.atomic():
                return execute(*_assess_sql(rates, predicate, params, run.pk, now, missing_only=False))
        except IntegrityError:
            pass  # some lines exist already (a rerun after a lost run record): skip them
    return execute(*_assess_sql(rates, predicate, params, run.pk, now, missing_only=True))


def _assess_chunk(
    run: AssessmentRun, rates: policy.PeriodRates, chunk: Chunk, now: dt.datetime, *, recheck: bool = False
) -> int:
    """Lines of one chunk's employees and flexible workers, then its employers' totals."""
    employers, employer_params = chunk.predicate("e.employer_id")
    persons, person_params = chunk.predicate("e.person_id")
    inserted = 0
    for predicate, extra in (
        (employers, employer_params),
        (f"e.employer_id IS NULL AND {persons}", person_params),
    ):
        inserted += _insert_lines(rates, predicate, extra, run, now, recheck)
    totals_predicate, totals_params = chunk.predicate("employer_id")
    employer_totals_refresh(rates.period, totals_predicate, totals_params, now)
    return inserted


def employer_totals_refresh(period: dt.date, predicate: str, predicate_params: list[Any], now: dt.datetime) -> None:
    """Recompute the totals of the employers a predicate selects from their lines (never accumulated)."""
    execute(*_totals_sql(period, predicate, predicate_params, now))


ProgressCallback = Callable[[int, int], None]


@transaction.atomic
def enrolments_close_deceased(*, before: dt.date | None = None, person_id: uuid.UUID | None = None, actor: str) -> int:
    """Close enrolments running past the month of a recorded death (减员 on death).

    Called for one person when the registry reports a death, and for everyone before each
    assessment run (so a run never charges a month after death, without reading persons).
    """
    spells = Enrolment.objects.select_for_update(of=("self",)).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=F("person__death_date")), person__death_date__isnull=False
    )
    if person_id is not None:
        spells = spells.filter(person_id=person_id)
    if before is not None:
        spells = spells.filter(person__death_date__lt=before)
    closed = 0
    for spell in spells.select_related("person"):
        death_date = spell.person.death_date
        if death_date is None:  # filtered out above; for the type checker
            continue
        death_month = rules.month_start(death_date)
        last = max(death_month, spell.start_month)
        if spell.end_month is not None and spell.end_month <= last:
            continue
        spell.end_month = last
        spell.stop_reason = Enrolment.StopReason.DECEASED
        spell.save(update_fields=["end_month", "stop_reason", "updated_at"])
        closed += 1
    if closed:
        audit_record(
            actor=actor,
            action="insurance.enrolment.close_deceased",
            object_type="person" if person_id else "enrolments",
            object_id=str(person_id or ""),
            detail={"closed": closed},
        )
    return closed


def _chunks_for(period: dt.date) -> int:
    """Enough chunks that each holds about ``ENROLMENTS_PER_CHUNK`` enrolments."""
    in_force = (
        Enrolment.objects.filter(start_month__lte=period)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=period))
        .count()
    )
    return max(1, min(MAX_CHUNKS, -(-in_force // ENROLMENTS_PER_CHUNK)))


def _start_run(
    period: dt.date, *, actor: str, chunks: int | None, recheck: bool, rates: policy.PeriodRates
) -> AssessmentRun:
    with transaction.atomic():
        run = AssessmentRun.objects.select_for_update().filter(period=period).first()
        if run is None:
            return AssessmentRun.objects.create(
                period=period,
                chunks_total=chunks or _chunks_for(period),
                evidence=rates.as_evidence(),
                started_by=actor,
            )
        if run.status == AssessmentRun.Status.COMPLETED and not recheck:
            return run
        if run.status == AssessmentRun.Status.COMPLETED:
            # A recheck walks every chunk again: it adds lines of enrolments recorded
            # late for this month and leaves everything else as it is.
            run.chunks_done = 0
        run.status = AssessmentRun.Status.RUNNING
        run.attempts += 1
        run.error = ""
        run.save(update_fields=["status", "attempts", "error", "chunks_done", "updated_at"])
        return run


def contribution_assess_month(
    *,
    period: dt.date,
    actor: str = "system",
    chunks: int | None = None,
    recheck: bool = False,
    progress: ProgressCallback | None = None,
) -> AssessmentRun:
    """征缴核定 of one month for every insured person and employer (S1).

    Idempotent and resumable (see the module docstring). A completed month is left alone
    unless ``recheck`` is given. ``chunks`` (fixed for the run at its start) defaults to
    one per ``ENROLMENTS_PER_CHUNK`` enrolments in force. Not atomic as a whole on
    purpose: each chunk commits (inside an outer transaction, as in tests, each chunk is
    a savepoint).
    """
    period = rules.month_start(period)
    if chunks is not None and not 1 <= chunks <= MAX_CHUNKS:
        raise InvalidInput(fields={"chunks": _("between 1 and %(max)s") % {"max": MAX_CHUNKS}})
    rates = policy.period_rates(period)
    enrolments_close_deceased(before=period, actor=actor)
    run = _start_run(period, actor=actor, chunks=chunks, recheck=recheck, rates=rates)
    if run.status == AssessmentRun.Status.COMPLETED:
        return run
    try:
        while True:
            with transaction.atomic():
                # The lock serialises two runs of the same month: each chunk is done once.
                run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
                if run.chunks_done >= run.chunks_total:
                    break
                now = timezone.now()
                chunk = Chunk.of(run.chunks_done, run.chunks_total)
                inserted = _assess_chunk(run, rates, chunk, now, recheck=recheck)
                run.chunks_done += 1
                run.rows_inserted += inserted
                run.save(update_fields=["chunks_done", "rows_inserted", "updated_at"])
            if progress:
                progress(run.chunks_done, run.chunks_total)
        with transaction.atomic():
            run.status = AssessmentRun.Status.COMPLETED
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "finished_at", "updated_at"])
            audit_record(
                actor=actor,
                action="insurance.assessment.completed",
                object_type="assessment_run",
                object_id=str(run.pk),
                detail={"period": f"{period:%Y-%m}", "lines": run.rows_inserted, "attempts": run.attempts},
            )
            publish(ContributionsAssessed(period=period, rows_inserted=run.rows_inserted))
    except Exception as error:
        AssessmentRun.objects.filter(pk=run.pk).update(
            status=AssessmentRun.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    return run
