"""Open statistics (S8): de-identified tables anyone may read and download, computed from the
lake and protected by cell suppression (``hrss.analytics.disclosure``) with the dated least
count ``statistics.suppression_k``.

A table is a two-way count: rows (districts) by columns (birth decade × sex; the kind of
medical care), with its margins. Each is one Ibis expression over lake tables, like the
metrics, so it runs on whichever engine is configured; suppression is applied to its counts
afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hrss.analytics import disclosure, engine, lake, selectors
from hrss.analytics.metrics import ASSESSED, month_index, period_index
from hrss.codes.selectors import parameter_value
from hrss.core.errors import InvalidInput, NotFound

SUPPRESSION_PARAMETER = "statistics.suppression_k"
SETTLEMENT = "settlement"  # the medical claims' kind of a settlement (not a reversal or refund)
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class OpenTable:
    name: str
    title: Any  # lazy translation
    description: Any
    tables: tuple[str, ...]
    # the lake tables → an expression with columns row, column, count for one period index
    build: Callable[..., Any]
    column_label: Callable[[str], str]


def insured_by_district_decade_sex(contributions: Any, persons: Any, month: int) -> Any:
    assessed = contributions.filter(
        (contributions.kind == ASSESSED)
        & (contributions.revision == 0)
        & (contributions.period_index.cast("int64") == month)
    )
    insured = assessed.select("insured", "district").distinct()
    joined = insured.join(persons, insured.insured == persons.person)
    decade = joined.birth_cohort - joined.birth_cohort % 10
    labelled = joined.select(
        joined.insured,
        row=joined.district,
        column=decade.cast("string") + "-" + joined.sex,
    )
    return labelled.group_by(["row", "column"]).aggregate(count=labelled.insured.nunique())


def _decade_sex_label(column: str) -> str:
    decade, _sep, sex = column.partition("-")
    sexes = {"M": gettext("men"), "F": gettext("women")}
    return gettext("born in the %(decade)ss, %(sex)s") % {"decade": decade, "sex": sexes.get(sex, sex)}


def persons_treated_by_district_pooling(claims: Any, month: int) -> Any:
    """Persons with a medical settlement still standing (not reversed) for a visit in the month,
    by the district of the institution and the pooling (inpatient, outpatient, chronic and
    special diseases); a person treated under two poolings counts in both columns."""
    settled = claims.filter((claims.kind == SETTLEMENT) & claims.in_force & (month_index(claims.visit_month) == month))
    labelled = settled.select(settled.insured, row=settled.district, column=settled.pooling)
    return labelled.group_by(["row", "column"]).aggregate(count=labelled.insured.nunique())


def _pooling_label(column: str) -> str:
    declared = lake.tables().get("medical_claims")
    label = declared.labels.get("pooling", {}).get(column) if declared else None
    return str(label) if label else column


OPEN_TABLES: dict[str, OpenTable] = {
    table.name: table
    for table in (
        OpenTable(
            "insured-by-district-decade-sex",
            _("Insured persons by district, birth decade and sex"),
            _(
                "Persons with an assessed contribution in the month, by the district of the payer, "
                "their decade of birth and sex."
            ),
            ("contributions", "persons"),
            insured_by_district_decade_sex,
            _decade_sex_label,
        ),
        OpenTable(
            "persons-treated-by-district-pooling",
            _("Persons treated by district and kind of care"),
            _(
                "Persons with a medical insurance settlement for a visit in the month, by the "
                "district of the hospital or pharmacy and the kind of care (inpatient, "
                "outpatient, chronic and special diseases); reversed settlements are left out."
            ),
            ("medical_claims",),
            persons_treated_by_district_pooling,
            _pooling_label,
        ),
    )
}


def suppression_k(on: dt.date) -> int:
    return int(parameter_value(SUPPRESSION_PARAMETER, on=on))


def _fingerprint(root: Path, names: tuple[str, ...]) -> str:
    manifest = lake.read_manifest(root)
    entries = {name: manifest["tables"].get(name) for name in names}
    return hashlib.sha256(json.dumps(entries, sort_keys=True, default=str).encode()).hexdigest()[:16]


def release(name: str, period: str, *, root: Path | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """The published table for a month: counts with suppressed entries as None.

    Kept in the shared cache under the lake's state and k, so a public request does not
    recompute a release the lake has not changed since; a new export gives a new key."""
    table = OPEN_TABLES.get(name)
    if table is None:
        raise NotFound(gettext("There is no such table."))
    root = root or lake.lake_root()
    if period not in selectors.lake_periods(root):
        raise InvalidInput(fields={"period": gettext("Choose a month the statistics hold.")})
    k = suppression_k(today or dt.date.today())
    key = f"analytics:open:{name}:{period}:{k}:{_fingerprint(root, table.tables)}"
    found = cache.get(key)
    if found is None:
        found = _compute(table, period, k, root)
        cache.set(key, found, CACHE_SECONDS)
    # labels in the reader's language, after the cache (which holds numbers only)
    return {**found, "columns": [{"key": c, "label": table.column_label(c)} for c in found["columns"]]}


def _compute(table: OpenTable, period: str, k: int, root: Path) -> dict[str, Any]:
    with engine.session() as connection:
        sources = [engine.lake_table(connection, source, root) for source in table.tables]
        rows = connection.to_pyarrow(table.build(*sources, period_index(period))).to_pylist()
    counts = {(r["row"], r["column"]): int(r["count"]) for r in rows}
    row_keys = sorted({r for r, _c in counts})
    column_keys = sorted({c for _r, c in counts})
    published = disclosure.protect(counts, row_keys, column_keys, k=k)
    return {
        "table": table.name,
        "period": period,
        "k": k,
        "rows": list(published.rows),
        "columns": list(published.columns),
        "cells": [[published.cells[(r, c)] for c in published.columns] for r in published.rows],
        "row_totals": [published.row_totals[r] for r in published.rows],
        "column_totals": [published.column_totals[c] for c in published.columns],
        "total": published.total,
        "suppressed": published.suppressed,
    }
