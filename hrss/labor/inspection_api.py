"""Labour inspection's follow-through in the API (L3): the inspectors' queue of leads, one
lead, findings with photos, rectification orders, penalties, closing a lead; and the public
results of completed random inspection plans (双随机一公开)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from hrss.core.openapi import multipart_example
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.core.scope import Scope
from hrss.identity.auth import API_AUTH, request_scope
from hrss.labor import inspection_selectors as selectors
from hrss.labor import plan_selectors
from hrss.labor.inspection_schemas import (
    ComplianceIn,
    DistrictLoadOut,
    LeadCloseIn,
    LeadDetailOut,
    LeadRowOut,
    OrderIn,
    OrderOut,
    OrderRowOut,
    PenaltyIn,
    PublishedPlanOut,
)
from hrss.labor.schemas import ErrorOut
from hrss.labor.services import rectification

router = Router(tags=["labor inspection"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# A one-pixel PNG's first bytes: a photo's example content (the file part as text).
EXAMPLE_PHOTO = "\x89PNG\r\n\x1a\n"


def lead_detail_dict(scope: Scope, lead_id: object) -> dict[str, object]:
    view = selectors.lead_get(scope=scope, lead_id=lead_id)
    lead = view.lead
    return {
        "id": lead.pk,
        "credit_code": lead.employer.credit_code,
        "employer_name": lead.employer.name,
        "district_id": lead.district_id,
        "status": lead.status,
        "opened_on": lead.opened_on,
        "reasons": lead.reasons,
        "closed_on": lead.closed_on,
        "result": lead.result,
        "result_note": lead.result_note,
        "overdue": view.overdue,
        "complaints": view.complaints,
        "plan_items": view.plan_items,
        "findings": view.findings,
        "orders": view.orders,
        "events": view.events,
    }


@router.get(
    "/leads",
    response={200: list[LeadRowOut], **_ERRORS},
    summary="Open inspection leads of the caller's districts, those with an overdue order first",
)
def leads(
    request: HttpRequest,
    overdue: bool = Query(False, description="only leads with an order past its day"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[object]:
    return list(selectors.leads_queue(scope=request_scope(request), overdue_only=overdue, limit=limit, offset=offset))


@router.get(
    "/leads/{lead_id}",
    response={200: LeadDetailOut, **_ERRORS},
    summary="One inspection lead: its complaints, plan items, findings, orders and history",
)
def lead_detail(request: HttpRequest, lead_id: uuid.UUID) -> dict[str, object]:
    return lead_detail_dict(request_scope(request), lead_id)


@router.post(
    "/leads/{lead_id}/findings",
    response={200: LeadDetailOut, **_ERRORS},
    summary="Record the inspection's findings with photos (JPEG or PNG, SHA-256 kept)",
    openapi_extra=multipart_example(
        {"text": "未按月足额支付工资，现场查阅工资台账", "violation": True, "photos": [EXAMPLE_PHOTO]}
    ),
)
def finding_record(
    request: HttpRequest,
    lead_id: uuid.UUID,
    text: Form[str],
    violation: Form[bool],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict[str, object]:
    scope = request_scope(request)
    rectification.finding_record(scope=scope, lead_id=lead_id, text=text, violation=violation, photos=photos or [])
    return lead_detail_dict(scope, lead_id)


@router.post(
    "/leads/{lead_id}/orders",
    response={200: OrderOut, **_ERRORS},
    summary="Order the employer to rectify a violation found (责令改正), by the rectification period's day",
)
def order_issue(request: HttpRequest, lead_id: uuid.UUID, payload: OrderIn) -> object:
    return rectification.order_issue(
        scope=request_scope(request), lead_id=lead_id, requirement=payload.requirement, finding_id=payload.finding
    )


@router.post(
    "/leads/{lead_id}/close",
    response={200: LeadDetailOut, **_ERRORS},
    summary="Close the inspection lead with its result",
)
def lead_close(request: HttpRequest, lead_id: uuid.UUID, payload: LeadCloseIn) -> dict[str, object]:
    scope = request_scope(request)
    rectification.lead_close(scope=scope, lead_id=lead_id, result=payload.result, note=payload.note)
    return lead_detail_dict(scope, lead_id)


@router.get(
    "/rectification-orders",
    response={200: list[OrderRowOut], **_ERRORS},
    summary="Rectification orders of the caller's districts, those past their day first",
)
def orders(
    request: HttpRequest,
    status: str | None = Query(None, description="issued, complied, overdue or penalised"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[object]:
    return list(selectors.orders_list(scope=request_scope(request), status=status, limit=limit, offset=offset))


@router.post(
    "/rectification-orders/{reference}/compliance",
    response={200: OrderOut, **_ERRORS},
    summary="Record that the employer complied with the order",
)
def order_comply(request: HttpRequest, reference: str, payload: ComplianceIn) -> object:
    return rectification.order_comply(scope=request_scope(request), reference=reference, note=payload.note)


@router.post(
    "/rectification-orders/{reference}/penalty",
    response={200: OrderOut, **_ERRORS},
    summary="Escalate an overdue order to an administrative penalty (行政处罚)",
)
def order_penalty(request: HttpRequest, reference: str, payload: PenaltyIn) -> object:
    return rectification.order_penalty(
        scope=request_scope(request), reference=reference, amount=payload.amount, basis=payload.basis
    )


@router.get(
    "/dispatch-board",
    response={200: list[DistrictLoadOut], **_ERRORS},
    summary="Each of my districts with its open leads, overdue orders and random plan items to dispatch or inspect",
)
def dispatch_board(request: HttpRequest) -> list[object]:
    """One row per district the caller covers (bounded by the city's districts)."""
    return list(plan_selectors.dispatch_board(scope=request_scope(request)))


@router.get(
    "/inspection-results",
    auth=None,
    response={200: list[PublishedPlanOut], 422: ErrorOut},
    summary="Public: completed random inspection plans of a district and each employer's result (双随机一公开)",
)
def inspection_results(
    request: HttpRequest,
    district: str = Query(..., description="GB/T 2260 district code"),
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[dict[str, object]]:
    return selectors.published_plans(district=district, limit=limit, offset=offset)
