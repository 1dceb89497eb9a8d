"""Public-institution personnel API (R3), at ``/api/v1/talent``.

An agent of a public institution: its profile, staff, recruitment plans, post changes and
wage approvals (applied for through the hall). The bureau's staff: the institutions of their
districts; approvers register institutions and record their quota and post settings.

The talent green card (R1), under ``/green-card``: a citizen's own card and benefit
applications; the bureau's reviewers and approvers decide the benefits."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.core.scope import Scope
from hrss.identity.auth import API_AUTH, request_scope
from hrss.talent import selectors, services
from hrss.talent.programme_api import router as programme_router
from hrss.talent.schemas import (
    TalentAllowanceOut,
    TalentErrorOut,
    TalentGreenCardBenefitDecisionIn,
    TalentGreenCardBenefitIn,
    TalentGreenCardBenefitOut,
    TalentGreenCardMineOut,
    TalentInstitutionDetailOut,
    TalentInstitutionIn,
    TalentInstitutionOut,
    TalentPostChangeIn,
    TalentPostChangeOut,
    TalentPostIn,
    TalentPostOut,
    TalentQuotaIn,
    TalentQuotaOut,
    TalentRecruitmentPlanIn,
    TalentRecruitmentPlanOut,
    TalentStaffIn,
    TalentStaffLeaveIn,
    TalentStaffOut,
    TalentTitleIn,
    TalentTitleOut,
    TalentTitleRevokeIn,
    TalentWageIn,
    TalentWageOut,
)
from hrss.talent.services.green_cards import GREEN_CARD_ITEM

router = Router(tags=["talent"], auth=API_AUTH)
# Talent programmes and their expert review (R1): their own module, under the same prefix.
router.add_router("", programme_router)
_ERRORS = {401: TalentErrorOut, 403: TalentErrorOut, 404: TalentErrorOut, 409: TalentErrorOut, 422: TalentErrorOut}


def _scope(request: HttpRequest) -> Scope:
    return request_scope(request)


@router.get("/allowances", response=list[TalentAllowanceOut], auth=None, summary="Allowances a wage may include")
def allowances(request: HttpRequest) -> Any:
    return selectors.allowances()


@router.get(
    "/institutions",
    response={200: list[TalentInstitutionOut], **_ERRORS},
    summary="Public institutions (staff: of their districts; an agent: their own)",
)
def institutions(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.institutions(scope=_scope(request), limit=limit, offset=offset)


@router.post(
    "/institutions",
    response={201: TalentInstitutionOut, **_ERRORS},
    summary="Register a public institution of the registry for personnel management",
)
def institution_register(request: HttpRequest, payload: TalentInstitutionIn) -> Status:
    institution = services.institution_register(
        scope=_scope(request), credit_code=payload.credit_code, supervisor=payload.supervisor
    )
    return Status(201, institution)


def _detail(scope: Scope, institution_id: uuid.UUID) -> dict[str, Any]:
    institution = selectors.institution_get(scope=scope, institution_id=institution_id)
    return {
        "institution": institution,
        "quotas": selectors.quota_rows(institution=institution),
        "posts": selectors.posts(institution=institution),
    }


@router.get(
    "/institutions/{institution_id}",
    response={200: TalentInstitutionDetailOut, **_ERRORS},
    summary="An institution: its quota (编制) in use and its post settings",
)
def institution_get(request: HttpRequest, institution_id: uuid.UUID) -> Any:
    return _detail(_scope(request), institution_id)


@router.put(
    "/institutions/{institution_id}/quotas",
    response={200: TalentQuotaOut, **_ERRORS},
    summary="Record the staffing quota of a funding kind",
)
def quota_set(request: HttpRequest, institution_id: uuid.UUID, payload: TalentQuotaIn) -> Any:
    scope = _scope(request)
    services.quota_set(
        scope=scope, institution_id=institution_id, kind=payload.kind, count=payload.count, document=payload.document
    )
    institution = selectors.institution_get(scope=scope, institution_id=institution_id)
    return next(row for row in selectors.quota_rows(institution=institution) if row["kind"] == payload.kind)


@router.put(
    "/institutions/{institution_id}/posts",
    response={200: TalentPostOut, **_ERRORS},
    summary="Record a post setting (category, grade, positions)",
)
def post_set(request: HttpRequest, institution_id: uuid.UUID, payload: TalentPostIn) -> Any:
    return services.post_set(
        scope=_scope(request),
        institution_id=institution_id,
        category=payload.category,
        grade=payload.grade,
        count=payload.count,
    )


@router.get(
    "/institutions/{institution_id}/staff",
    response={200: list[TalentStaffOut], **_ERRORS},
    summary="The institution's current staff (staff readers are audited)",
)
def staff_list(
    request: HttpRequest,
    institution_id: uuid.UUID,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.staff_of(scope=_scope(request), institution_id=institution_id, limit=limit, offset=offset)


@router.post(
    "/institutions/{institution_id}/staff",
    response={201: TalentStaffOut, **_ERRORS},
    summary="A person enters the staff (within the quota and a free position)",
)
def staff_add(request: HttpRequest, institution_id: uuid.UUID, payload: TalentStaffIn) -> Status:
    staff = services.staff_add(
        scope=_scope(request),
        institution_id=institution_id,
        id_number=payload.id_number,
        name=payload.name,
        post_id=payload.post,
        kind=payload.kind,
        scale_step=payload.scale_step,
        entered_on=payload.entered_on,
        plan_id=payload.plan,
    )
    return Status(201, staff)


@router.post("/staff/{staff_id}/leave", response={200: TalentStaffOut, **_ERRORS}, summary="A staff member leaves")
def staff_leave(request: HttpRequest, staff_id: uuid.UUID, payload: TalentStaffLeaveIn) -> Any:
    return services.staff_leave(scope=_scope(request), staff_id=staff_id, left_on=payload.left_on)


@router.get("/plans", response={200: list[TalentRecruitmentPlanOut], **_ERRORS}, summary="Open recruitment plans")
def plans(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.plans(scope=_scope(request), limit=limit, offset=offset)


@router.post(
    "/plans",
    response={201: TalentRecruitmentPlanOut, **_ERRORS},
    summary="Apply to file an open recruitment plan (SH-RS-001; refused over the quota)",
)
def plan_submit(request: HttpRequest, payload: TalentRecruitmentPlanIn) -> Status:
    plan = services.plan_submit(
        scope=_scope(request),
        user=request.user,
        year=payload.year,
        kind=payload.kind,
        lines=[line.dict() for line in payload.posts],
        conditions=payload.conditions,
        idempotency_key=payload.idempotency_key,
        channel="app",
    )
    return Status(201, selectors.plans(scope=_scope(request), limit=1, plan_id=plan.pk)[0])


@router.get("/post-changes", response={200: list[TalentPostChangeOut], **_ERRORS}, summary="Post changes")
def post_changes(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.post_changes(scope=_scope(request), limit=limit, offset=offset)


@router.post(
    "/post-changes",
    response={201: TalentPostChangeOut, **_ERRORS},
    summary="Apply for a staff member's post change (SH-RS-002)",
)
def post_change_submit(request: HttpRequest, payload: TalentPostChangeIn) -> Status:
    change = services.post_change_submit(
        scope=_scope(request),
        user=request.user,
        staff_id=payload.staff,
        to_post_id=payload.to_post,
        effective_on=payload.effective_on,
        reason=payload.reason,
        idempotency_key=payload.idempotency_key,
        channel="app",
    )
    return Status(201, change)


@router.get("/wage-approvals", response={200: list[TalentWageOut], **_ERRORS}, summary="Wage approvals")
def wage_approvals(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.wage_approvals(scope=_scope(request), limit=limit, offset=offset)


@router.post(
    "/wage-approvals",
    response={201: TalentWageOut, **_ERRORS},
    summary="Apply for a staff member's wage (SH-RS-003), computed from the tables in force",
)
def wage_submit(request: HttpRequest, payload: TalentWageIn) -> Status:
    wage = services.wage_submit(
        scope=_scope(request),
        user=request.user,
        staff_id=payload.staff,
        effective_on=payload.effective_on,
        scale_step=payload.scale_step,
        allowances=payload.allowances,
        idempotency_key=payload.idempotency_key,
        channel="app",
    )
    return Status(201, wage)


@router.get(
    "/green-card/mine",
    response={200: TalentGreenCardMineOut, **_ERRORS},
    summary="My valid talent green card (人才绿卡), if any, and the hall item to apply for one",
)
def green_card_mine(request: HttpRequest) -> Any:
    card = selectors.green_card_mine(scope=_scope(request), on=timezone.localdate())
    return {"card": card, "apply_item": GREEN_CARD_ITEM}


@router.get(
    "/green-card/benefits",
    response={200: list[TalentGreenCardBenefitOut], **_ERRORS},
    summary="Green card benefit applications (a holder: their own; reviewers and approvers: their districts', audited)",
)
def green_card_benefits(
    request: HttpRequest,
    status: str = Query("", max_length=10),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.green_card_benefits(scope=_scope(request), limit=limit, offset=offset, status=status)


@router.post(
    "/green-card/benefits",
    response={201: TalentGreenCardBenefitOut, **_ERRORS},
    summary="Apply for a benefit of my green card (住房补贴, 子女入学, 就医绿色通道)",
)
def green_card_benefit_apply(request: HttpRequest, payload: TalentGreenCardBenefitIn) -> Status:
    scope = _scope(request)
    benefit = services.green_card_benefit_apply(
        scope=scope, kind=payload.kind, details=payload.details, idempotency_key=payload.idempotency_key
    )
    return Status(201, selectors.green_card_benefits(scope=scope, limit=1, benefit_id=benefit.pk)[0])


@router.post(
    "/green-card/benefits/{benefit_id}/decision",
    response={200: TalentGreenCardBenefitOut, **_ERRORS},
    summary="Grant a green card benefit, or refuse it with a reason (reviewers and approvers)",
)
def green_card_benefit_decide(
    request: HttpRequest, benefit_id: uuid.UUID, payload: TalentGreenCardBenefitDecisionIn
) -> Any:
    scope = _scope(request)
    services.green_card_benefit_decide(
        scope=scope, benefit_id=benefit_id, approved=payload.approved, reason=payload.reason
    )
    return selectors.green_card_benefits(scope=scope, limit=1, benefit_id=benefit_id)[0]


# --- Professional titles (职称, R1) -----------------------------------------------------------


@router.get(
    "/titles/mine",
    response={200: list[TalentTitleOut], **_ERRORS},
    summary="My professional titles (职称) as the bureau recorded them",
)
def titles_mine(request: HttpRequest) -> Any:
    return selectors.titles_mine(scope=_scope(request))


@router.get(
    "/titles",
    response={200: list[TalentTitleOut], **_ERRORS},
    summary="Recorded professional titles of the caller's districts, or one person's (the title office; audited)",
)
def titles(
    request: HttpRequest,
    id_number: str = Query("", max_length=18, description="Only this person's"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.titles(scope=_scope(request), id_number=id_number, limit=limit, offset=offset)


@router.post(
    "/titles",
    response={201: TalentTitleOut, **_ERRORS},
    summary="Record a professional title an evaluation committee awarded (the title office; a retry answers the same)",
)
def title_record(request: HttpRequest, payload: TalentTitleIn) -> Status:
    row = services.title_record(
        scope=_scope(request),
        id_number=payload.id_number,
        name=payload.name,
        number=payload.number,
        series=payload.series,
        speciality=payload.speciality,
        title=payload.title,
        level=payload.level,
        committee=payload.committee,
        issued_on=payload.issued_on,
    )
    return Status(201, row)


@router.post(
    "/titles/{title_id}/revoke",
    response={200: TalentTitleOut, **_ERRORS},
    summary="Revoke a professional title with the reason the holder reads (the title office)",
)
def title_revoke(request: HttpRequest, title_id: uuid.UUID, payload: TalentTitleRevokeIn) -> Any:
    return services.title_revoke(scope=_scope(request), title_id=title_id, reason=payload.reason)
