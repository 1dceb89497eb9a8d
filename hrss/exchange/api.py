"""The exchange API (S3, A6, S7).

Department systems (client credentials with a grant) ask with a declared purpose: yes/no
status of a person (``verify:benefit_eligibility``), certificate verification
(``verify:certificates``), and the employment and insurance history with the person's
consent code (``exchange:read``). Every answer is signed; the key set is public. Citizens
make and revoke consent codes and see who asked about them."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from hrss.exchange import selectors, services, signing
from hrss.exchange.schemas import (
    ConsentCreatedOut,
    ConsentIn,
    ErrorOut,
    ExchangeConsentOut,
    ExchangeHolderCertificateOut,
    InquiryOut,
    QuestionOut,
    SignedOut,
)
from hrss.identity.auth import API_AUTH, request_scope

router = Router(tags=["exchange"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
_PURPOSE = Query(..., min_length=2, max_length=200, description="Why the department asks (recorded)")


@router.get("/jwks", response=dict[str, Any], auth=None, summary="The bureau's public keys that sign every answer")
def jwks(request: HttpRequest) -> Any:
    return signing.jwks()


@router.get(
    "/questions", response=list[QuestionOut], auth=None, summary="The yes/no questions the status service answers"
)
def questions(request: HttpRequest) -> Any:
    return [{"question": q, "label": label} for q, label in services.questions_offered()]


@router.get(
    "/persons/{id_number}/status",
    response={200: SignedOut, **_ERRORS},
    summary="Yes/no: is the person alive, insured, drawing a pension … (grant verify:benefit_eligibility)",
)
def status(
    request: HttpRequest,
    id_number: str,
    purpose: str = _PURPOSE,
    questions: str = Query(..., min_length=1, max_length=200, description="Comma-separated, e.g. alive,insured"),
) -> Any:
    return services.status(
        scope=request_scope(request), id_number=id_number, questions=questions.split(","), purpose=purpose
    )


@router.get(
    "/certificates/{kind}/{number}",
    response={200: SignedOut, **_ERRORS},
    summary="Is this certificate genuine, valid and this person's? (grant verify:certificates)",
)
def certificate(
    request: HttpRequest,
    kind: str,
    number: str,
    purpose: str = _PURPOSE,
    id_number: str = Query(..., min_length=15, max_length=18, description="The holder's ID number"),
) -> Any:
    return services.certificate(
        scope=request_scope(request), kind=kind, number=number, id_number=id_number, purpose=purpose
    )


@router.get(
    "/persons/{id_number}/history",
    response={200: SignedOut, **_ERRORS},
    summary="Employment and insurance history, with the person's consent code (grant exchange:read)",
)
def history(
    request: HttpRequest,
    id_number: str,
    purpose: str = _PURPOSE,
    consent_code: str = Query(..., min_length=1, max_length=20),
) -> Any:
    return services.history(
        scope=request_scope(request), id_number=id_number, consent_code=consent_code, purpose=purpose
    )


@router.get("/consents", response={200: list[ExchangeConsentOut], **_ERRORS}, summary="My consent codes")
def consents(request: HttpRequest) -> Any:
    return selectors.consents_mine(scope=request_scope(request))


@router.post("/consents", response={201: ConsentCreatedOut, **_ERRORS}, summary="Give a department a consent code")
def consent_create(request: HttpRequest, payload: ConsentIn) -> Any:
    row, code = services.consent_create(
        scope=request_scope(request),
        recipient=payload.recipient,
        purpose=payload.purpose,
        days=payload.days,
        use=payload.use,
    )
    return Status(201, {**ExchangeConsentOut.from_orm(row).dict(), "code": code})


@router.post(
    "/consents/{consent_id}/revoke",
    response={200: ExchangeConsentOut, **_ERRORS},
    summary="Revoke one of my consent codes",
)
def consent_revoke(request: HttpRequest, consent_id: uuid.UUID) -> Any:
    return services.consent_revoke(scope=request_scope(request), consent_id=consent_id)


@router.get(
    "/inquiries",
    response={200: list[InquiryOut], **_ERRORS},
    summary="Who asked about me, why, and what they were told",
)
def inquiries(request: HttpRequest) -> Any:
    return selectors.inquiries_mine(scope=request_scope(request))


@router.get(
    "/certificates/mine",
    response={200: list[ExchangeHolderCertificateOut], **_ERRORS},
    summary="My certificates and published exam scores, as departments verify them (R1)",
)
def certificates_mine(request: HttpRequest) -> Any:
    return selectors.certificates_mine(scope=request_scope(request))
