"""analytics-query: the analytics platform's metrics on DuckDB over the Parquet lake, against
the same Ibis expression on PostgreSQL over the same rows loaded into a table. DuckDB runs as the
platform opens it (``hrss.analytics.engine.duckdb_connect``: ``HRSS_DUCKDB_THREADS``).

A synthetic contribution ledger of ``scale.persons`` persons over ``scale.months`` months
(about nine in ten insured each month; 16 districts, 20 industry sections, lognormal
bases) is written straight to a lake of the platform's layout and schema, a Parquet file
per month and district, in batches (memory stays flat). Then, ``repeat`` times: the insured
headcount and the median base by district × industry × month (``hrss.analytics.metrics``,
the expressions the pages run) on DuckDB over the files (the figure), and the same
expressions through Ibis on PostgreSQL over the rows COPYed into a table with the lake's
columns (the baseline). Both answers are compared row for row. The peak RSS of the process
that runs DuckDB is reported.

PostgreSQL only: Ibis has no median on SQLite, so there is no same-expression baseline there.
Run as ``python -m bench.analytics_query measure ROOT PERSONS MONTHS REPEAT URL`` (one JSON line).
"""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import PYTHON, WORK, Database, Scale, median, run_json

NAME = "analytics-query"
DATABASES = ("postgresql",)
DISTRICTS = [f"1201{n:02d}" for n in (1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19)]
SECTIONS = [chr(ord("A") + n) for n in range(20)]
FIRST_PERIOD = 2025 * 12  # January 2025
TABLE = "bench_analytics_contributions"


def measure(db: Database, scale: Scale, say: Callable[[str], None]) -> dict[str, Any]:
    if db.kind not in DATABASES:
        raise RuntimeError("PostgreSQL only (Ibis has no median on SQLite)")
    db.reset()
    root = WORK / "analytics-lake"
    say(f"{NAME}: a ledger of {scale.persons:,} persons x {scale.months} months, straight to the lake")
    result = run_json(
        [
            PYTHON,
            "-m",
            "bench.analytics_query",
            "measure",
            str(root),
            str(scale.persons),
            str(scale.months),
            str(scale.repeat),
            db.url,
        ],
        env=db.env(),
        timeout=7200,
    )
    shutil.rmtree(root, ignore_errors=True)
    return {
        "name": NAME,
        "database": db.kind,
        "figure": {
            "label": f"headcount + median base by district x industry x month, DuckDB over Parquet ({result['rows']:,} rows)",
            "value": result["duckdb_seconds"],
            "unit": "s",
        },
        "baseline": {
            "label": "the same Ibis expressions on PostgreSQL over the same rows",
            "value": result["postgres_seconds"],
            "unit": "s",
        },
        "ratio": result["duckdb_seconds"] / result["postgres_seconds"],
        "extra": {
            "DuckDB faster by (x)": result["postgres_seconds"] / result["duckdb_seconds"],
            "ledger rows": result["rows"],
            "lake files": result["files"],
            "writing the lake, seconds": result["write_seconds"],
            "loading PostgreSQL (COPY), seconds": result["load_seconds"],
            "result rows (identical on both)": result["result_rows"],
            "peak RSS, MB": result["peak_rss_mb"],
        },
        "runs": result["runs"],
    }


# --- the measuring process ---------------------------------------------------------------


