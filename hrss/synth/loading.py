"""Bulk loading into the database of record: PostgreSQL ``COPY``, batched inserts on SQLite.

Rows arrive as lists of tuples whose values are already in a form both databases take
as text: ``str`` (ISO dates and timestamps, 32-hex UUIDs, JSON text, decimal strings),
``int`` or ``None``. Loading goes through the connection Django holds, inside the
caller's transaction.

When a table is empty at the start, its indexes and keys are set aside and built again
once the table is loaded (the PostgreSQL manual's advice for populating a database:
sorting once beats millions of index insertions, one join beats millions of foreign-key
checks). On PostgreSQL that includes primary, unique and foreign keys, which are checked
as they come back, so a duplicate or a dangling reference still fails the load; SQLite
keeps the keys declared in its tables and rebuilds the other indexes. The rebuild runs
inside the same transaction, so a failed run leaves the schema as it was.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

Row = tuple[Any, ...]
Writer = Callable[[Sequence[Row]], None]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class BulkLoader(ABC):
    vendor: str

    def __init__(self, connection: BaseDatabaseWrapper | None = None) -> None:
        self.connection = connection or default_connection
        self.rows_written: dict[str, int] = {}
        # (table, phase, seconds): where the time of a load went (detach, write, rebuild, analyze)
        self.phases: list[tuple[str, str, float]] = []

    @contextmanager
    def _phase(self, table: str, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phases.append((table, phase, time.perf_counter() - started))

    @staticmethod
    def for_connection(connection: BaseDatabaseWrapper | None = None) -> BulkLoader:
        connection = connection or default_connection
        if connection.vendor == "postgresql":
            return PostgresLoader(connection)
        if connection.vendor == "sqlite":
            return SqliteLoader(connection)
        raise NotImplementedError(f"bulk loading into {connection.vendor} is not supported")

    def timestamp(self, value: Any) -> str:
        """A timezone-aware datetime as the text this database stores for a DateTimeField."""
        return str(self.connection.ops.adapt_datetimefield_value(value))

    def is_empty(self, model: type[Model]) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {_quote(model._meta.db_table)} LIMIT 1")  # noqa: S608 - table name from model meta
            return cursor.fetchone() is None

    @contextmanager
    def copy(self, model: type[Model], columns: Sequence[str], *, defer_indexes: bool = True) -> Iterator[Writer]:
        """Open a bulk writer for ``model``; yields ``write(rows)``."""
        table = model._meta.db_table
        with self._phase(table, "detach"):
            deferred = self._drop_secondary_indexes(table) if defer_indexes and self.is_empty(model) else []
            self.prepare()
        with self._phase(table, "write"), self._writer(table, list(columns)) as write:

            def counted(rows: Sequence[Row]) -> None:
                write(rows)
                self.rows_written[table] = self.rows_written.get(table, 0) + len(rows)

            yield counted
        with self._phase(table, "rebuild"):
            self._create_indexes(deferred)
        with self._phase(table, "analyze"):
            self.analyze(table)

    @abstractmethod
    def prepare(self) -> None:
        """Session settings for a bulk load (kept to the current transaction where possible)."""

    @abstractmethod
    def _writer(self, table: str, columns: list[str]) -> Any: ...

    @abstractmethod
    def _drop_secondary_indexes(self, table: str) -> list[str]:
        """Drop the plain indexes of ``table``; return the statements that rebuild them."""

    def _create_indexes(self, statements: list[str]) -> None:
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def analyze(self, table: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_quote(table)}")


class PostgresLoader(BulkLoader):
    vendor = "postgresql"

    def prepare(self) -> None:
        with self.connection.cursor() as cursor:
            # Losing the last moments of a crashed load is harmless: the run is one
            # transaction and is simply run again. Index builds get room to sort in memory.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")

    @contextmanager
    def _writer(self, table: str, columns: list[str]) -> Iterator[Writer]:
        statement = f"COPY {_quote(table)} ({', '.join(_quote(c) for c in columns)}) FROM STDIN"
        from psycopg.copy import QueuedLibpqWriter

        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            # A writer thread sends while the generator makes the next block: the database
            # and Python work at the same time instead of taking turns.
            with raw.copy(statement, writer=QueuedLibpqWriter(raw)) as copy:
                write_row = copy.write_row

                def write(rows: Sequence[Row]) -> None:
                    for row in rows:
                        write_row(row)

                yield write

    def copy_raw(self, model: type[Model], columns: Sequence[str], chunks: Iterator[bytes]) -> int:
        """COPY text-format bytes as they are (the baseline of the load benchmark)."""
        table = model._meta.db_table
        with self._phase(table, "detach"):
            deferred = self._drop_secondary_indexes(table) if self.is_empty(model) else []
            self.prepare()
        statement = f"COPY {_quote(table)} ({', '.join(_quote(c) for c in columns)}) FROM STDIN"
        with self._phase(table, "write"), self.connection.cursor() as cursor:
            with cursor.cursor.copy(statement) as copy:
                for chunk in chunks:
                    copy.write(chunk)
            rows = cursor.cursor.rowcount
        with self._phase(table, "rebuild"):
            self._create_indexes(deferred)
        with self._phase(table, "analyze"):
            self.analyze(table)
        return rows

    def _create_indexes(self, statements: list[str]) -> None:
        if not statements:
            return
        with self.connection.cursor() as cursor:
            # A table with deferred foreign-key checks pending cannot be altered: run any
            # pending checks now, then defer again (Django's constraints are deferrable).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in statements:
                cursor.execute(statement)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _drop_secondary_indexes(self, table: str) -> list[str]:
        """Detach every index and key of an empty table; return what rebuilds them, in order.

        Primary and unique keys, plain indexes, the table's foreign keys and the foreign
        keys of other tables that point at it. Checking a foreign key per row costs more
        than loading the row; checking it once with ``ADD CONSTRAINT`` is one join.
        """
        restore_keys: list[str] = []
        restore_indexes: list[str] = []
        restore_foreign: list[str] = []
        with self.connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
                FROM pg_constraint c
                WHERE (c.conrelid = %s::regclass AND c.contype IN ('p', 'u', 'f'))
                   OR (c.confrelid = %s::regclass AND c.contype = 'f' AND c.conrelid <> %s::regclass)
                ORDER BY c.contype = 'f' DESC, c.conname
                """,
                [table, table, table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                """
                SELECT i.relname, pg_get_indexdef(i.oid)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = %s::regclass
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
                ORDER BY i.relname
                """,
                [table],
            )
            indexes = cursor.fetchall()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for owner, name, kind, definition in constraints:  # foreign keys first: they depend on the keys
                cursor.execute(f"ALTER TABLE {owner} DROP CONSTRAINT {_quote(name)}")
                statement = f"ALTER TABLE {owner} ADD CONSTRAINT {_quote(name)} {definition}"
                (restore_foreign if kind == "f" else restore_keys).append(statement)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for name, definition in indexes:
                cursor.execute(f"DROP INDEX {_quote(name)}")
                restore_indexes.append(definition)
        return restore_keys + restore_indexes + restore_foreign


class SqliteLoader(BulkLoader):
    vendor = "sqlite"
    BATCH = 5000

    def prepare(self) -> None:
        with self.connection.cursor() as cursor:
            # A page cache large enough for the indexes being built (1 GB; SQLite takes it
            # as needed). Durability stays as configured (WAL, synchronous=NORMAL).
            cursor.execute("PRAGMA cache_size = -1000000")

    @contextmanager
    def _writer(self, table: str, columns: list[str]) -> Iterator[Writer]:
        statement = (
            f"INSERT INTO {_quote(table)} ({', '.join(_quote(c) for c in columns)}) "  # noqa: S608 - names from model meta
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        self.connection.ensure_connection()
        raw = self.connection.connection

        def write(rows: Sequence[Row]) -> None:
            for start in range(0, len(rows), self.BATCH):
                raw.executemany(statement, rows[start : start + self.BATCH])

        yield write

    def _drop_secondary_indexes(self, table: str) -> list[str]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL "
                "ORDER BY name",
                [table],
            )
            found = cursor.fetchall()
            for name, _sql in found:
                cursor.execute(f"DROP INDEX {_quote(name)}")
        return [sql for _name, sql in found]
