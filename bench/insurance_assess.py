"""insurance-assess: one month's contribution assessment against a plain INSERT ... SELECT.

For each database: a fresh migrated database and ``hrss synth --steps insurance`` (persons,
employers, employment spells, enrolments in four insurances, bases). Then, ``repeat``
times on the same data: the baseline, a single plain ``INSERT ... SELECT`` of the very
rows the assessment writes (same SELECT, same table and indexes, no check for existing rows, no
chunks, no totals, no run bookkeeping), committed and timed; the rows are removed; then
``contribution_assess_month`` for the same month (chunked transactions, employer totals,
the run record), timed. The ratio says what idempotence, resumability and the totals
cost over the database's own limit for writing those rows. The same plain insert into a
bare table without indexes is reported as an extra figure.

The target is PostgreSQL at 1,000,000 insured persons (``--scale large``: under 30 s,
within 3x) and SQLite at 100,000. A synthetic city insures about 42 % of its registry
(the rest are children, retirees, the unemployed), so the city generated has
``scale.persons / INSURED_SHARE`` persons; SQLite is capped at 100,000 insured.

Run inside Django as ``python -m bench.insurance_assess measure YYYY-MM`` (one JSON line).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.common import PYTHON, Database, Scale, hrss, median, run, run_json

NAME = "insurance-assess"
SQLITE_MAX_INSURED = 100_000
INSURED_SHARE = 0.42
AS_OF = dt.date(2026, 6, 30)


def measure(db: Database, scale: Scale, say: Callable[[str], None]) -> dict[str, Any]:
    insured = min(scale.persons, SQLITE_MAX_INSURED) if db.kind == "sqlite" else scale.persons
    persons = int(insured / INSURED_SHARE)
    employers = max(1, scale.employers * insured // scale.persons)
    say(f"{NAME} {db.kind}: hrss synth --steps insurance --persons {persons:,}")
    db.reset()
    run(
        hrss(
            "synth",
            "--persons",
            str(persons),
            "--employers",
            str(employers),
            "--months",
            str(scale.months),
            "--seed",
            str(scale.seed),
            "--as-of",
            AS_OF.isoformat(),
            "--steps",
            "insurance",
            "--no-progress",
        ),
        env=db.env(),
        timeout=7200,
    )
    runs = []
    for attempt in range(scale.repeat):
        say(f"{NAME} {db.kind}: assessing {AS_OF:%Y-%m} in a city of {persons:,} ({attempt + 1}/{scale.repeat})")
        runs.append(run_json([PYTHON, "-m", "bench.insurance_assess", "measure", f"{AS_OF:%Y-%m}"], env=db.env()))
    figure = median([r["assess_seconds"] for r in runs])
    baseline = median([r["plain_seconds"] for r in runs])
    return {
        "name": NAME,
        "database": db.kind,
        "figure": {
            "label": f"seconds to assess a month ({runs[-1]['insured']:,} insured persons)",
            "value": figure,
            "unit": "s",
        },
        "baseline": {"label": "plain INSERT ... SELECT of the same rows, same table", "value": baseline, "unit": "s"},
        "ratio": figure / baseline,
        "extra": {
            "registry persons": persons,
            "insured persons": runs[-1]["insured"],
            "ledger rows (one per person and payer)": runs[-1]["rows"],
            "lines (per insurance, through the view)": runs[-1]["lines"],
            "chunks": runs[-1]["chunks"],
            "plain INSERT ... SELECT into a bare table, seconds": median([r["bare_seconds"] for r in runs]),
            "recheck of the assessed month (inserts nothing), seconds": median([r["recheck_seconds"] for r in runs]),
        },
        "runs": runs,
    }


# --- inside Django -------------------------------------------------------------------------


def _clear() -> None:
    from django.db import connection

    from hrss.insurance.models import AccountEntry, AssessmentRun, ContributionMonth, EmployerMonthTotal

    tables = [m._meta.db_table for m in (AccountEntry, EmployerMonthTotal, ContributionMonth, AssessmentRun)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            cursor.execute("CHECKPOINT")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - table names from model meta


def _plain(period: dt.date, *, bare: bool) -> tuple[float, int]:
    import uuid

    from django.db import connection, transaction
    from django.utils import timezone

    from hrss.insurance import policy
    from hrss.insurance.models import ContributionMonth
    from hrss.insurance.services import assessment

    sql, params = assessment._assess_sql(
        policy.period_rates(period), "1 = 1", [], uuid.uuid4(), timezone.now(), missing_only=False
    )
    table = ContributionMonth._meta.db_table
    if bare:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_bare_lines")
            cursor.execute(f"CREATE TABLE bench_bare_lines AS SELECT * FROM {table} WHERE 1 = 0")  # noqa: S608
        sql = sql.replace(f"INSERT INTO {table} ", "INSERT INTO bench_bare_lines ", 1)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        assessment._chunk_settings()  # the same session settings as the assessment's chunks
        cursor.execute(sql, params)
        rows = cursor.rowcount
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        if bare:
            cursor.execute("DROP TABLE bench_bare_lines")
    _clear()
    return seconds, rows


def measure_inside(period_text: str) -> dict[str, Any]:
    from hrss.insurance import rules
    from hrss.insurance.services import assessment

    period = rules.parse_period(period_text)
    _clear()
    bare_seconds, _rows = _plain(period, bare=True)
    plain_seconds, rows = _plain(period, bare=False)
    started = time.perf_counter()
    result = assessment.contribution_assess_month(period=period, actor="bench")
    assess_seconds = time.perf_counter() - started
    started = time.perf_counter()
    assessment.contribution_assess_month(period=period, actor="bench", recheck=True)
    recheck_seconds = time.perf_counter() - started
    if result.rows_inserted != rows:
        raise RuntimeError(f"the assessment wrote {result.rows_inserted} rows, the plain insert {rows}")
    from hrss.insurance.models import ContributionLine, ContributionMonth

    insured = ContributionMonth.objects.filter(period=period).values("person_id").distinct().count()
    lines = ContributionLine.objects.filter(period=period).count()
    _clear()
    return {
        "insured": insured,
        "rows": rows,
        "lines": lines,
        "chunks": result.chunks_total,
        "plain_seconds": plain_seconds,
        "bare_seconds": bare_seconds,
        "assess_seconds": assess_seconds,
        "recheck_seconds": recheck_seconds,
    }


def main(argv: list[str]) -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrss.settings")
    import django

    django.setup()
    action, *args = argv
    if action != "measure":
        raise SystemExit(f"unknown action {action!r}")
    print(json.dumps(measure_inside(args[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
