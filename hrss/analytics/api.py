"""The analytics API (``/api/v1/analytics``): the metrics, for analysts and supervisors, over
their data scope; the open statistics, for anyone."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from hrss.analytics import opendata, selectors
from hrss.analytics.metrics import METRICS
from hrss.core.errors import NotFound
from hrss.identity.auth import API_AUTH, request_scope

router = Router(tags=["analytics"])


class AnalyticsErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


_ERRORS = {401: AnalyticsErrorOut, 403: AnalyticsErrorOut, 404: AnalyticsErrorOut, 422: AnalyticsErrorOut}


class MetricOut(Schema):
    name: str
    title: str
    description: str
    dimensions: list[str]
    measures: list[str]


class MetricQuery(Schema):
    period: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="the month, YYYY-MM")
    district: str | None = Field(None, pattern=r"^\d{6}$", description="a GB/T 2260 district code")
    industry: str | None = Field(None, pattern=r"^[A-T]$", description="a GB/T 4754 industry section")


class MetricRowsOut(Schema):
    metric: str
    rows: list[dict[str, Any]]


@router.get("/metrics", response={200: list[MetricOut], **_ERRORS}, auth=API_AUTH, summary="The metrics")
def metric_list(request: HttpRequest) -> Any:
    selectors.require_reader(request_scope(request))
    return [
        {
            "name": metric.name,
            "title": str(metric.title),
            "description": str(metric.description),
            "dimensions": list(metric.dimensions),
            "measures": list(metric.measures),
        }
        for metric in METRICS.values()
    ]


@router.get(
    "/metrics/{name}", response={200: MetricRowsOut, **_ERRORS}, auth=API_AUTH, summary="A metric's rows in my scope"
)
def metric_rows(request: HttpRequest, name: str, filters: Query[MetricQuery]) -> Any:
    rows = selectors.metric_rows(
        name,
        scope=request_scope(request),
        period=filters.period,
        district=filters.district,
        industry=filters.industry,
    )
    return {"metric": name, "rows": rows}


# --- open statistics (S8): public, suppressed ---------------------------------------------


class OpenTableOut(Schema):
    name: str
    title: str
    description: str
    periods: list[str]


class OpenColumnOut(Schema):
    key: str
    label: str


class OpenReleaseOut(Schema):
    table: str
    period: str
    k: int = Field(description="the least count published; smaller counts are suppressed (null)")
    rows: list[str] = Field(description="the rows' keys (GB/T 2260 district codes)")
    columns: list[OpenColumnOut]
    cells: list[list[int | None]] = Field(description="counts by row and column; null where suppressed")
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    suppressed: int = Field(description="how many counts (cells and totals) are suppressed")


class OpenQuery(Schema):
    period: str | None = Field(
        None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="the month, YYYY-MM; the newest when left out"
    )


@router.get("/open", response={200: list[OpenTableOut]}, summary="Open statistics: the tables")
def open_tables(request: HttpRequest) -> Any:
    periods = selectors.lake_periods()
    return [
        {"name": t.name, "title": str(t.title), "description": str(t.description), "periods": periods}
        for t in opendata.OPEN_TABLES.values()
    ]


@router.get(
    "/open/{name}",
    response={200: OpenReleaseOut, 404: AnalyticsErrorOut, 422: AnalyticsErrorOut},
    summary="Open statistics: a table for a month, small counts suppressed",
)
def open_release(request: HttpRequest, name: str, filters: Query[OpenQuery]) -> Any:
    period = filters.period or next(iter(selectors.lake_periods()), None)
    if period is None:
        raise NotFound(_("No statistics have been published yet."))
    return opendata.release(name, period)
