"""Labour API (L1): the public deadline calculator, the applicant's cases, and the
arbitrators' workbench (take a case, schedule and record the hearing, extend, award)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.core.scope import Scope
from hrss.identity.auth import API_AUTH, request_scope
from hrss.labor import deadlines, documents, plan_selectors, selectors
from hrss.labor.case_api import router as case_router
from hrss.labor.filing_api import router as filing_router
from hrss.labor.inspection_api import router as inspection_router
from hrss.labor.models import ArbitrationCase, ClockState
from hrss.labor.register_api import router as register_router
from hrss.labor.schemas import (
    AgreementIn,
    ArbitratorOut,
    AwardIn,
    CaseDetailOut,
    CaseOut,
    ComplaintIn,
    ComplaintOut,
    DeadlineIn,
    DeadlineOut,
    EmployerLinkedOut,
    ErrorOut,
    ExtendIn,
    FailureIn,
    HearingIn,
    HearingRecordIn,
    InspectionPlanIn,
    InspectionPlanOut,
    InspectionPlanRowOut,
    MediationDetailOut,
    MediationIn,
    MediationOut,
    OrganisationOut,
    PlanFindingsIn,
    RecusalIn,
    SessionIn,
    WarningLeadsIn,
    WarningRankingOut,
)
from hrss.labor.services import cases, complaints, mediation, plans, warning

router = Router(tags=["labor"], auth=API_AUTH)
# The rights-protection register (petitions, fraud cases, transfers, merging; L2).
router.add_router("", register_router)
router.add_router("", filing_router)
# A case's evidence files, the applicant's signature, settlement, and the case statistics (L1).
router.add_router("", case_router)
# Inspection's follow-through: leads, findings, rectification orders, published results (L3).
router.add_router("", inspection_router)
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


@router.get(
    "/arbitrators",
    response={200: list[ArbitratorOut], **_ERRORS},
    summary="The arbitrators' roster with each one's open cases",
)
def arbitrators(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[object]:
    scope = _arbitrator(request)
    return list(selectors.roster(scope=scope, limit=limit, offset=offset))


def _arbitrator(request: HttpRequest) -> Scope:
    scope = request_scope(request)
    if not selectors.is_arbitrator(scope):
        raise PermissionDenied()
    return scope


def _detail(scope: Scope, reference: str) -> dict[str, object]:
    case, events = selectors.case_get(scope=scope, reference=reference)
    return {"case": case, "events": events, **selectors.case_parts(case)}


@router.get("/cases/{reference}", response={200: CaseDetailOut, **_ERRORS}, summary="One case and its history")
def case_detail(request: HttpRequest, reference: str) -> dict[str, object]:
    return _detail(request_scope(request), reference)


@router.get(
    "/cases/{reference}/documents/{kind}",
    response=_ERRORS,  # the 200 is a PDF, documented below (not JSON)
    summary="One of the case's documents as PDF (acceptance-notice, hearing-notice, award)",
    openapi_extra={
        "responses": {
            200: {
                "description": "the document",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def case_document(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    if kind not in documents.KINDS:
        raise NotFound(code="labor_document_not_found")
    _case, content = selectors.case_document(scope=request_scope(request), reference=reference, kind=kind)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{reference}-{kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


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


@router.post(
    "/cases/{reference}/recusal",
    response={200: CaseDetailOut, **_ERRORS},
    summary="Withdraw the case's arbitrator (回避) and assign the roster's next choice",
)
def case_recuse(request: HttpRequest, reference: str, payload: RecusalIn) -> dict[str, object]:
    scope = _arbitrator(request)
    cases.case_recuse(
        scope=scope, reference=reference, source=payload.source, reason=payload.reason, member=payload.member
    )
    return _detail(scope, reference)


# --- mediation before arbitration -------------------------------------------------------------------


@router.get(
    "/mediation-organisations",
    auth=None,
    response={200: list[OrganisationOut], 422: ErrorOut},
    summary="The mediation organisations taking applications",
)
def mediation_organisations(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[object]:
    return list(selectors.organisations(limit=limit, offset=offset))


def _mediation(scope: Scope, reference: str) -> dict[str, object]:
    mediation_row, sessions = selectors.mediation_get(scope=scope, reference=reference)
    return {"mediation": mediation_row, "sessions": sessions}


@router.post(
    "/mediations",
    response={200: MediationDetailOut, **_ERRORS},
    summary="Apply for mediation before arbitration (idempotent on the key)",
)
def mediation_apply(request: HttpRequest, payload: MediationIn) -> dict[str, object]:
    scope = request_scope(request)
    row = mediation.mediation_apply(
        scope=scope,
        organisation_id=payload.organisation,
        respondent=payload.respondent,
        claims=payload.claims,
        amount=payload.amount,
        idempotency_key=payload.idempotency_key,
    )
    return _mediation(scope, row.reference)


@router.get("/mediations/mine", response={200: list[MediationOut], **_ERRORS}, summary="My mediations")
def mediations_mine(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[object]:
    scope = request_scope(request)
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    return list(selectors.mediations_mine(scope=scope, limit=limit, offset=offset))


@router.get(
    "/mediations", response={200: list[MediationOut], **_ERRORS}, summary="The mediation queue, the earliest end first"
)
def mediation_queue(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[object]:
    scope = _arbitrator(request)
    return list(selectors.mediation_queue(scope=scope, limit=limit, offset=offset))


@router.get(
    "/mediations/{reference}", response={200: MediationDetailOut, **_ERRORS}, summary="One mediation and its sessions"
)
def mediation_detail(request: HttpRequest, reference: str) -> dict[str, object]:
    return _mediation(request_scope(request), reference)


@router.post(
    "/mediations/{reference}/sessions", response={200: MediationDetailOut, **_ERRORS}, summary="Record a session"
)
def mediation_session(request: HttpRequest, reference: str, payload: SessionIn) -> dict[str, object]:
    scope = _arbitrator(request)
    mediation.session_record(
        scope=scope, reference=reference, held_at=payload.held_at, mode=payload.mode, note=payload.note
    )
    return _mediation(scope, reference)


@router.post(
    "/mediations/{reference}/agreement",
    response={200: MediationDetailOut, **_ERRORS},
    summary="Record the mediation agreement",
)
def mediation_agreement(request: HttpRequest, reference: str, payload: AgreementIn) -> dict[str, object]:
    scope = _arbitrator(request)
    mediation.agreement_record(scope=scope, reference=reference, text=payload.text, amount=payload.amount)
    return _mediation(scope, reference)


@router.post(
    "/mediations/{reference}/failure",
    response={200: MediationDetailOut, **_ERRORS},
    summary="Record that no agreement was reached",
)
def mediation_failure(request: HttpRequest, reference: str, payload: FailureIn) -> dict[str, object]:
    scope = _arbitrator(request)
    mediation.failure_record(scope=scope, reference=reference, reason=payload.reason)
    return _mediation(scope, reference)


# --- rights protection: complaints and the employer's linked view -----------------------------------


@router.post(
    "/complaints",
    response={200: ComplaintOut, **_ERRORS},
    summary="File a complaint or report about an employer (idempotent on the key); it joins the employer's lead",
)
def complaint_file(request: HttpRequest, payload: ComplaintIn) -> object:
    return complaints.complaint_file(
        scope=request_scope(request),
        credit_code=payload.credit_code,
        kind=payload.kind,
        content=payload.content,
        channel=payload.channel,
        idempotency_key=payload.idempotency_key,
    )


@router.get(
    "/employers/{credit_code}/linked",
    response={200: EmployerLinkedOut, **_ERRORS},
    summary="One employer's complaints, open arbitration cases, open mediations and inspection lead",
)
def employer_linked(request: HttpRequest, credit_code: str) -> dict[str, object]:
    linked = selectors.employer_linked(scope=request_scope(request), credit_code=credit_code)
    employer = linked["employer"]
    return {
        **linked,
        "credit_code": employer.credit_code,  # type: ignore[attr-defined]
        "name": employer.name,  # type: ignore[attr-defined]
    }


# --- smart inspection: the wage-arrears warning (L3) -------------------------------------------


def _ranking(risks: list[warning.EmployerRisk], period: object) -> dict[str, object]:
    return {
        "period": f"{period:%Y-%m}",
        "open_lead_at": warning.model().open_lead_at,
        "employers": [
            {
                "credit_code": r.credit_code,
                "name": r.name,
                "district_id": r.district_id,
                "score": r.score,
                "reasons": r.reasons,
            }
            for r in risks
        ],
    }


@router.get(
    "/warnings",
    response={200: WarningRankingOut, **_ERRORS},
    summary="Employers of the caller's districts ranked by wage-arrears risk, each score explained",
)
def warnings(
    request: HttpRequest,
    period: str = Query("", description="YYYY-MM; empty: the ledger's latest month"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, object]:
    scope = request_scope(request)
    month = warning.parse_period(period)
    return _ranking(warning.ranking(scope=scope, period=month, limit=limit), month)


@router.post(
    "/warnings/leads",
    response={200: WarningRankingOut, **_ERRORS},
    summary="Open (or join) the inspection lead of every employer at or above the warning's threshold",
)
def warning_leads(request: HttpRequest, payload: WarningLeadsIn) -> dict[str, object]:
    from django.utils import timezone

    month = warning.parse_period(payload.period)
    return _ranking(warning.open_leads(scope=request_scope(request), period=month, on=timezone.localdate()), month)


# --- smart inspection: random inspection plans (双随机一公开, L3) ------------------------------


def _plan(scope: Scope, reference: str, *, replay: bool = False) -> dict[str, object]:
    plan, items = plans.plan_get(scope=scope, reference=reference)
    return {
        **{f: getattr(plan, f) for f in ("reference", "district_id", "seed", "sample_size", "inspectors_per_employer")},
        **{f: getattr(plan, f) for f in ("pool_employers", "pool_inspectors", "pool_digest", "drawn_on")},
        "items": [
            {
                "position": item.position,
                "credit_code": item.employer.credit_code,
                "employer_name": item.employer.name,
                "inspectors": item.inspectors,
                "status": item.status,
                "findings": item.findings,
                "violation": item.violation,
                "inspected_on": item.inspected_on,
            }
            for item in items
        ],
        "replay_same": plans.plan_replay(scope=scope, reference=reference)["same"] if replay else None,
    }


@router.post(
    "/inspection-plans",
    response={200: InspectionPlanOut, **_ERRORS},
    summary="Draw a random inspection plan (employers and inspectors) from a recorded seed",
)
def plan_draw(request: HttpRequest, payload: InspectionPlanIn) -> dict[str, object]:
    scope = request_scope(request)
    plan = plans.plan_draw(
        scope=scope,
        district=payload.district,
        sample_size=payload.sample_size,
        inspectors_per_employer=payload.inspectors_per_employer,
        seed=payload.seed,
    )
    return _plan(scope, plan.reference)


@router.get(
    "/inspection-plans",
    response={200: list[InspectionPlanRowOut], **_ERRORS},
    summary="Random inspection plans of my districts, newest first, with their items counted by status",
)
def plan_list(
    request: HttpRequest,
    district: str = Query("", pattern=r"^(\d{6})?$", description="one of my districts (GB/T 2260); empty: all"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[object]:
    return list(plan_selectors.plans_list(scope=request_scope(request), district=district, limit=limit, offset=offset))


@router.get(
    "/inspection-plans/{reference}",
    response={200: InspectionPlanOut, **_ERRORS},
    summary="A random inspection plan, its items, and whether its seed draws it again",
)
def plan_detail(request: HttpRequest, reference: str) -> dict[str, object]:
    return _plan(request_scope(request), reference, replay=True)


@router.post(
    "/inspection-plans/{reference}/items/{position}/dispatch",
    response={200: InspectionPlanOut, **_ERRORS},
    summary="Dispatch the drawn inspectors to one employer of the plan (opens or joins its lead)",
)
def plan_dispatch(request: HttpRequest, reference: str, position: int) -> dict[str, object]:
    scope = request_scope(request)
    plans.item_dispatch(scope=scope, reference=reference, position=position)
    return _plan(scope, reference)


@router.post(
    "/inspection-plans/{reference}/items/{position}/findings",
    response={200: InspectionPlanOut, **_ERRORS},
    summary="Record the inspectors' findings for one employer of the plan",
)
def plan_findings(request: HttpRequest, reference: str, position: int, payload: PlanFindingsIn) -> dict[str, object]:
    scope = request_scope(request)
    plans.item_findings(
        scope=scope, reference=reference, position=position, findings=payload.findings, violation=payload.violation
    )
    return _plan(scope, reference)