def _write_lake(root: Path, persons: int, months: int) -> tuple[list[str], int]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    rng = np.random.default_rng(20261205)
    ids = np.arange(persons)
    district = np.array(DISTRICTS)[ids % len(DISTRICTS)]
    section = np.array(SECTIONS)[(ids // 7) % len(SECTIONS)]
    wage = np.round(rng.lognormal(mean=np.log(7000), sigma=0.45, size=persons) * 100).astype("int64")
    pseudonyms = pc.binary_join_element_wise("p", pc.cast(pa.array(ids), pa.string()), "")
    files: list[str] = []
    rows = 0
    seq = 0
    for month in range(months):
        insured = rng.random(persons) < 0.9
        index = np.flatnonzero(insured)
        period = FIRST_PERIOD + month
        for code in DISTRICTS:
            chosen = index[district[index] == code]
            count = len(chosen)
            table = pa.table(
                {
                    "seq": pa.array(np.arange(seq, seq + count), pa.int64()),
                    "period_index": pa.array(np.full(count, period), pa.int32()),
                    "insured": pseudonyms.take(pa.array(chosen)),
                    "district": pa.array(np.full(count, code)),
                    "industry_section": pa.array(section[chosen]),
                    "kind": pa.array(np.full(count, "assessed")),
                    "revision": pa.array(np.zeros(count, dtype="int32")),
                    "base_fen": pa.array(wage[chosen]),
                }
            )
            seq += count
            path = root / "contributions" / f"{period // 12:04d}-{period % 12 + 1:02d}" / code / "part-0.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, path, compression="zstd")
            files.append(str(path))
            rows += count
    return files, rows


def _metrics(contributions: Any) -> list[Any]:
    from hrss.analytics.metrics import base_median, insured_headcount

    order = ["period_index", "district", "industry_section"]
    return [insured_headcount(contributions).order_by(order), base_median(contributions).order_by(order)]


def _timed(connection: Any, expressions: list[Any]) -> tuple[float, list[list[dict[str, Any]]]]:
    started = time.perf_counter()
    answers = [connection.to_pyarrow(expression).to_pylist() for expression in expressions]
    return time.perf_counter() - started, answers


def _measure(root: Path, persons: int, months: int, repeat: int, url: str) -> dict[str, Any]:
    import django
    import ibis
    import psycopg
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrss.settings")
    django.setup()
    from hrss.analytics.engine import duckdb_connect

    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    files, rows = _write_lake(root, persons, months)
    write_seconds = time.perf_counter() - started

    started = time.perf_counter()
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
        conn.execute(
            f"CREATE UNLOGGED TABLE {TABLE} (seq bigint, period_index integer, insured text, district text, "
            "industry_section text, kind text, revision integer, base_fen bigint)"
        )
        options = pacsv.WriteOptions(include_header=False)
        with conn.cursor() as cursor, cursor.copy(f"COPY {TABLE} FROM STDIN (FORMAT csv)") as copy:
            for path in files:
                for batch in pq.ParquetFile(path).iter_batches(batch_size=100_000):
                    buffer = io.BytesIO()
                    pacsv.write_csv(batch, buffer, write_options=options)
                    copy.write(buffer.getvalue())
        conn.execute(f"ANALYZE {TABLE}")
    load_seconds = time.perf_counter() - started

    duck = duckdb_connect()  # the platform's own DuckDB configuration (its threads)
    duck_table = duck.read_parquet(files, table_name="lake_contributions")
    pg = ibis.connect(url.replace("postgresql://", "postgres://"))
    pg_table = pg.table(TABLE)
    runs = []
    result_rows = 0
    for _attempt in range(repeat):
        duck_seconds, duck_answers = _timed(duck, _metrics(duck_table))
        pg_seconds, pg_answers = _timed(pg, _metrics(pg_table))
        if duck_answers != pg_answers:
            raise RuntimeError("DuckDB and PostgreSQL answered differently")
        result_rows = sum(len(answer) for answer in duck_answers)
        runs.append({"duckdb_seconds": duck_seconds, "postgres_seconds": pg_seconds})
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
    return {
        "rows": rows,
        "files": len(files),
        "write_seconds": write_seconds,
        "load_seconds": load_seconds,
        "duckdb_seconds": median([r["duckdb_seconds"] for r in runs]),
        "postgres_seconds": median([r["postgres_seconds"] for r in runs]),
        "result_rows": result_rows,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "runs": runs,
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        root, persons, months, repeat, url = sys.argv[2:7]
        print(json.dumps(_measure(Path(root), int(persons), int(months), int(repeat), url)))
