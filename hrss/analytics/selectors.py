"""Reads of the analytics platform, always given the caller's Scope: a metric's rows for the
districts the caller may see (analysts of a district see their district; city-wide staff the
city). The rows are aggregates of the de-identified lake, never a person."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from hrss.analytics import engine, lake
from hrss.analytics.metrics import METRICS, period_index, period_label
from hrss.analytics.models import EarlyWarning
from hrss.codes.selectors import districts_current
from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, ANALYST, FUND_SUPERVISOR, Scope

READER_ROLES = frozenset({ANALYST, FUND_SUPERVISOR})


def require_reader(scope: Scope) -> None:
    """Analysts, fund supervisors and administrators read the analytics platform."""
    if not scope.has_role(*READER_ROLES, ADMINISTRATOR):
        raise PermissionDenied(_("Only analysts and supervisors read the statistics."))


def metric_rows(
    name: str,
    *,
    scope: Scope,
    period: str | None = None,
    district: str | None = None,
    industry: str | None = None,
    engine_name: str | None = None,
    root: Path | None = None,
) -> list[dict[str, Any]]:
    require_reader(scope)
    metric = METRICS.get(name)
    if metric is None:
        raise NotFound(_("There is no such metric."))
    with engine.session(engine_name) as connection:
        tables = [engine.lake_table(connection, table, root) for table in metric.tables]
        expression = metric.build(*tables)
        columns = set(expression.columns)
        if district and "district" not in columns:
            raise InvalidInput(fields={"district": _("This metric has no breakdown by district.")})
        if industry and "industry_section" not in columns:
            raise InvalidInput(fields={"industry": _("This metric has no breakdown by industry.")})
        if not scope.city_wide and "district" not in columns:
            raise PermissionDenied(_("This metric is the whole city's; it is shown to city-wide staff."))
        if period:
            expression = expression.filter(expression.period_index == period_index(period))
        if district:
            expression = expression.filter(expression.district == district)
        if industry:
            expression = expression.filter(expression.industry_section == industry)
        if not scope.city_wide:
            expression = expression.filter(expression.district.isin(sorted(scope.districts or {"-"})))
        order = ["period_index", *[d for d in metric.dimensions if d != "period"]]
        result = connection.to_pyarrow(expression.order_by(order))
    rows = []
    for record in result.to_pylist():
        row: dict[str, Any] = {"period": period_label(int(record.pop("period_index")))}
        for key in (*metric.dimensions[1:], *metric.measures):
            row[key] = record.get(key)
        rows.append(metric.finish(row) if metric.finish else row)
    return rows


def lake_periods(root: Path | None = None) -> list[str]:
    """The months the contribution lake holds, newest first (from the manifest's files)."""
    months = set()
    for path in lake.table_files(root or lake.lake_root(), "contributions"):
        months.add(path.parent.parent.name)
    return sorted(months, reverse=True)


# --- the employment map and trends (E3) -----------------------------------------------------

# The figures the map and the trend chart show: the metric each comes from, and whether the
# districts' or industries' figures add up (a median does not: it needs one industry).
MAP_MEASURES: dict[str, tuple[str, bool]] = {
    "insured": ("insured-headcount", True),
    "new": ("insured-flows", True),
    "lost": ("insured-flows", True),
    "base_median": ("base-median", False),
    "card_holders": ("card-coverage", True),
    "decided": ("hall-time", True),
}


def _measure(measure: str, industry: str | None) -> str:
    if measure not in MAP_MEASURES:
        raise InvalidInput(fields={"measure": _("Choose one of the figures offered.")})
    metric, adds_up = MAP_MEASURES[measure]
    if not adds_up and not industry:
        raise InvalidInput(fields={"industry": _("A median does not add up over industries: choose an industry.")})
    return metric


def district_figures(*, scope: Scope, measure: str, period: str, industry: str | None = None) -> dict[str, Any]:
    """One figure per district of the caller's scope for the month (and industry): the sum
    over industries of a figure that adds up, or one industry's median. Districts the lake
    has no rows for are shown as 0 for counts and as missing for a median."""
    metric = _measure(measure, industry)
    rows = metric_rows(metric, scope=scope, period=period, industry=industry or None)
    values: dict[str, Any] = {}
    for row in rows:
        value = row[measure]
        if MAP_MEASURES[measure][1]:
            values[row["district"]] = values.get(row["district"], 0) + (value or 0)
        else:
            values[row["district"]] = value
    zero = 0 if MAP_MEASURES[measure][1] else None
    cells = [
        {"code": code, "name": name, "value": values.get(code, zero)}
        for code, name in districts_current()
        if scope.city_wide or code in (scope.districts or ())
    ]
    return {"measure": measure, "period": period, "industry": industry or "", "districts": cells}


def trend(
    *, scope: Scope, measure: str, district: str | None = None, industry: str | None = None
) -> list[dict[str, Any]]:
    """The figure month by month, oldest first, for one district or all the caller's (summed
    over districts and industries where it adds up; a median needs one district and one
    industry)."""
    metric = _measure(measure, industry)
    if not MAP_MEASURES[measure][1] and not district:
        raise InvalidInput(fields={"district": _("A median does not add up over districts: choose a district.")})
    rows = metric_rows(metric, scope=scope, district=district or None, industry=industry or None)
    totals: dict[str, Any] = {}
    for row in rows:
        value = row[measure]
        if MAP_MEASURES[measure][1]:
            totals[row["period"]] = totals.get(row["period"], 0) + (value or 0)
        else:
            totals[row["period"]] = value
    return [{"period": period, "value": totals[period]} for period in sorted(totals)]


# --- the unemployment early warning (E5) -------------------------------------------------

# Who works the warnings' queue: the analytics readers, each over the districts of their scope.
WARNING_ROLES = READER_ROLES | {ADMINISTRATOR}


def require_warning_staff(scope: Scope) -> None:
    if not scope.has_role(*WARNING_ROLES):
        raise PermissionDenied(_("Only analysts and supervisors work the early warnings."))


def _warnings_in(scope: Scope) -> QuerySet[EarlyWarning]:
    require_warning_staff(scope)
    warnings = EarlyWarning.objects.all()
    if not scope.city_wide:
        warnings = warnings.filter(district_id__in=sorted(scope.districts or ()))
    return warnings


def warnings_list(
    *,
    scope: Scope,
    status: str | None = None,
    rule: str | None = None,
    ids: list[uuid.UUID] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[EarlyWarning]:
    """The warnings of the caller's districts (city-wide staff: all), newest month first,
    with their employer and district (one query)."""
    warnings = _warnings_in(scope)
    if ids is not None:
        warnings = warnings.filter(pk__in=ids)
    if status:
        warnings = warnings.filter(status=status)
    if rule:
        warnings = warnings.filter(rule=rule)
    return list(
        warnings.select_related("employer", "district").order_by("-period", "district_id", "rule", "id")[
            offset : offset + limit
        ]
    )


def warning_counts(*, scope: Scope) -> dict[str, int]:
    """How many warnings of the caller's districts are in each status."""
    rows = _warnings_in(scope).order_by().values_list("status").annotate(n=Count("id"))
    return dict(rows)


def warning_for_update(*, scope: Scope, warning_id: uuid.UUID) -> EarlyWarning:
    """The warning, locked for a change (inside the caller's transaction); one outside the
    caller's districts is not found, like one that does not exist."""
    warning = _warnings_in(scope).select_for_update().filter(pk=warning_id).first()
    if warning is None:
        raise NotFound(_("There is no such warning."))
    return warning
