"""The credit API (A7).

Public: the event kinds with their points in force, and the red and black lists of employers.
Citizens and employer agents: their own credit, explained by its records, and objections.
Staff: an employer's or a person's credit by code, with a purpose (scoped and audited)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from hrss.codes.selectors import parameter_series
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.credit import selectors, services
from hrss.credit.models import EventKind
from hrss.credit.schemas import CreditOut, ErrorOut, EventKindOut, ListEntryOut, ObjectionIn, ObjectionOut
from hrss.identity.auth import API_AUTH, request_scope

router = Router(tags=["credit"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get(
    "/event-kinds", response=list[EventKindOut], auth=None, summary="Credit event kinds and their points in force"
)
def event_kinds(request: HttpRequest) -> Any:
    on = timezone.localdate()
    points = parameter_series("credit.points.", on=on)
    months = parameter_series("credit.months.", on=on)
    return [
        {
            "code": kind.code,
            "name": kind.name,
            "subject_kind": kind.subject_kind,
            "direction": kind.direction,
            "severe": kind.severe,
            "legal_basis": kind.legal_basis,
            "source": kind.source,
            "points": int(points[kind.code]),
            "months": int(months[kind.code]),
        }
        for kind in EventKind.objects.all()
        if kind.code in points and kind.code in months
    ]


@router.get(
    "/lists/{which}",
    response={200: list[ListEntryOut], 422: ErrorOut},
    auth=None,
    summary="The red list (class A) or the black list (class D) of employers",
)
def published_list(
    request: HttpRequest,
    which: Literal["red", "black"],
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.published_list(which=which, limit=limit, offset=offset)


@router.get("/mine", response={200: CreditOut, **_ERRORS}, summary="My credit: class, score and the records behind it")
def mine(request: HttpRequest) -> Any:
    return selectors.mine(scope=request_scope(request))


@router.post(
    "/events/{event_id}/objections",
    response={201: ObjectionOut, **_ERRORS},
    summary="Object to one of my credit records (reviewed in the service hall)",
)
def objection(request: HttpRequest, event_id: uuid.UUID, payload: ObjectionIn) -> Any:
    row = services.objection_submit(
        scope=request_scope(request),
        user=request.user,
        event_id=event_id,
        reason=payload.reason,
        idempotency_key=payload.idempotency_key,
        channel="app",
    )
    return Status(201, row)


@router.get(
    "/employers/{credit_code}",
    response={200: CreditOut, **_ERRORS},
    summary="An employer's credit (staff in its district, or its own agent)",
)
def employer(request: HttpRequest, credit_code: str, purpose: str = Query("", max_length=200)) -> Any:
    return selectors.employer_credit(scope=request_scope(request), credit_code=credit_code, purpose=purpose)


@router.get("/persons/{id_number}", response={200: CreditOut, **_ERRORS}, summary="A person's credit (staff, audited)")
def person(request: HttpRequest, id_number: str, purpose: str = Query("", max_length=200)) -> Any:
    return selectors.person_credit(scope=request_scope(request), id_number=id_number, purpose=purpose)
