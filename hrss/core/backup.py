"""Backup and restore of the database of record, uploaded files and the audit-chain head (X1).

A backup is a folder:

    manifest.json   created_at, database vendor, audit-chain head and length, row counts
                    per table, SHA-256 of every file in the folder
    database.sqlite3 | database.dump   SQLite online backup, or pg_dump custom format
    media.tar.gz    uploaded files (MEDIA_ROOT)

``backup_restore`` puts the database into a *new* target (never over the live one unless
asked), unpacks the files, then proves the result: every row count matches the manifest
and the restored audit chain verifies to the recorded head.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from hrss.core.audit import audit_seal, audit_verify, verify_entries
from hrss.core.errors import Conflict, InvalidInput
from hrss.core.models import AuditEntry

MANIFEST = "manifest.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_counts(alias: str = "default") -> dict[str, int]:
    """Row count of every table the project's models own (Django's and the apps')."""
    counts: dict[str, int] = {}
    conn = connections[alias]
    existing = set(conn.introspection.table_names())
    with conn.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in existing and table not in counts:
                cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608 - table names from models
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise InvalidInput(f"{name} is not installed on this machine (PostgreSQL client tools are needed)")
    return path


def _pg_env(db: Any) -> tuple[list[str], dict[str, str]]:
    args = [
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
    ]
    env = {"PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def backup_create(*, target: Path) -> dict[str, Any]:
    """Write a backup folder and return its manifest."""
    target.mkdir(parents=True, exist_ok=False)
    db = settings.DATABASES["default"]
    audit_seal()  # the backup's recorded head covers every entry committed so far
    chain = audit_verify()
    if not chain.ok:
        raise Conflict(f"the audit chain is broken at entry {chain.broken_seq}; back up only a verified chain")
    counts = table_counts()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target / "database.sqlite3")
        with destination:
            connection.connection.backup(destination)  # online backup: consistent while serving
        destination.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_env(db)
        subprocess.run(  # noqa: S603 - fixed argv
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(target / "database.dump"),
                *args,
                str(db["NAME"]),
            ],
            check=True,
            env={**_base_env(), **env},
            timeout=3600,
        )
    else:
        raise InvalidInput(f"backups of {connection.vendor} databases are not supported")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest = {
        "format": 1,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "audit_head": chain.head,
        "audit_entries": chain.checked,
        "tables": counts,
        "files": {p.name: _sha256(p) for p in sorted(target.iterdir())},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL")}


@dataclass(frozen=True)
class RestoreReport:
    database: str
    tables_checked: int
    audit_entries: int
    audit_head: str


def backup_restore(*, source: Path, database_url: str, media_root: Path | None = None) -> RestoreReport:
    """Restore a backup into ``database_url`` (a new, empty database) and verify it."""
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        if _sha256(source / name) != digest:
            raise InvalidInput(f"backup file {name} does not match its checksum", fields={"file": name})
    target = dj_database_url.parse(database_url)
    vendor = "sqlite" if target["ENGINE"].endswith("sqlite3") else "postgresql"
    if vendor != manifest["vendor"]:
        raise InvalidInput(f"this backup is of a {manifest['vendor']} database, not {vendor}")
    if vendor == "sqlite":
        path = Path(target["NAME"])
        if path.exists() and path.stat().st_size > 0:
            raise Conflict(f"{path} exists; restore into a new database")
        shutil.copyfile(source / "database.sqlite3", path)
    else:
        args, env = _pg_env(target)
        subprocess.run(  # noqa: S603 - fixed argv
            [
                _tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                str(target["NAME"]),
                *args,
                str(source / "database.dump"),
            ],
            check=True,
            env={**_base_env(), **env},
            timeout=3600,
        )
    if media_root is not None:
        with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
            archive.extractall(media_root.parent, filter="data")
    with _raw_connection(vendor, target) as raw:
        counts = {table: _count(raw, table) for table in manifest["tables"]}
        differing = {t: (n, counts[t]) for t, n in manifest["tables"].items() if counts[t] != n}
        if differing:
            raise Conflict(f"restored row counts differ from the backup: {differing}")
        chain = verify_entries(_audit_rows(raw))
    if not chain.ok or chain.head != manifest["audit_head"]:
        raise Conflict(f"restored audit chain does not verify to the recorded head (entry {chain.broken_seq})")
    return RestoreReport(str(target["NAME"]), len(counts), chain.checked, chain.head)


@contextmanager
def _raw_connection(vendor: str, target: Any) -> Iterator[Any]:
    """A plain DB-API connection to the restored database (it is not one of Django's aliases)."""
    raw: Any
    if vendor == "sqlite":
        raw = sqlite3.connect(target["NAME"])
    else:
        raw = psycopg.connect(
            host=target.get("HOST") or "127.0.0.1",
            port=target.get("PORT") or 5432,
            user=target.get("USER") or "postgres",
            password=target.get("PASSWORD") or None,
            dbname=target["NAME"],
        )
    try:
        yield raw
    finally:
        raw.close()


def _count(raw: Any, table: str) -> int:
    cursor = raw.cursor()
    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the manifest's model tables
    return int(cursor.fetchone()[0])


def _audit_rows(raw: Any) -> Iterator[AuditEntry]:
    cursor = raw.cursor()
    cursor.execute(
        "SELECT seq, chain_seq, at, actor, actor_role, action, object_type, object_id, purpose, detail, prev_hash, hash "
        "FROM core_auditentry WHERE chain_seq IS NOT NULL ORDER BY chain_seq"
    )
    for seq, chain_seq, at, actor, role, action, otype, oid, purpose, detail, prev_hash, digest in cursor:
        if isinstance(at, str):
            at = (
                dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC) if "+" not in at else dt.datetime.fromisoformat(at)
            )
        if isinstance(detail, str):
            detail = json.loads(detail)
        yield AuditEntry(
            seq=seq,
            chain_seq=chain_seq,
            at=at,
            actor=actor,
            actor_role=role,
            action=action,
            object_type=otype,
            object_id=oid,
            purpose=purpose,
            detail=detail,
            prev_hash=prev_hash,
            hash=digest,
        )
