"""synth-load: persons generated and loaded per second, against loading the same rows from a file.

For each database, ``repeat`` times: an emptied database, then ``hrss synth`` (the registry's
steps: persons, employers, employments; the persons step is timed from setting the indexes aside to rebuilding them).
The person rows of the last run are dumped to a file; then, ``repeat`` times on a fresh
database, the same rows are loaded from that file by the same loading path (PostgreSQL:
``COPY`` of the file's bytes; SQLite: batched inserts of rows parsed before the clock
starts). The ratio says how close generation (names, ID numbers, encryption, blind
indexes) comes to the database's own loading limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import WORK, Database, Scale, dbtools, hrss, median, run, run_json

NAME = "synth-load"


# The registry's city: persons, employers, employment spells. Other domains' steps (cards,
# contributions...) have their own costs and benchmarks, and are left out of this one.
STEPS = "persons,employers,employments"


def synth(db: Database, scale: Scale) -> dict[str, Any]:
    """``hrss synth`` (the registry's steps) at this scale into ``db``; its report."""
    report = WORK / f"synth-{db.kind}.json"
    args = hrss(
        "synth",
        "--persons",
        str(scale.persons),
        "--employers",
        str(scale.employers),
        "--months",
        str(scale.months),
        "--seed",
        str(scale.seed),
        "--steps",
        STEPS,
        "--no-progress",
        "--report",
        str(report),
    )
    run(args, env=db.env())
    result: dict[str, Any] = json.loads(Path(report).read_text())
    return result


def measure(db: Database, scale: Scale, say: Callable[[str], None]) -> dict[str, Any]:
    WORK.mkdir(parents=True, exist_ok=True)
    runs = []
    for attempt in range(scale.repeat):
        say(f"{NAME} {db.kind}: hrss synth --persons {scale.persons:,} ({attempt + 1}/{scale.repeat})")
        db.reset()
        report = synth(db, scale)
        persons_step = next(s for s in report["steps"] if s["name"] == "persons")
        runs.append(
            {
                "persons_seconds": persons_step["seconds"],
                "persons_per_second": scale.persons / persons_step["seconds"],
                "total_seconds": report["seconds"],
                "rows": {table: rows for s in report["steps"] for table, rows in s["rows"].items()},
                "phases": [p for p in report["phases"] if p["table"] == "registry_person"],
                "sizes": run_json(dbtools("sizes"), env=db.env()),
            }
        )
    dump = WORK / f"persons-{db.kind}.tsv"
    say(f"{NAME} {db.kind}: dumping {scale.persons:,} person rows")
    dumped = run_json(dbtools("dump-persons", str(dump)), env=db.env())
    baseline_runs = []
    for attempt in range(scale.repeat):
        say(f"{NAME} {db.kind}: loading the same rows from a file ({attempt + 1}/{scale.repeat})")
        db.reset()
        loaded = run_json(dbtools("load-persons", str(dump)), env=db.env())
        baseline_runs.append(
            {
                "seconds": loaded["seconds"],
                "persons_per_second": loaded["rows"] / loaded["seconds"],
                "phases": loaded["phases"],
            }
        )
    dump.unlink(missing_ok=True)
    figure = median([r["persons_per_second"] for r in runs])
    baseline = median([r["persons_per_second"] for r in baseline_runs])
    return {
        "name": NAME,
        "database": db.kind,
        "figure": {"label": "persons generated+loaded /s", "value": figure, "unit": "persons/s"},
        "baseline": {
            "label": "COPY of the same rows from a file /s"
            if db.kind == "postgresql"
            else "batched inserts of the same rows from a file /s",
            "value": baseline,
            "unit": "persons/s",
        },
        "ratio": figure / baseline,
        "extra": {
            "registry city (persons, employers, employments), seconds": median([r["total_seconds"] for r in runs]),
            "dump bytes": dumped["bytes"],
            **{f"after the registry city: {key}": value for key, value in runs[-1]["sizes"].items()},
        },
        "runs": runs,
        "baseline_runs": baseline_runs,
    }
