"""The rights-protection register's API (L2, issue #20), mounted under the labour router:
petitions and fraud cases, the register's queue and items, the per-person view, transfers
between units with receipts, duplicates and merging. For inspectors, arbitrators and
administrators of the items' districts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from hrss.core.errors import InvalidInput
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.identity.auth import API_AUTH, request_scope
from hrss.labor import register
from hrss.labor.models import Transfer
from hrss.labor.register_schemas import (
    FraudCaseIn,
    FraudStatusIn,
    MergeIn,
    PersonRegisterOut,
    PetitionAnswerIn,
    PetitionDecisionIn,
    PetitionIn,
    RecoveryLinkIn,
    RegisterDuplicateOut,
    RegisterEntryOut,
    RegisterItemOut,
    RegisterReasonIn,
    RegisterTransferOut,
    TransferIn,
)
from hrss.labor.schemas import ErrorOut
from hrss.labor.services import register as services
from hrss.labor.services import transfers

router = Router(tags=["labor register"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ITEM_KINDS = ("petition", "complaint", "fraud")


def transfer_out(transfer: Transfer, overdue: bool) -> dict[str, Any]:
    return {
        **{f: getattr(transfer, f) for f in ("id", "item_kind", "item_reference", "reason", "sent_by", "sent_on")},
        **{f: getattr(transfer, f) for f in ("receipt_due", "received_by", "received_at")},
        "from_unit": transfer.from_unit.name if transfer.from_unit else "",
        "to_unit": transfer.to_unit.name,
        "overdue": overdue,
    }


def item_out(request: HttpRequest, kind: str, reference: str) -> dict[str, Any]:
    detail = register.item_detail(scope=request_scope(request), kind=kind, reference=reference)
    return {**detail, "transfers": [transfer_out(t, late) for t, late in detail["transfers"]]}


@router.post("/petitions", response={200: RegisterItemOut, **_ERRORS}, summary="Record a petition (信访) (idempotent)")
def petition_record(request: HttpRequest, payload: PetitionIn) -> dict[str, Any]:
    row = services.petition_record(scope=request_scope(request), **payload.dict())
    return item_out(request, "petition", row.reference)


@router.post(
    "/petitions/{reference}/decision",
    response={200: RegisterItemOut, **_ERRORS},
    summary="Accept a petition (the answer period starts) or say why it is not accepted",
)
def petition_decide(request: HttpRequest, reference: str, payload: PetitionDecisionIn) -> dict[str, Any]:
    services.petition_decide(
        scope=request_scope(request), reference=reference, accept=payload.accept, reason=payload.reason
    )
    return item_out(request, "petition", reference)


@router.post(
    "/petitions/{reference}/extension",
    response={200: RegisterItemOut, **_ERRORS},
    summary="Extend a petition's answer period once",
)
def petition_extend(request: HttpRequest, reference: str, payload: RegisterReasonIn) -> dict[str, Any]:
    services.petition_extend(scope=request_scope(request), reference=reference, reason=payload.reason)
    return item_out(request, "petition", reference)


@router.post(
    "/petitions/{reference}/answer", response={200: RegisterItemOut, **_ERRORS}, summary="Answer an accepted petition"
)
def petition_answer(request: HttpRequest, reference: str, payload: PetitionAnswerIn) -> dict[str, Any]:
    services.petition_answer(scope=request_scope(request), reference=reference, answer=payload.answer)
    return item_out(request, "petition", reference)


@router.post("/petitions/{reference}/close", response={200: RegisterItemOut, **_ERRORS}, summary="Close a petition")
def petition_close(request: HttpRequest, reference: str) -> dict[str, Any]:
    services.petition_close(scope=request_scope(request), reference=reference)
    return item_out(request, "petition", reference)


@router.post(
    "/fraud-cases",
    response={200: RegisterItemOut, **_ERRORS},
    summary="Open a social insurance fraud case (idempotent)",
)
def fraud_open(request: HttpRequest, payload: FraudCaseIn) -> dict[str, Any]:
    case = services.fraud_open(scope=request_scope(request), **payload.dict())
    return item_out(request, "fraud", case.reference)


@router.post(
    "/fraud-cases/{reference}/status",
    response={200: RegisterItemOut, **_ERRORS},
    summary="Confirm, dismiss or close a fraud case",
)
def fraud_status(request: HttpRequest, reference: str, payload: FraudStatusIn) -> dict[str, Any]:
    services.fraud_status(scope=request_scope(request), reference=reference, status=payload.status, note=payload.note)
    return item_out(request, "fraud", reference)


@router.post(
    "/fraud-cases/{reference}/recovery",
    response={200: RegisterItemOut, **_ERRORS},
    summary="Link a fraud case to the social insurance recovery case of its overpayment",
)
def fraud_recovery(request: HttpRequest, reference: str, payload: RecoveryLinkIn) -> dict[str, Any]:
    services.fraud_link_recovery(scope=request_scope(request), reference=reference, recovery_case=payload.recovery_case)
    return item_out(request, "fraud", reference)


@router.get(
    "/register",
    response={200: list[RegisterEntryOut], **_ERRORS},
    summary="The register's items still being handled in my districts, nearest deadline first "
    "(a fund supervisor's: the fraud cases)",
)
def register_queue(
    request: HttpRequest,
    kind: str = Query("", description="petition, complaint or fraud; empty: all"),
    overdue: bool = Query(False, description="only items past their deadline"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[register.RegisterEntry]:
    if kind and kind not in ITEM_KINDS:
        raise InvalidInput(fields={"kind": kind[:20]})
    return register.queue(scope=request_scope(request), kind=kind, overdue=overdue, limit=limit, offset=offset)


@router.get(
    "/register/duplicates",
    response={200: list[RegisterDuplicateOut], **_ERRORS},
    summary="Candidate duplicates of one kind: same person, same employer, within the dated window",
)
def register_duplicates(
    request: HttpRequest, kind: str = Query("petition", description="petition, complaint or fraud")
) -> list[register.Duplicate]:
    if kind not in ITEM_KINDS:
        raise InvalidInput(fields={"kind": kind[:20]})
    return register.duplicate_candidates(scope=request_scope(request), kind=kind)


@router.get(
    "/register/{kind}/{reference}",
    response={200: RegisterItemOut, **_ERRORS},
    summary="One register item with its history and transfers",
)
def register_item(request: HttpRequest, kind: str, reference: str) -> dict[str, Any]:
    return item_out(request, kind, reference)


@router.post(
    "/register/{kind}/{reference}/transfers",
    response={200: RegisterItemOut, **_ERRORS},
    summary="Transfer a register item to another unit (转办/交办) (idempotent)",
)
def register_transfer(request: HttpRequest, kind: str, reference: str, payload: TransferIn) -> dict[str, Any]:
    transfers.transfer_send(
        scope=request_scope(request),
        kind=kind,
        reference=reference,
        to_unit=payload.to_unit,
        reason=payload.reason,
        idempotency_key=payload.idempotency_key,
    )
    return item_out(request, kind, reference)


@router.post(
    "/register/{kind}/{reference}/merge",
    response={200: RegisterItemOut, **_ERRORS},
    summary="Merge a duplicate into the surviving item of the same kind",
)
def register_merge(request: HttpRequest, kind: str, reference: str, payload: MergeIn) -> dict[str, Any]:
    transfers.merge(scope=request_scope(request), kind=kind, reference=reference, into=payload.into)
    return item_out(request, kind, payload.into)


@router.get(
    "/transfers",
    response={200: list[RegisterTransferOut], **_ERRORS},
    summary="Transfers awaiting receipt by units of my districts, the oldest first",
)
def transfers_pending(
    request: HttpRequest,
    overdue: bool = Query(False, description="only those past their receipt deadline"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[dict[str, Any]]:
    pending = register.transfers_pending(scope=request_scope(request), overdue=overdue, limit=limit, offset=offset)
    return [transfer_out(t, late) for t, late in pending]


@router.post(
    "/transfers/{transfer_id}/receipt",
    response={200: RegisterTransferOut, **_ERRORS},
    summary="Acknowledge receipt of a transfer (签收)",
)
def transfer_receive(request: HttpRequest, transfer_id: int = Path(..., ge=1, le=2**62)) -> dict[str, Any]:
    transfer = transfers.transfer_receive(scope=request_scope(request), transfer_id=transfer_id)
    return transfer_out(transfer, False)


@router.get(
    "/persons/{person_id}/register",
    response={200: PersonRegisterOut, **_ERRORS},
    summary="One person's petitions, complaints, arbitration cases and fraud cases",
)
def person_register(request: HttpRequest, person_id: str) -> dict[str, Any]:
    view = register.person_view(scope=request_scope(request), person_id=person_id)
    return {"person_id": view["person"].pk, "name": view["person"].name, "entries": view["entries"]}
