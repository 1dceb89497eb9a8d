"""Medical insurance API (S4, first slice).

Public: the catalogue and the designated institutions. Citizens: my insurance and my visits
(就医一卡通). Designated institutions (agency clients with ``medical:settle`` bound to an
institution): pre-settlement, settlement, reversal (冲正), refund (退费) and reading back a
settlement, idempotent by the institution's transaction id; with ``medical:records``, a
person's visits and costs with the consent code the person made in the exchange (S4). Fund
supervisors, reviewers and administrators: the smart monitoring (S6) — runs, the cases of their
districts, a case's evidence, its decision and the recovery of a confirmed overpayment."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.identity.auth import API_AUTH, request_scope
from hrss.medical import consented, reconcile, selectors, services
from hrss.medical.schemas import (
    ErrorOut,
    MedicalAccountCreditOut,
    MedicalCatalogueItemOut,
    MedicalClaimOut,
    MedicalClearingStatementOut,
    MedicalConsentedReadIn,
    MedicalFinanceOut,
    MedicalInstitutionOut,
    MedicalInsuranceOut,
    MedicalMonitoringDecisionIn,
    MedicalMonitoringFlagDetailOut,
    MedicalMonitoringFlagOut,
    MedicalMonitoringRecoveryIn,
    MedicalMonitoringRunOut,
    MedicalReconciliationIn,
    MedicalReconciliationOut,
    MedicalReconciliationSummaryOut,
    MedicalRefundIn,
    MedicalReverseIn,
    MedicalSettleIn,
    MedicalSignedOut,
    MedicalVisitIn,
)

router = Router(tags=["medical"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def _visit(payload: MedicalVisitIn) -> services.Visit:
    return services.Visit(
        pooling=payload.pooling,
        visit_date=payload.visit_date,
        doctor=payload.doctor.strip(),
        disease=payload.disease.strip(),
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


@router.get(
    "/me/account-credits",
    response={200: list[MedicalAccountCreditOut], **_ERRORS},
    summary="Credits to my personal account, month by month",
)
def account_credits_mine(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.account_credits_mine(scope=request_scope(request), limit=limit, offset=offset)


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


@router.post(
    "/institution/consented-visits",
    response={200: MedicalSignedOut, **_ERRORS, 429: ErrorOut},
    summary="A person's visits, bills and costs with the person's consent code (grant medical:records); "
    "signed, recorded for the person and audited",
)
def consented_visits(request: HttpRequest, payload: MedicalConsentedReadIn) -> Any:
    return consented.visits_read(
        scope=request_scope(request),
        id_number=payload.id_number,
        consent_code=payload.consent_code,
        purpose=payload.purpose,
        since=payload.since,
        until=payload.until,
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


# --- reconciliation (S4): the institution's daily settlement file and its list ---------------------


@router.get(
    "/settlement-files/{date}",
    response={**_ERRORS},
    summary="Our settlement file of a day for the calling institution (CSV, header and totals line); "
    "its SHA-256 in the X-Content-SHA256 header",
    openapi_extra={
        "responses": {
            "200": {
                "description": "transaction_id,kind,original_transaction_id,visit_date,settled_at,total,fund,"
                "account,cash; the last line TOTAL,<lines>,,,,<sums>",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def settlement_file(request: HttpRequest, date: dt.date) -> Any:
    data, digest = selectors.settlement_file(scope=request_scope(request), day=date)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="settlements-{date.isoformat()}.csv"'
    response["X-Content-SHA256"] = digest
    return response


@router.post(
    "/settlement-files",
    response={200: MedicalReconciliationOut, **_ERRORS},
    summary="Reconcile a day: send our list of the day's transactions, get the differences "
    "(a retry answers the same record)",
)
def reconciliation_submit(request: HttpRequest, payload: MedicalReconciliationIn) -> Any:
    return services.reconciliation_submit(
        scope=request_scope(request),
        day=payload.date,
        lines=[
            reconcile.Line(
                transaction_id=line.transaction_id.strip(),
                kind=line.kind,
                original_transaction_id=line.original_transaction_id.strip(),
                amounts={"total": line.total, "fund": line.fund, "account": line.account, "cash": line.cash},
            )
            for line in payload.lines
        ],
    )


@router.get(
    "/settlement-files/{date}/reconciliation",
    response={200: MedicalReconciliationOut, **_ERRORS},
    summary="The calling institution's reconciliation of a day, with its differences",
)
def reconciliation_mine(request: HttpRequest, date: dt.date) -> Any:
    return selectors.reconciliation_for_institution(scope=request_scope(request), day=date)


@router.get(
    "/reconciliations",
    response={200: list[MedicalReconciliationSummaryOut], **_ERRORS},
    summary="The institutions' reconciled days in my districts (fund supervisors, reviewers)",
)
def reconciliations(
    request: HttpRequest,
    with_differences: bool = Query(False),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.reconciliations(
        scope=request_scope(request), with_differences=with_differences, limit=limit, offset=offset
    )


@router.get(
    "/reconciliations/{reconciliation_id}",
    response={200: MedicalReconciliationOut, **_ERRORS},
    summary="A reconciliation with its differences",
)
def reconciliation(request: HttpRequest, reconciliation_id: uuid.UUID) -> Any:
    return selectors.reconciliation(scope=request_scope(request), reconciliation_id=reconciliation_id)


# --- business against finance (S7) -------------------------------------------------------------------


@router.get(
    "/finance",
    response={200: list[MedicalFinanceOut], **_ERRORS},
    summary="业财对账: per institution, the fund share owed for a month against the bank's payments",
)
def finance(
    request: HttpRequest,
    month: str = Query(..., pattern=MONTH, description="YYYY-MM"),
    differences_only: bool = Query(False),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    lines = selectors.finance(scope=request_scope(request), month=month, differences_only=differences_only)
    return lines[offset : offset + limit]


# --- cross-region clearing (S5) ---------------------------------------------------------------------


@router.get(
    "/clearing",
    response={200: list[MedicalClearingStatementOut], **_ERRORS},
    summary="The month's cross-region clearing statements, one per other region",
)
def clearing_statements(
    request: HttpRequest,
    month: str = Query(..., pattern=MONTH, description="YYYY-MM"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.clearing_statements(scope=request_scope(request), month=month)[offset : offset + limit]


@router.post(
    "/clearing/{month}/send",
    response={200: list[MedicalClearingStatementOut], **_ERRORS},
    summary="Send a month's clearing statements to the national clearing platform (a month that is over)",
)
def clearing_send(request: HttpRequest, month: str = Path(..., pattern=MONTH)) -> Any:
    sent = services.clearing_send(scope=request_scope(request), month=month)
    return [{**_statement(statement), "reference": reference} for statement, reference in sent]


def _statement(statement: Any) -> dict[str, Any]:
    names = ("statement_id", "receivable", "payable", "net")
    return {**statement.__dict__, **{name: getattr(statement, name) for name in names}}
