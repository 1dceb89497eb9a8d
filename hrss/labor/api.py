"""Labour API (L1): the public deadline calculator, the applicant's cases, and the
arbitrators' workbench (take a case, schedule and record the hearing, extend, award)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from hrss.core.errors import InvalidInput, PermissionDenied
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.core.scope import Scope
from hrss.identity.auth import API_AUTH, request_scope
from hrss.labor import deadlines, selectors
from hrss.labor.models import ArbitrationCase, ClockState
from hrss.labor.schemas import (
    AwardIn,
    CaseDetailOut,
    CaseOut,
    DeadlineIn,
    DeadlineOut,
    ErrorOut,
    ExtendIn,
    HearingIn,
    HearingRecordIn,
)
from hrss.labor.services import cases

router = Router(tags=["labor"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    "/deadlines",
    auth=None,
    response={200: DeadlineOut, 422: ErrorOut},
    summary="Statutory deadline of a labour dispute period (public calculator)",
)
def deadline(request: HttpRequest, payload: DeadlineIn) -> DeadlineOut:
    answer = deadlines.deadline(payload.kind, payload.date)
    return DeadlineOut(kind=answer.kind, date=answer.start, due=answer.due, basis=answer.basis)


@router.get("/cases/mine", response={200: list[CaseOut], **_ERRORS}, summary="My arbitration cases")
def cases_mine(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[ArbitrationCase]:
    scope = request_scope(request)
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    return selectors.cases_mine(scope=scope, limit=limit, offset=offset)


@router.get(
    "/cases", response={200: list[CaseOut], **_ERRORS}, summary="The arbitrators' queue, nearest deadline first"
)
def workbench(
    request: HttpRequest,
    clock: str = Query("", description="on_time, at_risk or overdue"),
    mine: bool = Query(False, description="only the cases I hold"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[ArbitrationCase]:
    scope = _arbitrator(request)
    if clock and clock not in ClockState.values:
        raise InvalidInput(fields={"clock": clock})
    return selectors.workbench(scope=scope, clock=clock, mine=mine, limit=limit, offset=offset)


def _arbitrator(request: HttpRequest) -> Scope:
    scope = request_scope(request)
    if not selectors.is_arbitrator(scope):
        raise PermissionDenied()
    return scope


def _detail(scope: Scope, reference: str) -> dict[str, object]:
    case, events = selectors.case_get(scope=scope, reference=reference)
    return {"case": case, "events": events}


@router.get("/cases/{reference}", response={200: CaseDetailOut, **_ERRORS}, summary="One case and its history")
def case_detail(request: HttpRequest, reference: str) -> dict[str, object]:
    return _detail(request_scope(request), reference)


@router.post(
    "/cases/{reference}/take", response={200: CaseDetailOut, **_ERRORS}, summary="Take a case as its arbitrator"
)
def case_take(request: HttpRequest, reference: str) -> dict[str, object]:
    scope = _arbitrator(request)
    cases.case_take(scope=scope, reference=reference)
    return _detail(scope, reference)


@router.post(
    "/cases/{reference}/hearing",
    response={200: CaseDetailOut, **_ERRORS},
    summary="Schedule the hearing and notify the parties",
)
def hearing_schedule(request: HttpRequest, reference: str, payload: HearingIn) -> dict[str, object]:
    scope = _arbitrator(request)
    cases.hearing_schedule(scope=scope, reference=reference, at=payload.at, room=payload.room)
    return _detail(scope, reference)


@router.post(
    "/cases/{reference}/hearing-record", response={200: CaseDetailOut, **_ERRORS}, summary="Record the hearing"
)
def hearing_record(request: HttpRequest, reference: str, payload: HearingRecordIn) -> dict[str, object]:
    scope = _arbitrator(request)
    cases.hearing_record(scope=scope, reference=reference, record=payload.record)
    return _detail(scope, reference)


@router.post(
    "/cases/{reference}/extension", response={200: CaseDetailOut, **_ERRORS}, summary="Extend the award period once"
)
def award_extend(request: HttpRequest, reference: str, payload: ExtendIn) -> dict[str, object]:
    scope = _arbitrator(request)
    cases.award_extend(scope=scope, reference=reference, reason=payload.reason)
    return _detail(scope, reference)


@router.post("/cases/{reference}/award", response={200: CaseDetailOut, **_ERRORS}, summary="Issue the award")
def award_issue(request: HttpRequest, reference: str, payload: AwardIn) -> dict[str, object]:
    scope = _arbitrator(request)
    cases.award_issue(
        scope=scope, reference=reference, outcome=payload.outcome, text=payload.text, amount=payload.amount
    )
    return _detail(scope, reference)
