"""The analytics lake: the apps' declared extracts (``hrss.core.lake.LakeTable``) written as
de-identified Parquet, incrementally (``hrss lake export``).

Layout under the lake root (``HRSS_LAKE_ROOT``, default ``var/lake``; a path on HDFS or S3 for
the cluster engine is the same layout)::

    _manifest.json                          tables, watermarks, files with rows and SHA-256
    contributions/2026-01/120101/part-000000000001-000000050000.parquet
    persons/snapshot-3f9a0c1d/part-00000.parquet

- A fact table appends the rows past its watermark, a batch at a time (memory stays flat as
  the city grows); files are named by the watermark range they hold and the manifest is
  saved after each batch, so an interrupted export resumes and a rerun writes nothing twice.
- A dimension table is written as a new snapshot when its fingerprint moved; the old one is
  removed once the manifest names the new one.
- Columns declared as pseudonyms leave as HMAC-SHA256 of their domain and value under the
  lake key (``HRSS_LAKE_KEY``; see ``lake_key``), so a person is the same pseudonym in every
  table and every run. The manifest records the key's id: an export under another key
  refuses to mix pseudonyms (``--rebuild`` starts the lake over).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db.models import Count, Max

from hrss.core.errors import Conflict
from hrss.core.lake import LakeTable

MANIFEST = "_manifest.json"
FORMAT_VERSION = 1
_ARROW_TYPES = {
    "string": pa.string(),
    "int64": pa.int64(),
    "int32": pa.int32(),
    "bool": pa.bool_(),
    "date32": pa.date32(),
}

_tables: dict[str, LakeTable] = {}


def register(table: LakeTable) -> None:
    """Called from AnalyticsConfig.ready() for each table an app declares."""
    if table.name in _tables and _tables[table.name] is not table:
        raise ValueError(f"two apps declare the lake table {table.name}")
    _tables[table.name] = table


def tables() -> dict[str, LakeTable]:
    return dict(_tables)


def lake_root() -> Path:
    return Path(getattr(settings, "HRSS_LAKE_ROOT", "") or settings.VAR_DIR / "lake")


def lake_key() -> bytes:
    """The pseudonym key: ``HRSS_LAKE_KEY`` (base64 of 32 bytes), else derived from SECRET_KEY
    with its own purpose (a development machine; production requires the setting, since
    pseudonyms must survive a rotation of the secret key)."""
    configured = getattr(settings, "HRSS_LAKE_KEY", "")
    if configured:
        return base64.b64decode(configured)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"hrss analytics lake pseudonyms").derive(
        settings.SECRET_KEY.encode()
    )


def key_id(key: bytes) -> str:
    return hmac.new(key, b"hrss lake key id", hashlib.sha256).hexdigest()[:16]


def pseudonym(key: bytes, domain: str, value: object) -> str | None:
    if value is None or value == "":
        return None
    return hmac.new(key, f"{domain}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass
class TableResult:
    name: str
    rows: int
    files: int
    skipped: bool


# ---- the manifest ------------------------------------------------------------------------


def read_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not path.exists():
        return {"version": FORMAT_VERSION, "key_id": None, "tables": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def _save_manifest(root: Path, manifest: dict[str, Any]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    temporary = root / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True, default=str), encoding="utf-8")
    os.replace(temporary, root / MANIFEST)


def table_files(root: Path, name: str, manifest: dict[str, Any] | None = None) -> list[Path]:
    """The table's files the manifest names (never a stray file of an interrupted run)."""
    entry = (manifest or read_manifest(root))["tables"].get(name) or {}
    return [root / item["path"] for item in entry.get("files", [])]


# ---- writing -----------------------------------------------------------------------------


def arrow_schema(table: LakeTable) -> pa.Schema:
    return pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in table.columns.items()])


def _arrow(table: LakeTable, rows: list[dict[str, Any]], key: bytes) -> pa.Table:
    columns: dict[str, list[Any]] = {}
    for name in table.columns:
        values = [row[name] for row in rows]
        domain = table.pseudonyms.get(name)
        if domain is not None:
            values = [pseudonym(key, domain, value) for value in values]
        elif table.columns[name] == "string":
            values = [None if value is None else str(value) for value in values]
        columns[name] = values
    return pa.Table.from_pydict(columns, schema=arrow_schema(table))


