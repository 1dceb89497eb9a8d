"""The engines the metrics run on, behind Ibis: DuckDB embedded (the default), or Spark (the
cluster engine, ``pip install hrss[spark]``) when ``HRSS_ANALYTICS_ENGINE = "spark"``.

Both read the same lake through its manifest (``hrss.analytics.lake``); a metric is one Ibis
expression (``hrss.analytics.metrics``) and gives the same rows on either.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
from django.conf import settings

from hrss.analytics import lake

ENGINES = ("duckdb", "spark")
_spark_lock = threading.Lock()
_spark_session: Any = None


def engine_name() -> str:
    return getattr(settings, "HRSS_ANALYTICS_ENGINE", "duckdb") or "duckdb"


def spark_session() -> Any:
    """One local Spark session per process (``HRSS_SPARK_MASTER``, default ``local[1]``)."""
    global _spark_session
    with _spark_lock:
        if _spark_session is None:
            import logging

            from pyspark.sql import SparkSession

            # py4j logs every connection at INFO, also while the interpreter shuts down.
            logging.getLogger("py4j").setLevel(logging.WARNING)

            _spark_session = (
                SparkSession.builder.master(getattr(settings, "HRSS_SPARK_MASTER", "") or "local[1]")
                .appName("hrss-analytics")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate()
            )
        return _spark_session


def spark_stop() -> None:
    """Stop this process's Spark session (tests; a worker that is done with Spark)."""
    global _spark_session
    with _spark_lock:
        if _spark_session is not None:
            _spark_session.stop()
            _spark_session = None


@contextmanager
def session(engine: str | None = None) -> Iterator[Any]:
    """A connection to the engine for one piece of work, closed when the block ends.

    DuckDB gets a database of its own per block, opened and closed on the calling thread:
    a connection kept in a thread-local outlives the request and is torn down whenever the
    web server retires an idle thread, and a DuckDB database destroyed on a thread exit
    while its own worker threads run crashed the web worker (glibc "double free", found by
    the live fuzz). Opening one costs about a millisecond; a metric reads Parquet for far
    longer. Spark keeps its one session per process (``spark_session``).
    """
    engine = engine or engine_name()
    if engine not in ENGINES:
        raise ValueError(f"unknown analytics engine {engine!r}; one of {ENGINES}")
    if engine == "spark":
        yield ibis.pyspark.connect(spark_session())
        return
    connection = duckdb_connect()
    try:
        yield connection
    finally:
        connection.disconnect()


def duckdb_connect() -> Any:
    """A new embedded DuckDB database with the configured threads (``HRSS_DUCKDB_THREADS``)."""
    return ibis.duckdb.connect(threads=settings.HRSS_DUCKDB_THREADS)


def lake_table(connection: Any, name: str, root: Path | None = None) -> Any:
    """The lake table as an Ibis table on the connection: the files its manifest names, or an
    empty table of its declared columns when nothing was exported yet."""
    root = root or lake.lake_root()
    declared = lake.tables()[name]
    files = [str(path) for path in lake.table_files(root, name)]
    if not files:
        empty = pa.Table.from_pylist([], schema=lake.arrow_schema(declared))
        return ibis.memtable(empty)
    if connection.name == "pyspark":
        # ibis reads one path on Spark; the session reads the manifest's list.
        frame = connection._session.read.parquet(*files)
        frame.createOrReplaceTempView(f"lake_{name}")
        return connection.table(f"lake_{name}")
    return connection.read_parquet(files, table_name=f"lake_{name}")
