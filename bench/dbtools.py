"""Database chores of the benchmarks, run as ``python -m bench.dbtools ACTION ...``.

Runs with Django set up against ``HRSS_DATABASE_URL`` (the scratch benchmark database);
prints one JSON line for the harness.

- ``dump-persons FILE``: the person rows, as tab-separated text (PostgreSQL ``COPY`` format)
- ``load-persons FILE``: load that file into the empty person table the way ``hrss synth``
  loads (indexes and keys set aside and rebuilt), timed: the limit the generator is held to
- ``sample-ids N FILE``: N random persons' API paths (ID numbers decrypted)
- ``staff-token``: a city-wide counter clerk and a bearer token for them
- ``counts``: rows in the registry and the audit chain
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrss.settings")
    import django

    django.setup()


def dump_persons(path: Path) -> dict[str, object]:
    from django.db import connection

    from hrss.synth.generators.persons import COLUMNS

    columns = ", ".join(f'"{c}"' for c in COLUMNS)
    rows = 0
    with path.open("wb") as handle, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY registry_person ({columns}) TO STDOUT") as copy:
                for chunk in copy:
                    handle.write(chunk)
            rows = cursor.cursor.rowcount
        else:
            cursor.execute(f"SELECT {columns} FROM registry_person")  # noqa: S608 - fixed column list
            while batch := cursor.fetchmany(10_000):
                handle.write(
                    "".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n" for row in batch).encode()
                )
                rows += len(batch)
    return {"rows": rows, "bytes": path.stat().st_size}


def _chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def load_persons(path: Path) -> dict[str, object]:
    """The loading limit: the same rows from a file, through the same loading path, no generation."""
    from django.db import connection, transaction

    from hrss.registry.models import Person
    from hrss.synth.generators.persons import COLUMNS
    from hrss.synth.loading import BulkLoader, PostgresLoader

    loader = BulkLoader.for_connection(connection)
    rows: list[tuple[str | None, ...]] = []
    if connection.vendor == "sqlite":  # parsed before the clock starts: only inserting is timed
        with path.open(encoding="utf-8") as handle:
            rows = [tuple(None if v == "\\N" else v for v in line.rstrip("\n").split("\t")) for line in handle]
    started = time.perf_counter()
    with transaction.atomic():
        if isinstance(loader, PostgresLoader):
            count = loader.copy_raw(Person, COLUMNS, _chunks(path))
        else:
            with loader.copy(Person, COLUMNS) as write:
                for start in range(0, len(rows), 50_000):
                    write(rows[start : start + 50_000])
            count = len(rows)
        loaded = time.perf_counter() - started
    committed = time.perf_counter() - started
    return {
        "rows": count,
        "seconds": loaded,
        "seconds_with_commit": committed,
        "phases": [{"table": t, "phase": p, "seconds": round(s, 3)} for t, p, s in loader.phases],
    }


def sample_ids(count: int, path: Path) -> dict[str, object]:
    from django.db import connection

    from hrss.core.crypto import decrypt_text

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM registry_person ORDER BY random() LIMIT %s", [count])
        tokens = [row[0] for row in cursor.fetchall()]
    numbers = [decrypt_text(token, aad="registry.person.id_number") for token in tokens]
    path.write_text("".join(f"/api/v1/registry/persons/{number}\n" for number in numbers))
    return {"ids": len(numbers)}


def staff_token() -> dict[str, object]:
    from hrss.core import scope as roles
    from hrss.identity.auth import token_create
    from hrss.identity.models import Role, User

    user, _created = User.objects.get_or_create(username="bench-clerk", defaults={"city_wide": True})
    user.city_wide = True
    user.save()
    user.roles.set([Role.objects.get(code=roles.COUNTER_CLERK)])
    return {"token": token_create(user=user, name="benchmark")}


def sizes() -> dict[str, object]:
    """Bytes on disk: the whole database, and the person table with its indexes."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_database_size(current_database()), pg_total_relation_size('registry_person'), "
                "pg_indexes_size('registry_person')"
            )
            database, persons, indexes = cursor.fetchone()
        return {"database_bytes": database, "person_table_bytes": persons, "person_index_bytes": indexes}
    path = Path(settings.DATABASES["default"]["NAME"])
    return {"database_bytes": sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))}


def counts() -> dict[str, object]:
    from hrss.core.models import AuditEntry
    from hrss.registry.models import Employer, Employment, Person

    return {
        "persons": Person.objects.count(),
        "employers": Employer.objects.count(),
        "employments": Employment.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }


def main(argv: list[str]) -> None:
    _setup()
    action, *args = argv
    if action == "dump-persons":
        result = dump_persons(Path(args[0]))
    elif action == "load-persons":
        result = load_persons(Path(args[0]))
    elif action == "sample-ids":
        result = sample_ids(int(args[0]), Path(args[1]))
    elif action == "staff-token":
        result = staff_token()
    elif action == "counts":
        result = counts()
    elif action == "sizes":
        result = sizes()
    else:
        raise SystemExit(f"unknown action {action!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