def _segment(value: object) -> str:
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    text = str(value) if value not in (None, "") else "_"
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def _write(root: Path, relative: Path, data: pa.Table) -> dict[str, Any]:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(data, temporary, compression="zstd")
    digest = hashlib.sha256(temporary.read_bytes()).hexdigest()
    os.replace(temporary, path)
    return {"path": relative.as_posix(), "rows": data.num_rows, "sha256": digest}


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _export_fact(root: Path, table: LakeTable, manifest: dict[str, Any], key: bytes, batch_size: int) -> TableResult:
    assert table.watermark is not None
    entry = manifest["tables"].setdefault(table.name, {"kind": "fact", "watermark": None, "files": []})
    query = table.rows()
    if entry["watermark"] is not None:
        query = query.filter(**{f"{table.watermark}__gt": entry["watermark"]})
    rows = files = 0
    for batch in _batches(query.order_by(table.watermark).iterator(chunk_size=batch_size), batch_size):
        low, high = batch[0][table.watermark], batch[-1][table.watermark]
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in batch:
            groups.setdefault(tuple(_segment(row[column]) for column in table.partition_by), []).append(row)
        for segments, members in sorted(groups.items()):
            relative = Path(table.name, *segments, f"part-{low:012d}-{high:012d}.parquet")
            entry["files"].append(_write(root, relative, _arrow(table, members, key)))
            files += 1
        rows += len(batch)
        entry["watermark"] = high
        _save_manifest(root, manifest)
    return TableResult(table.name, rows, files, skipped=rows == 0)


def _export_dimension(
    root: Path, table: LakeTable, manifest: dict[str, Any], key: bytes, batch_size: int
) -> TableResult:
    assert table.changed is not None
    entry = manifest["tables"].get(table.name) or {"kind": "dimension", "fingerprint": None, "files": []}
    summary = table.rows().aggregate(n=Count("*"), last=Max(table.changed))
    fingerprint = f"{summary['n']}:{summary['last'].isoformat() if summary['last'] else '-'}"
    if entry.get("fingerprint") == fingerprint:
        return TableResult(table.name, 0, 0, skipped=True)
    snapshot = f"snapshot-{hashlib.sha256(fingerprint.encode()).hexdigest()[:8]}"
    written: list[dict[str, Any]] = []
    rows = 0
    for number, batch in enumerate(_batches(table.rows().order_by().iterator(chunk_size=batch_size), batch_size)):
        written.append(
            _write(root, Path(table.name, snapshot, f"part-{number:05d}.parquet"), _arrow(table, batch, key))
        )
        rows += len(batch)
    old = {Path(item["path"]).parts[1] for item in entry.get("files", []) if len(Path(item["path"]).parts) > 2}
    manifest["tables"][table.name] = {"kind": "dimension", "fingerprint": fingerprint, "files": written}
    _save_manifest(root, manifest)
    for name in old - {snapshot}:
        shutil.rmtree(root / table.name / name, ignore_errors=True)
    return TableResult(table.name, rows, len(written), skipped=False)


def export(
    root: Path | None = None, *, only: Iterable[str] | None = None, batch_size: int = 50_000, rebuild: bool = False
) -> list[TableResult]:
    """Bring the lake up to date with the database; returns what each table wrote."""
    root = root or lake_root()
    key = lake_key()
    if rebuild and root.exists():
        shutil.rmtree(root)
    manifest = read_manifest(root)
    if manifest.get("key_id") not in (None, key_id(key)):
        raise Conflict(
            "the lake was written under another pseudonym key; export with --rebuild to start it over",
            code="lake_key_changed",
        )
    manifest["key_id"] = key_id(key)
    manifest["version"] = FORMAT_VERSION
    selected = set(only) if only else None
    results = []
    for name, table in sorted(_tables.items()):
        if selected is not None and name not in selected:
            continue
        if table.watermark is not None:
            results.append(_export_fact(root, table, manifest, key, batch_size))
        else:
            results.append(_export_dimension(root, table, manifest, key, batch_size))
    manifest["exported_at"] = dt.datetime.now(dt.UTC).isoformat()
    _save_manifest(root, manifest)
    return results
