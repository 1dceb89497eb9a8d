"""The metrics, each written once as an Ibis expression over lake tables and run on whichever
engine is configured (``hrss.analytics.engine``): the same rows on DuckDB and on Spark.

A metric names the lake tables it reads and the dimensions of its rows. Results come back as
plain rows, periods as ``YYYY-MM``, sorted by their dimensions, so that the engines can be
compared row for row and the pages, the API and the downloads show one thing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import ibis
from django.utils.translation import gettext_lazy as _

ASSESSED = "assessed"


@dataclass(frozen=True)
class Metric:
    name: str
    title: Any  # lazy translation
    description: Any
    tables: tuple[str, ...]
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    build: Callable[..., Any]
    # applied to each result row (after the engine): unit conversions and rounding
    finish: Callable[[dict[str, Any]], dict[str, Any]] | None = None


def _insured_rows(contributions: Any) -> Any:
    """One row per person, month and (district, industry) of the payer: the assessed ledger."""
    assessed = contributions.filter((contributions.kind == ASSESSED) & (contributions.revision == 0))
    return assessed.select(
        "insured", "district", "industry_section", period_index=assessed.period_index.cast("int64")
    ).distinct()


def insured_headcount(contributions: Any) -> Any:
    rows = _insured_rows(contributions)
    return rows.group_by(["period_index", "district", "industry_section"]).aggregate(insured=rows.insured.nunique())


def insured_flows(contributions: Any) -> Any:
    """New insured (insured this month, not the month before) and lost insured (insured the
    month before, not this month), by the district and industry of the month they count in.
    The first and last months of the lake have no month before or after to compare with and
    are left out."""
    rows = _insured_rows(contributions)
    months = rows.select("insured", "period_index").distinct()
    earlier = months.mutate(period_index=months.period_index + 1)
    new = rows.anti_join(earlier, ["insured", "period_index"])
    new = new.group_by(["period_index", "district", "industry_section"]).aggregate(
        new=new.insured.nunique(), lost=ibis.literal(0, type="int64")
    )
    shifted = rows.mutate(period_index=rows.period_index + 1)
    lost = shifted.anti_join(months, ["insured", "period_index"])
    lost = lost.group_by(["period_index", "district", "industry_section"]).aggregate(
        new=ibis.literal(0, type="int64"), lost=lost.insured.nunique()
    )
    both = new.union(lost, distinct=False)
    summed = both.group_by(["period_index", "district", "industry_section"]).aggregate(
        new=both.new.sum(), lost=both.lost.sum()
    )
    first, last = months.period_index.min(), months.period_index.max()
    return summed.filter((summed.period_index > first) & (summed.period_index <= last))


def base_median(contributions: Any) -> Any:
    """The median contribution base (the declared wage) of the insured, in fen: exact on every
    engine (a median of whole fen is whole or half a fen); yuan are rounded afterwards, in
    ``finish``, so that no engine's floating-point rounding decides a cent."""
    assessed = contributions.filter((contributions.kind == ASSESSED) & (contributions.revision == 0))
    return assessed.group_by(["period_index", "district", "industry_section"]).aggregate(
        insured=assessed.insured.nunique(), base_median=assessed.base_fen.median()
    )


def _fen_to_yuan(row: dict[str, Any]) -> dict[str, Any]:
    if row.get("base_median") is not None:
        yuan = (Decimal(str(row["base_median"])) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        row["base_median"] = float(yuan)
    return row


METRICS: dict[str, Metric] = {
    metric.name: metric
    for metric in (
        Metric(
            "insured-headcount",
            _("Insured persons"),
            _("Persons with an assessed contribution in the month, by the payer's district and industry."),
            ("contributions",),
            ("period", "district", "industry_section"),
            ("insured",),
            insured_headcount,
        ),
        Metric(
            "insured-flows",
            _("New and lost insured"),
            _("Persons insured this month but not the month before (new), and the reverse (lost)."),
            ("contributions",),
            ("period", "district", "industry_section"),
            ("new", "lost"),
            insured_flows,
        ),
        Metric(
            "base-median",
            _("Median contribution base"),
            _("The median declared wage (contribution base, yuan) of the insured."),
            ("contributions",),
            ("period", "district", "industry_section"),
            ("insured", "base_median"),
            base_median,
            _fen_to_yuan,
        ),
    )
}


def period_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def period_index(label: str) -> int:
    year, month = label.split("-")
    return int(year) * 12 + int(month) - 1
