"""The analytics API (``/api/v1/analytics``): the metrics, for analysts and supervisors, over
their data scope; the open statistics, for anyone; the unemployment early warnings (E5), for
the staff of their districts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from hrss.analytics import opendata, selectors, services
from hrss.analytics.metrics import METRICS
from hrss.analytics.rules import RULES, explain
from hrss.core.errors import NotFound
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
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


# --- the unemployment early warning (E5): the districts' staff ----------------------------


class EarlyWarningEmployerOut(Schema):
    credit_code: str
    name: str


class EarlyWarningOut(Schema):
    id: uuid.UUID
    rule: str = Field(description="the rule's code (hrss.analytics.rules.RULES)")
    rule_name: str
    basis: str = Field(description="what the rule compares")
    subject: str = Field(description="employer or district")
    employer: EarlyWarningEmployerOut | None
    district: str | None = Field(description="GB/T 2260 code of the district whose staff it goes to")
    district_name: str | None
    period: str = Field(description="the month evaluated, YYYY-MM")
    figures: dict[str, Any] = Field(description="the figures that made the rule fire")
    explanation: str
    status: str = Field(description="open, acknowledged or closed")
    acknowledged_by: str
    acknowledged_at: dt.datetime | None
    closed_by: str
    closed_at: dt.datetime | None
    note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_rule_name(obj: Any) -> str:
        rule = RULES.get(obj.rule)
        return str(rule.name) if rule else obj.rule

    @staticmethod
    def resolve_basis(obj: Any) -> str:
        rule = RULES.get(obj.rule)
        return str(rule.basis) if rule else ""

    @staticmethod
    def resolve_district(obj: Any) -> str | None:
        return obj.district_id

    @staticmethod
    def resolve_district_name(obj: Any) -> str | None:
        return obj.district.name if obj.district_id else None

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return f"{obj.period:%Y-%m}"

    @staticmethod
    def resolve_explanation(obj: Any) -> str:
        return explain(obj.rule, obj.figures)


class EarlyWarningQuery(Schema):
    status: Literal["open", "acknowledged", "closed"] | None = None
    rule: str | None = Field(None, max_length=40, description="a rule's code")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class EarlyWarningNoteIn(Schema):
    note: str = Field("", max_length=2000, description="what staff found or did")
    model_config = ConfigDict(json_schema_extra={"examples": [{"note": "已联系企业人事部门，核实裁员计划。"}]})


class EarlyWarningCloseIn(Schema):
    note: str = Field(min_length=1, max_length=2000, description="what was found or done (required)")
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"note": "企业已说明为季节性用工调整，已纳入重点监测。"}]}
    )


class EarlyWarningRunIn(Schema):
    period: str | None = Field(
        None,
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="the month to evaluate, YYYY-MM; the last complete month when left out",
    )
    model_config = ConfigDict(json_schema_extra={"examples": [{"period": "2026-05"}]})


class EarlyWarningRunOut(Schema):
    period: str
    findings: int = Field(description="what the rules found, raised now or before")
    raised: int = Field(description="new warnings")
    notified: int = Field(description="staff sent a message about them")


_WARNING_ERRORS = {**_ERRORS, 409: AnalyticsErrorOut}


@router.get(
    "/warnings",
    response={200: list[EarlyWarningOut], **_ERRORS},
    auth=API_AUTH,
    summary="Unemployment early warnings of my districts",
)
def warning_list(request: HttpRequest, filters: Query[EarlyWarningQuery]) -> Any:
    return selectors.warnings_list(
        scope=request_scope(request),
        status=filters.status,
        rule=filters.rule,
        limit=filters.limit,
        offset=filters.offset,
    )


@router.post(
    "/warnings/run",
    response={200: EarlyWarningRunOut, **_WARNING_ERRORS},
    auth=API_AUTH,
    summary="Run the unemployment early warning for a month (my districts)",
)
def warning_run(request: HttpRequest, payload: EarlyWarningRunIn) -> Any:
    scope = request_scope(request)
    selectors.require_warning_staff(scope)
    period = services.parse_period(payload.period, today=timezone.localdate())
    result = services.warnings_run(scope=scope, period=period)
    return {
        "period": f"{result.period:%Y-%m}",
        "findings": result.findings,
        "raised": result.raised,
        "notified": result.notified,
    }


def _warning_out(scope: Any, warning_id: uuid.UUID) -> Any:
    found = selectors.warnings_list(scope=scope, ids=[warning_id])
    if not found:
        raise NotFound(_("There is no such warning."))
    return found[0]


@router.post(
    "/warnings/{warning_id}/acknowledge",
    response={200: EarlyWarningOut, **_WARNING_ERRORS},
    auth=API_AUTH,
    summary="Acknowledge an early warning",
)
def warning_acknowledge(request: HttpRequest, warning_id: uuid.UUID, payload: EarlyWarningNoteIn) -> Any:
    scope = request_scope(request)
    services.warning_acknowledge(scope=scope, warning_id=warning_id, note=payload.note)
    return _warning_out(scope, warning_id)


@router.post(
    "/warnings/{warning_id}/close",
    response={200: EarlyWarningOut, **_WARNING_ERRORS},
    auth=API_AUTH,
    summary="Close an early warning with a note",
)
def warning_close(request: HttpRequest, warning_id: uuid.UUID, payload: EarlyWarningCloseIn) -> Any:
    scope = request_scope(request)
    services.warning_close(scope=scope, warning_id=warning_id, note=payload.note)
    return _warning_out(scope, warning_id)
