"""Talent programmes and their expert review (人才计划, R1), at ``/api/v1/talent`` (mounted by
``hrss.talent.api``).

Anyone: the programmes and their published results (``/programmes``). A citizen: declares
(``POST /declarations``), follows their declarations and appeals (``/declarations/mine``). An
expert of the pool: their review tasks, scoring sheets, recusals and conflicts
(``/expert/...``). The programme office (approvers, administrators): programmes, the expert
pool, the formal check, the draw, aggregation, publication, appeals, finalisation."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from hrss.core.errors import NotFound
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.identity.auth import API_AUTH, request_scope
from hrss.talent import programme_selectors as reads
from hrss.talent import services
from hrss.talent.programme_schemas import (
    TalentAggregationOut,
    TalentAssignmentOut,
    TalentDeclarationCheckIn,
    TalentDeclarationIn,
    TalentDeclarationOfficeOut,
    TalentDeclarationOut,
    TalentExpertConflictIn,
    TalentExpertConflictOut,
    TalentExpertIn,
    TalentExpertOut,
    TalentProgrammeAppealDecisionIn,
    TalentProgrammeAppealIn,
    TalentProgrammeAppealOfficeOut,
    TalentProgrammeAppealOut,
    TalentProgrammeIn,
    TalentProgrammeOfficeOut,
    TalentProgrammeOut,
    TalentProgrammeResultOut,
    TalentRecusalIn,
    TalentRecusalOut,
    TalentScoreSheetIn,
    TalentScoreSheetOut,
)
from hrss.talent.schemas import TalentErrorOut

router = Router(tags=["talent programmes"], auth=API_AUTH)
_ERRORS = {401: TalentErrorOut, 403: TalentErrorOut, 404: TalentErrorOut, 409: TalentErrorOut, 422: TalentErrorOut}
_PUBLIC_ERRORS = {404: TalentErrorOut, 422: TalentErrorOut}


# --- public ------------------------------------------------------------------------------------


@router.get(
    "/programmes",
    response={200: list[TalentProgrammeOut], 422: TalentErrorOut},
    auth=None,
    summary="Talent programmes (人才计划)",
)
def programmes(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return reads.programmes_public(limit=limit, offset=offset)


@router.get(
    "/programmes/{code}",
    response={200: TalentProgrammeOut, **_PUBLIC_ERRORS},
    auth=None,
    summary="A talent programme: its window, funding and scoring criteria",
)
def programme(request: HttpRequest, code: str) -> Any:
    return reads.programme_public(code=code)


@router.get(
    "/programmes/{code}/results",
    response={200: list[TalentProgrammeResultOut], **_PUBLIC_ERRORS},
    auth=None,
    summary="The published ranking (公示), names masked; empty until published",
)
def programme_results(request: HttpRequest, code: str) -> Any:
    return reads.results(programme=reads.programme_public(code=code))


# --- the programme office ------------------------------------------------------------------------


@router.post(
    "/programmes",
    response={201: TalentProgrammeOut, **_ERRORS},
    summary="Create a talent programme (the programme office; a retry answers the same)",
)
def programme_create(request: HttpRequest, payload: TalentProgrammeIn) -> Status:
    data = payload.dict()
    data["criteria"] = [dict(row) for row in data["criteria"]]
    made = services.programme_create(scope=request_scope(request), **data)
    return Status(201, made)


@router.get(
    "/office/programmes",
    response={200: list[TalentProgrammeOfficeOut], **_ERRORS},
    summary="The programmes the office runs, with their declarations counted",
)
def programmes_office(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return reads.programmes_office(scope=request_scope(request), limit=limit, offset=offset)


@router.get(
    "/programmes/{code}/declarations",
    response={200: list[TalentDeclarationOfficeOut], **_ERRORS},
    summary="A programme's declarations with their experts (the office; an audited read)",
)
def programme_declarations(
    request: HttpRequest,
    code: str,
    status: str = Query("", max_length=12),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    scope = request_scope(request)
    reads.programme_office(scope=scope, code=code)
    return reads.declarations_office(scope=scope, programme_code=code, status=status, limit=limit, offset=offset)


@router.post(
    "/programmes/{code}/aggregate",
    response={200: TalentAggregationOut, **_ERRORS},
    summary="Score the declarations whose sheets are all in (one highest and one lowest total dropped)",
)
def programme_aggregate(request: HttpRequest, code: str) -> Any:
    return services.programme_aggregate(scope=request_scope(request), programme_code=code)


@router.post(
    "/programmes/{code}/publish",
    response={200: TalentProgrammeOut, **_ERRORS},
    summary="Publish the ranking (公示): the notice period, in which applicants may appeal, starts",
)
def programme_publish(request: HttpRequest, code: str) -> Any:
    return services.programme_publish(scope=request_scope(request), programme_code=code)


@router.post(
    "/programmes/{code}/finalise",
    response={200: TalentProgrammeOut, **_ERRORS},
    summary="Make the results final after the notice period, every appeal decided",
)
def programme_finalise(request: HttpRequest, code: str) -> Any:
    return services.programme_finalise(scope=request_scope(request), programme_code=code)


@router.get(
    "/experts",
    response={200: list[TalentExpertOut], **_ERRORS},
    summary="The expert pool (专家库) with employers and conflicts (the office; an audited read)",
)
def experts(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return reads.experts(scope=request_scope(request), limit=limit, offset=offset, on=timezone.localdate())


@router.post(
    "/experts",
    response={200: TalentExpertOut, **_ERRORS},
    summary="Add a person of the registry to the expert pool, or update their specialities and active flag",
)
def expert_add(request: HttpRequest, payload: TalentExpertIn) -> Any:
    scope = request_scope(request)
    expert = services.expert_add(scope=scope, **payload.dict())
    found = reads.experts(scope=scope, limit=1, on=timezone.localdate(), expert_id=expert.pk)
    if not found:  # an expert living outside a district office's districts: added, not shown
        raise NotFound()
    return found[0]


@router.post(
    "/experts/{expert_id}/conflicts",
    response={201: TalentExpertConflictOut, **_ERRORS},
    summary="Record a person or employer an expert must not review (the office)",
)
def expert_conflict_add(request: HttpRequest, expert_id: uuid.UUID, payload: TalentExpertConflictIn) -> Status:
    conflict = services.expert_conflict_add(scope=request_scope(request), expert_id=expert_id, **payload.dict())
    return Status(201, conflict)


@router.post(
    "/declarations/{declaration_id}/check",
    response={200: TalentDeclarationOfficeOut, **_ERRORS},
    summary="The formal check (形式审查): accept for expert review, or refuse with a reason",
)
def declaration_check(request: HttpRequest, declaration_id: uuid.UUID, payload: TalentDeclarationCheckIn) -> Any:
    scope = request_scope(request)
    services.declaration_check(scope=scope, declaration_id=declaration_id, **payload.dict())
    return reads.declaration_office(scope=scope, declaration_id=declaration_id)


@router.post(
    "/declarations/{declaration_id}/assign",
    response={200: TalentDeclarationOfficeOut, **_ERRORS},
    summary="Draw the experts the declaration lacks, at random with a recorded seed, excluding conflicts",
)
def experts_assign(request: HttpRequest, declaration_id: uuid.UUID) -> Any:
    scope = request_scope(request)
    services.experts_assign(scope=scope, declaration_id=declaration_id)
    return reads.declaration_office(scope=scope, declaration_id=declaration_id)


@router.get(
    "/appeals",
    response={200: list[TalentProgrammeAppealOfficeOut], **_ERRORS},
    summary="Appeals against published results (the office; an audited read)",
)
def appeals(
    request: HttpRequest,
    status: str = Query("", max_length=10),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return reads.appeals_office(scope=request_scope(request), status=status, limit=limit, offset=offset)


@router.post(
    "/appeals/{appeal_id}/decision",
    response={200: TalentProgrammeAppealOfficeOut, **_ERRORS},
    summary="Dismiss an appeal with a reason, or uphold it (a fresh set of experts reviews again)",
)
def appeal_decide(request: HttpRequest, appeal_id: uuid.UUID, payload: TalentProgrammeAppealDecisionIn) -> Any:
    scope = request_scope(request)
    services.appeal_decide(scope=scope, appeal_id=appeal_id, upheld=payload.upheld, reason=payload.reason)
    return reads.appeals_office(scope=scope, limit=1, appeal_id=appeal_id)[0]


# --- the citizen's ----------------------------------------------------------------------------------


@router.post(
    "/declarations",
    response={201: TalentDeclarationOut, **_ERRORS},
    summary="Declare for an open programme (项目申报); one per person and programme, a retry answers the same",
)
def declaration_submit(request: HttpRequest, payload: TalentDeclarationIn) -> Status:
    scope = request_scope(request)
    declaration = services.declaration_submit(
        scope=scope,
        programme_code=payload.programme,
        title=payload.title,
        summary=payload.summary,
        requested_amount=payload.requested_amount,
    )
    return Status(201, reads.declaration_mine(scope=scope, declaration_id=declaration.pk))


@router.get(
    "/declarations/mine",
    response={200: list[TalentDeclarationOut], **_ERRORS},
    summary="My declarations: status, score, rank and appeal",
)
def declarations_mine(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return reads.declarations_mine(scope=request_scope(request), limit=limit, offset=offset)


@router.post(
    "/declarations/{declaration_id}/appeal",
    response={201: TalentProgrammeAppealOut, **_ERRORS},
    summary="Appeal against my published result (异议) within the notice period",
)
def appeal_lodge(request: HttpRequest, declaration_id: uuid.UUID, payload: TalentProgrammeAppealIn) -> Status:
    appeal = services.appeal_lodge(scope=request_scope(request), declaration_id=declaration_id, reason=payload.reason)
    return Status(201, appeal)


# --- the expert's -------------------------------------------------------------------------------------


@router.get(
    "/expert/assignments",
    response={200: list[TalentAssignmentOut], **_ERRORS},
    summary="My review tasks as an expert of the pool, those to score first",
)
def assignments_mine(
    request: HttpRequest,
    status: str = Query("", max_length=10),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return reads.assignments_mine(scope=request_scope(request), status=status, limit=limit, offset=offset)


@router.get(
    "/expert/assignments/{assignment_id}",
    response={200: TalentAssignmentOut, **_ERRORS},
    summary="One review task: the declaration and the programme's criteria",
)
def assignment_mine(request: HttpRequest, assignment_id: uuid.UUID) -> Any:
    return reads.assignment_mine(scope=request_scope(request), assignment_id=assignment_id)


@router.post(
    "/expert/assignments/{assignment_id}/sheet",
    response={201: TalentScoreSheetOut, **_ERRORS},
    summary="Submit my scoring sheet (final once submitted)",
)
def sheet_submit(request: HttpRequest, assignment_id: uuid.UUID, payload: TalentScoreSheetIn) -> Status:
    sheet = services.sheet_submit(
        scope=request_scope(request),
        assignment_id=assignment_id,
        scores={name: str(value) for name, value in payload.scores.items()},
        comment=payload.comment,
    )
    return Status(201, sheet)


@router.post(
    "/expert/assignments/{assignment_id}/recuse",
    response={200: TalentRecusalOut, **_ERRORS},
    summary="Recuse myself (回避) with a reason; a replacement is drawn",
)
def assignment_recuse(request: HttpRequest, assignment_id: uuid.UUID, payload: TalentRecusalIn) -> Any:
    scope = request_scope(request)
    recusal = services.assignment_recuse(scope=scope, assignment_id=assignment_id, reason=payload.reason)
    return {
        "assignment": reads.assignment_mine(scope=scope, assignment_id=assignment_id),
        "replaced": recusal.replacement is not None,
    }


@router.post(
    "/expert/conflicts",
    response={201: TalentExpertConflictOut, **_ERRORS},
    summary="Declare a person or employer I must not review (利益冲突)",
)
def expert_conflict_declare(request: HttpRequest, payload: TalentExpertConflictIn) -> Status:
    conflict = services.expert_conflict_add(scope=request_scope(request), **payload.dict())
    return Status(201, conflict)
