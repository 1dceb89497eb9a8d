"""Medical insurance API (S4, first slice).

Public: the catalogue and the designated institutions. Citizens: my insurance and my visits
(就医一卡通). Designated institutions (agency clients with ``medical:settle`` bound to an
institution): pre-settlement, settlement, reversal (冲正), refund (退费) and reading back a
settlement, idempotent by the institution's transaction id. Fund supervisors, reviewers and
administrators: the smart monitoring (S6) — runs, the cases of their districts, a case's
evidence, its decision and the recovery of a confirmed overpayment."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router

from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.identity.auth import API_AUTH, request_scope
from hrss.medical import selectors, services
from hrss.medical.schemas import (
    ErrorOut,
    MedicalCatalogueItemOut,
    MedicalClaimOut,
    MedicalInstitutionOut,
    MedicalInsuranceOut,
    MedicalMonitoringDecisionIn,
    MedicalMonitoringFlagDetailOut,
    MedicalMonitoringFlagOut,
    MedicalMonitoringRecoveryIn,
    MedicalMonitoringRunOut,
    MedicalRefundIn,
    MedicalReverseIn,
    MedicalSettleIn,
    MedicalVisitIn,
)

router = Router(tags=["medical"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _visit(payload: MedicalVisitIn) -> services.Visit:
    return services.Visit(
        pooling=payload.pooling,
        visit_date=payload.visit_date,
        use_account=payload.use_account,
        lines=[
            services.LineIn(code=line.code.strip(), quantity=line.quantity, unit_price=line.unit_price, name=line.name)
            for line in payload.lines
        ],
    )


# --- public reference data ---------------------------------------------------------------------


@router.get(
    "/catalogue",
    response={200: list[MedicalCatalogueItemOut], 422: ErrorOut},
    auth=None,
    summary="The medical insurance catalogue in force (drugs, treatment items, consumables)",
)
def catalogue(
    request: HttpRequest,
    q: str = Query("", max_length=60),
    klass: Literal["", "A", "B", "C"] = Query(""),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.catalogue(q=q.strip(), klass=klass, limit=limit, offset=offset)


@router.get(
    "/institutions",
    response={200: list[MedicalInstitutionOut], 422: ErrorOut},
    auth=None,
    summary="Designated medical institutions and pharmacies",
)
def institutions(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.institutions(limit=limit, offset=offset)


# --- citizens ----------------------------------------------------------------------------------


@router.get(
    "/me/insurance",
    response={200: MedicalInsuranceOut | None, **_ERRORS},
    summary="My medical insurance and this year's running totals",
)
def insurance_mine(request: HttpRequest) -> Any:
    return selectors.insurance_mine(scope=request_scope(request))


@router.get("/me/claims", response={200: list[MedicalClaimOut], **_ERRORS}, summary="My medical visits and their costs")
def claims_mine(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.claims_mine(scope=request_scope(request), limit=limit, offset=offset)


# --- designated institutions -------------------------------------------------------------------


@router.post(
    "/institution/presettle",
    response={200: MedicalClaimOut, **_ERRORS},
    summary="Pre-settle a bill (预结算): the split, written nowhere",
)
def presettle(request: HttpRequest, payload: MedicalVisitIn) -> Any:
    return services.claim_presettle(
        scope=request_scope(request),
        card_number=payload.card_number,
        card_pin=payload.card_pin,
        ecard_code=payload.ecard_code,
        visit=_visit(payload),
    )


@router.post(
    "/institution/settlements",
    response={200: MedicalClaimOut, **_ERRORS},
    summary="Settle a bill (结算); a retry with the same transaction id answers the first result",
)
def settle(request: HttpRequest, payload: MedicalSettleIn) -> Any:
    return services.claim_settle(
        scope=request_scope(request),
        transaction_id=payload.transaction_id,
        card_number=payload.card_number,
        card_pin=payload.card_pin,
        ecard_code=payload.ecard_code,
        visit=_visit(payload),
    )


@router.get(
    "/institution/settlements/{transaction_id}",
    response={200: MedicalClaimOut, **_ERRORS},
    summary="One of our settlements, reversals or refunds",
)
def settlement(request: HttpRequest, transaction_id: str) -> Any:
    return selectors.claim_for_institution(scope=request_scope(request), transaction_id=transaction_id)


@router.post(
    "/institution/settlements/{transaction_id}/reversal",
    response={200: MedicalClaimOut, **_ERRORS},
    summary="Reverse a settlement whole (冲正)",
)
def reverse(request: HttpRequest, transaction_id: str, payload: MedicalReverseIn) -> Any:
    return services.claim_reverse(
        scope=request_scope(request), transaction_id=payload.transaction_id, original_transaction_id=transaction_id
    )


@router.post(
    "/institution/settlements/{transaction_id}/refund",
    response={200: MedicalClaimOut, **_ERRORS},
    summary="Refund lines of a settlement (退费); the rest is settled again",
)
def refund(request: HttpRequest, transaction_id: str, payload: MedicalRefundIn) -> Any:
    return services.claim_refund(
        scope=request_scope(request),
        transaction_id=payload.transaction_id,
        original_transaction_id=transaction_id,
        line_numbers=payload.line_numbers,
    )


# --- the smart monitoring (S6) ------------------------------------------------------------------


@router.post(
    "/monitoring/runs",
    response={200: MedicalMonitoringRunOut, **_ERRORS},
    summary="Run the smart monitoring now (every rule and the isolation forest); new findings become cases",
)
def monitoring_run(request: HttpRequest) -> Any:
    return services.monitoring_run(scope=request_scope(request))


@router.get(
    "/monitoring/runs", response={200: list[MedicalMonitoringRunOut], **_ERRORS}, summary="The latest monitoring runs"
)
def monitoring_runs(
    request: HttpRequest,
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.monitoring_runs(scope=request_scope(request), limit=limit, offset=offset)


@router.get(
    "/monitoring/flags",
    response={200: list[MedicalMonitoringFlagOut], **_ERRORS},
    summary="The monitoring's cases of institutions in my districts",
)
def monitoring_flags(
    request: HttpRequest,
    status: Literal["", "open", "dismissed", "confirmed", "recovered", "waived"] = Query(""),
    rule: str = Query("", max_length=40),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.monitoring_flags(
        scope=request_scope(request), status=status, rule=rule.strip(), limit=limit, offset=offset
    )


@router.get(
    "/monitoring/flags/{flag_id}",
    response={200: MedicalMonitoringFlagDetailOut, **_ERRORS},
    summary="A monitoring case with its evidence (the claims, figures, explanation); audited",
)
def monitoring_flag(request: HttpRequest, flag_id: uuid.UUID) -> Any:
    return selectors.monitoring_flag(scope=request_scope(request), flag_id=flag_id)


@router.post(
    "/monitoring/flags/{flag_id}/decision",
    response={200: MedicalMonitoringFlagOut, **_ERRORS},
    summary="Decide a case: dismiss with a reason, or confirm with the overpaid amount (opens a recovery case)",
)
def monitoring_decide(request: HttpRequest, flag_id: uuid.UUID, payload: MedicalMonitoringDecisionIn) -> Any:
    return services.flag_decide(
        scope=request_scope(request),
        flag_id=flag_id,
        confirm=payload.decision == "confirm",
        reason=payload.reason,
        overpaid=payload.overpaid,
    )


@router.post(
    "/monitoring/flags/{flag_id}/recovery",
    response={200: MedicalMonitoringFlagOut, **_ERRORS},
    summary="Record the recovery of a confirmed case's overpayment (or its waiver); closes its recovery case",
)
def monitoring_recovery(request: HttpRequest, flag_id: uuid.UUID, payload: MedicalMonitoringRecoveryIn) -> Any:
    return services.flag_recovery_record(
        scope=request_scope(request), flag_id=flag_id, recovered=payload.recovered, note=payload.note
    )
