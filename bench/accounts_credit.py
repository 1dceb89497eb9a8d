"""accounts-credit: one month's crediting of the medical personal accounts (个人账户划入, S4)
against a plain INSERT ... SELECT of the month's own contributions.

For each database: a fresh migrated database and ``hrss synth --steps contributions`` (persons,
employers, employment spells, enrolments, bases, the last months assessed and paid from a
synthetic bank file, a few employers underpaying). Then, ``repeat`` times on the same data,
inside Django:

- the derivation of the insured from the ledger (``insured_sync``: employees and pensioners
  insured here), timed;
- the baseline: one plain ``INSERT ... SELECT`` of each employee's own medical contribution for
  the month, summed per person, into the credit table (no rules, no check of the employer's
  payment, no credit before, no balance moved), committed and timed; the rows are removed;
- ``accounts_credit`` for the month (rules in force, the employers who paid, what was credited
  before, the credits and the balances, per chunk of persons under lock), timed; then again
  (it writes nothing), timed.

Ratio: the crediting / the plain insert. The insured, the credits and the employers who paid are
reported. The city is sized like insurance-assess's (a synthetic city insures about 42 % of its
registry); SQLite is capped at 100,000 insured.

Inside Django: ``python -m bench.accounts_credit measure YYYY-MM``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.common import PYTHON, Database, Scale, hrss, median, run, run_json

NAME = "accounts-credit"
SQLITE_MAX_INSURED = 100_000
INSURED_SHARE = 0.42
AS_OF = dt.date(2026, 6, 30)


def measure(db: Database, scale: Scale, say: Callable[[str], None]) -> dict[str, Any]:
    insured = min(scale.persons, SQLITE_MAX_INSURED) if db.kind == "sqlite" else scale.persons
    persons = int(insured / INSURED_SHARE)
    employers = max(1, scale.employers * insured // scale.persons)
    say(f"{NAME} {db.kind}: hrss synth --steps contributions --persons {persons:,}")
    db.reset()
    args = hrss("synth", "--persons", str(persons), "--employers", str(employers), "--months", str(scale.months))
    args += ["--seed", str(scale.seed), "--as-of", AS_OF.isoformat(), "--steps", "contributions", "--no-progress"]
    run(args, env=db.env(), timeout=7200)
    runs = []
    for attempt in range(scale.repeat):
        say(f"{NAME} {db.kind}: crediting {AS_OF:%Y-%m} in a city of {persons:,} ({attempt + 1}/{scale.repeat})")
        runs.append(run_json([PYTHON, "-m", "bench.accounts_credit", "measure", f"{AS_OF:%Y-%m}"], env=db.env()))
    figure = median([r["credit_seconds"] for r in runs])
    baseline = median([r["plain_seconds"] for r in runs])
    last = runs[-1]
    return {
        "name": NAME,
        "database": db.kind,
        "figure": {
            "label": f"seconds to credit a month ({last['insured']:,} insured, {last['credits']:,} credits)",
            "value": figure,
            "unit": "s",
        },
        "baseline": {
            "label": "plain INSERT ... SELECT of the month's own contributions",
            "value": baseline,
            "unit": "s",
        },
        "ratio": figure / baseline,
        "extra": {
            "registry persons": persons,
            "insured derived from the ledger": last["insured"],
            "of them retirees": last["retirees"],
            "credits written (contribution and fixed)": last["credits"],
            "rows of the plain insert": last["plain_rows"],
            "employers who paid the month in full": last["employers_paid"],
            "derivation of the insured (insured_sync), seconds": median([r["sync_seconds"] for r in runs]),
            "second crediting (writes nothing), seconds": median([r["recheck_seconds"] for r in runs]),
        },
        "runs": runs,
    }


# --- inside Django -------------------------------------------------------------------------


def _clear() -> None:
    from django.db import connection

    from hrss.medical.models import AccountCredit, Insured

    with connection.cursor() as cursor:
        for model in (AccountCredit, Insured):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - table names from model meta


def _plain(period: dt.date) -> tuple[float, int]:
    from django.db import connection, transaction
    from django.utils import timezone

    from hrss.insurance.models import ContributionMonth
    from hrss.medical.models import AccountCredit

    credits, ledger = AccountCredit._meta.db_table, ContributionMonth._meta.db_table
    sql = (
        f"INSERT INTO {credits} (person_id, period, basis, revision, amount, created_at) "  # noqa: S608
        f"SELECT person_id, period, 'contribution', 0, SUM(medical_individual_fen) / 100.0, %s FROM {ledger} "
        "WHERE period = %s AND category = 'employee' AND medical_individual_fen IS NOT NULL "
        "GROUP BY person_id, period"
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), period])
        rows = cursor.rowcount
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {credits}")  # noqa: S608
    return seconds, rows


def measure_inside(period_text: str) -> dict[str, Any]:
    from hrss.core.scope import Scope
    from hrss.insurance import facts, rules
    from hrss.medical.models import Insured
    from hrss.medical.services.accounts import accounts_credit
    from hrss.medical.services.insured import insured_sync

    period = rules.parse_period(period_text)
    scope = Scope.system("bench")
    _clear()
    started = time.perf_counter()
    insured_sync(scope=scope, on=period)
    sync_seconds = time.perf_counter() - started
    plain_seconds, plain_rows = _plain(period)
    started = time.perf_counter()
    done = accounts_credit(scope=scope, through=period, months=1)
    credit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = accounts_credit(scope=scope, through=period, months=1)
    recheck_seconds = time.perf_counter() - started
    if again.credits:
        raise RuntimeError(f"the second crediting wrote {again.credits} credits")
    result = {
        "insured": Insured.objects.count(),
        "retirees": Insured.objects.filter(category_id="retiree").count(),
        "credits": done.credits,
        "plain_rows": plain_rows,
        "employers_paid": len(facts.medical_account_employers(period=period)),
        "sync_seconds": sync_seconds,
        "plain_seconds": plain_seconds,
        "credit_seconds": credit_seconds,
        "recheck_seconds": recheck_seconds,
    }
    _clear()
    return result


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
