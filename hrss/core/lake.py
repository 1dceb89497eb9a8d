"""What an app offers the analytics lake: the declaration of one de-identified extract.

An app lists its extracts on its AppConfig as ``lake_tables`` (the dotted path of a sequence
of ``LakeTable``); ``hrss.analytics`` collects them in ready() and writes them as Parquet
(``hrss lake export``). Declaring a table here is all an app does: analytics never imports
the app, and the app never writes a file.

The extract is a ``values()`` queryset naming exactly the table's columns. Columns listed in
``pseudonyms`` hold an id (a person's, an employer's) and leave the database only as a keyed
pseudonym of their domain: the same person is the same pseudonym in every table, and no
name, ID number, phone or address ever reaches the lake (a test scans for them).

- A *fact* table (``watermark`` set: an increasing integer column, e.g. an append-only
  ledger's key) is exported incrementally: each run appends the rows past the last
  watermark, in files named by the watermark range, so a rerun writes nothing twice.
- A *dimension* table (no watermark) is a snapshot, written again only when its
  fingerprint (row count and latest ``changed`` stamp) moved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The column types a lake table may declare (Arrow types, by name).
LAKE_TYPES = frozenset({"string", "int64", "int32", "bool", "date32"})


@dataclass(frozen=True)
class LakeTable:
    name: str
    description: str
    # the extract: a values() queryset yielding dicts with exactly ``columns``' keys
    rows: Callable[[], Any]
    # output column -> type (one of LAKE_TYPES)
    columns: Mapping[str, str]
    # id columns -> pseudonym domain ("person", "employer")
    pseudonyms: Mapping[str, str] = field(default_factory=dict)
    # fact tables: the increasing integer column exported incrementally
    watermark: str | None = None
    # dimension tables: the stamp column whose max, with the count, fingerprints a snapshot
    changed: str | None = None
    # directory levels of the files (string columns), e.g. ("period", "district")
    partition_by: tuple[str, ...] = ()
    # coded string columns -> {code: label}: how pages name a code the lake keeps (a channel)
    labels: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = {name: kind for name, kind in self.columns.items() if kind not in LAKE_TYPES}
        if unknown:
            raise ValueError(f"lake table {self.name}: unknown column types {unknown}")
        for column in (*self.pseudonyms, *self.partition_by, *self.labels):
            if column not in self.columns:
                raise ValueError(f"lake table {self.name}: {column} is not one of its columns")
        if (self.watermark is None) == (self.changed is None):
            raise ValueError(f"lake table {self.name}: a fact table has a watermark, a dimension a changed stamp")
