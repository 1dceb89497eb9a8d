"""The analysts' pages: a metric's table by district and industry for a month, with its
downloads (CSV and Excel)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hrss.analytics import opendata, selectors
from hrss.analytics.metrics import METRICS, Metric
from hrss.codes.models import District, Industry
from hrss.core.errors import InvalidInput, NotFound
from hrss.identity.auth import scope_for_user


def _headers(metric: Metric) -> list[str]:
    names = {
        "period": _("Month"),
        "district": _("District"),
        "industry_section": _("Industry"),
        "insured": _("Insured persons"),
        "new": _("New insured"),
        "lost": _("Lost insured"),
        "base_median": _("Median base (yuan)"),
    }
    return [names.get(column, column) for column in (*metric.dimensions, *metric.measures)]


def _labelled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    districts = dict(District.objects.filter(code__in={r["district"] for r in rows}).values_list("code", "name"))
    industries = dict(
        Industry.objects.filter(code__in={r["industry_section"] for r in rows}).values_list("code", "name")
    )
    for row in rows:
        row["district"] = f"{row['district']} {districts.get(row['district'], '')}".strip()
        row["industry_section"] = (
            f"{row['industry_section']} {industries.get(row['industry_section'], '')}".strip() or _("unknown")
        )
    return rows


def _query(request: HttpRequest) -> tuple[Metric, str | None, list[dict[str, Any]]]:
    scope = scope_for_user(request.user)
    selectors.require_reader(scope)
    metric = METRICS.get(request.GET.get("metric") or "insured-headcount")
    if metric is None:
        raise NotFound(_("There is no such metric."))
    periods = selectors.lake_periods()
    period = request.GET.get("period") or (periods[0] if periods else None)
    if period and period not in periods:
        raise InvalidInput(fields={"period": _("Choose a month the statistics hold.")})
    rows = selectors.metric_rows(metric.name, scope=scope, period=period) if period else []
    return metric, period, _labelled(rows)


@login_required
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    metric, period, rows = _query(request)
    columns = (*metric.dimensions, *metric.measures)
    context = {
        "metric": metric,
        "metrics": METRICS.values(),
        "period": period,
        "periods": selectors.lake_periods(),
        "headers": _headers(metric),
        "table": [[row[column] for column in columns] for row in rows],
    }
    return render(request, "analytics/metrics.html", context)


@login_required
@require_GET
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    metric, period, rows = _query(request)
    columns = (*metric.dimensions, *metric.measures)
    headers = _headers(metric)
    filename = f"{metric.name}-{period or 'none'}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows([row[column] for column in columns] for row in rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=str(metric.title)[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append([row[column] for column in columns])
        output = io.BytesIO()
        book.save(output)
        response = HttpResponse(
            output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# --- open statistics (S8): for anyone ------------------------------------------------------


def _open_release(request: HttpRequest) -> tuple[opendata.OpenTable, dict[str, Any] | None, list[str]]:
    table = opendata.OPEN_TABLES.get(request.GET.get("table") or next(iter(opendata.OPEN_TABLES)))
    if table is None:
        raise NotFound(_("There is no such table."))
    periods = selectors.lake_periods()
    period = request.GET.get("period") or (periods[0] if periods else None)
    found = opendata.release(table.name, period) if period else None
    return table, found, periods


def _open_rows(found: dict[str, Any]) -> list[list[Any]]:
    names = dict(District.objects.filter(code__in=found["rows"]).values_list("code", "name"))
    body = [
        [f"{code} {names.get(code, '')}".strip(), *cells, total]
        for code, cells, total in zip(found["rows"], found["cells"], found["row_totals"], strict=True)
    ]
    body.append([_("All districts"), *found["column_totals"], found["total"]])
    return body


@require_GET
def open_statistics(request: HttpRequest) -> HttpResponse:
    table, found, periods = _open_release(request)
    context = {
        "table": table,
        "tables": opendata.OPEN_TABLES.values(),
        "periods": periods,
        "release": found,
        "headers": [_("District"), *[c["label"] for c in found["columns"]], _("Total")] if found else [],
        "body": _open_rows(found) if found else [],
    }
    return render(request, "analytics/open.html", context)


@require_GET
def open_download(request: HttpRequest) -> HttpResponse:
    table, found, _periods = _open_release(request)
    if found is None:
        raise NotFound(_("No statistics have been published yet."))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("District"), *[c["label"] for c in found["columns"]], _("Total")])
    for row in _open_rows(found):
        writer.writerow(["" if cell is None else cell for cell in row])
    writer.writerow([])
    writer.writerow(
        [
            _("Counts under %(k)s are suppressed (left empty), with others so that none can be worked out.")
            % {"k": found["k"]}
        ]
    )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.name}-{found["period"]}.csv"'
    return response
