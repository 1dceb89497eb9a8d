"""Card API (A5): the holder's card and electronic card, outlet operations, and the card
service platform for institutions (verify a code or a card, record a use)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from hrss.card import rules, selectors, services
from hrss.card.auth import CARD_API_AUTH
from hrss.card.models import Card, CardUse
from hrss.card.schemas import (
    ActivateIn,
    ApplyIn,
    CancelIn,
    CardDetailOut,
    CardOut,
    CatalogueItemOut,
    CodeOut,
    CoverageOut,
    ErrorOut,
    HolderCardsOut,
    IssueIn,
    LossReportIn,
    OfficeApplyIn,
    OfficeLossReportIn,
    PaymentIn,
    PaymentOut,
    PreferenceOut,
    ReconciliationOut,
    UseIn,
    UseOut,
    VerifyCardIn,
    VerifyCardOut,
    VerifyCodeIn,
    VerifyCodeOut,
)
from hrss.core.errors import Conflict, NotFound, PermissionDenied
from hrss.core.openapi import multipart_example
from hrss.core.paging import MAX_OFFSET
from hrss.core.scope import Scope
from hrss.identity.auth import request_scope
from hrss.registry import selectors as registry

router = Router(tags=["card"], auth=CARD_API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _holder_card(scope: Scope) -> Card:
    card = selectors.holder_current_card(scope=scope)
    if card is None:
        raise NotFound(_("You have no social security card yet."), code="card_none")
    return card


# --- the holder ------------------------------------------------------------------------------------


@router.get("/me", response={200: HolderCardsOut, **_ERRORS}, summary="My card, its state and my earlier cards")
def holder_cards(request: HttpRequest) -> HolderCardsOut:
    scope = request_scope(request)
    cards = selectors.holder_cards(scope=scope)
    current = selectors.holder_current_card(scope=scope)
    return HolderCardsOut.from_orm({"current": current, "cards": cards})


@router.post(
    "/me/applications", response={201: CardOut, **_ERRORS}, summary="Apply for my card (first, replacement, renewal)"
)
def holder_apply(request: HttpRequest, payload: ApplyIn) -> Status:
    scope = request_scope(request)
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    person = registry.person_queryset(scope=scope).get(pk=scope.person_id)
    card = services.card_apply(
        person=person, channel=payload.channel, scope=scope, kind=payload.kind, reason=payload.reason
    )
    return Status(201, CardOut.from_orm(card))


@router.post(
    "/me/activate", response={200: CardOut, **_ERRORS}, summary="Activate my issued card: bank account and PIN"
)
def holder_activate(request: HttpRequest, payload: ActivateIn) -> CardOut:
    scope = request_scope(request)
    card = services.card_activate(
        scope=scope,
        card_id=_holder_card(scope).pk,
        bank_code=payload.bank_code,
        bank_account=payload.bank_account,
        pin=payload.pin,
    )
    return CardOut.from_orm(card)


@router.post(
    "/me/loss-report", response={200: CardOut, **_ERRORS}, summary="Report my card lost (temporary, lapses by itself)"
)
def holder_loss_report(request: HttpRequest, payload: LossReportIn) -> CardOut:
    scope = request_scope(request)
    card = services.card_report_temporary_loss(scope=scope, card_id=_holder_card(scope).pk, channel=payload.channel)
    return CardOut.from_orm(card)


@router.post("/me/unfreeze", response={200: CardOut, **_ERRORS}, summary="Lift my own temporary loss report")
def holder_unfreeze(request: HttpRequest) -> CardOut:
    scope = request_scope(request)
    return CardOut.from_orm(services.card_unfreeze(scope=scope, card_id=_holder_card(scope).pk))


@router.post("/me/ecard", response={200: CardOut, **_ERRORS}, summary="Get (or re-issue) my electronic card")
def holder_ecard_issue(request: HttpRequest) -> CardOut:
    scope = request_scope(request)
    return CardOut.from_orm(services.ecard_issue(scope=scope, card_id=_holder_card(scope).pk))


@router.delete("/me/ecard", response={200: CardOut, **_ERRORS}, summary="Switch my electronic card off")
def holder_ecard_revoke(request: HttpRequest) -> CardOut:
    scope = request_scope(request)
    return CardOut.from_orm(services.ecard_revoke(scope=scope, card_id=_holder_card(scope).pk))


@router.get("/me/ecard/code", response={200: CodeOut, **_ERRORS}, summary="A fresh dynamic code of my electronic card")
def holder_ecard_code(request: HttpRequest) -> CodeOut:
    scope = request_scope(request)
    code, claims = services.ecard_code_create(scope=scope, card=_holder_card(scope))
    return CodeOut(code=code, expires_at=claims.expires_datetime, ttl_seconds=services.CODE_TTL_SECONDS)


@router.get("/me/uses", response={200: list[UseOut], **_ERRORS}, summary="Where and how my card was used")
def holder_uses(
    request: HttpRequest, limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)
) -> list[CardUse]:
    return selectors.holder_trail(scope=request_scope(request), limit=limit, offset=offset)


# --- card service platform: institutions and outlets -------------------------------------------------


def _use_record(scope: Scope, card: Card, use: UseIn) -> UseOut:
    return UseOut.from_orm(
        services.card_use_record(
            scope=scope,
            card=card,
            kind=use.kind,
            channel=use.channel,
            district=use.district,
            application=use.application,
            amount=use.amount,
            reference=use.reference,
            institution_name=use.institution_name,
        )
    )


@router.post(
    "/verify-code",
    response={200: VerifyCodeOut, **_ERRORS},
    exclude_none=True,
    summary="Check an electronic card code (valid, expired, forged, card not active)",
    description=(
        "For hospitals, pharmacies and service counters (grant `card:verify`). The holder's name "
        "and ID number are returned only with the grants `card:holder_name` and "
        "`card:holder_id_number`. With `use` (and the grant `card:use:record`) the use is recorded too."
    ),
)
def verify_code(request: HttpRequest, payload: VerifyCodeIn) -> VerifyCodeOut:
    scope = request_scope(request)
    result = selectors.ecard_code_verify(scope=scope, code=payload.code, purpose=payload.purpose)
    recorded = None
    if payload.use is not None and result.result == selectors.VALID and result.card_id is not None:
        with transaction.atomic():
            card = Card.objects.get(pk=result.card_id)
            _use_record(scope, card, payload.use)
        recorded = True
    elif payload.use is not None:
        recorded = False
    return VerifyCodeOut(
        result=result.result,
        expires_at=result.expires_at,
        holder_name=result.holder_name,
        holder_id_number=result.holder_id_number,
        use_recorded=recorded,
    )


@router.post(
    "/verify-card",
    response={200: VerifyCardOut, **_ERRORS},
    exclude_none=True,
    summary="Check a physical card's status, and whether it belongs to the person presenting it",
)
def verify_card(request: HttpRequest, payload: VerifyCardIn) -> VerifyCardOut:
    check = selectors.card_status_check(
        scope=request_scope(request),
        number=payload.card_number,
        id_number=payload.id_number,
        name=payload.name,
        purpose=payload.purpose,
    )
    return VerifyCardOut(
        card_number=check.card_number,
        status=check.status,
        holder_matches=check.holder_matches,
        holder_name=check.holder_name,
        holder_id_number=check.holder_id_number,
    )


@router.post("/uses", response={201: UseOut, **_ERRORS}, summary="Record one use of a card (grant card:use:record)")
def use_record(request: HttpRequest, payload: UseIn) -> Status:
    scope = request_scope(request)
    if (payload.card_number is None) == (payload.code is None):
        raise Conflict(
            _("Identify the card by its number or by an electronic card code, not both."), code="card_identify"
        )
    if payload.code is not None:
        result = selectors.ecard_code_verify(scope=scope, code=payload.code)
        if result.result != selectors.VALID or result.card_id is None:
            raise Conflict(
                _("The electronic card code is not valid (%(result)s).") % {"result": result.result},
                code=f"code_{result.result}",
            )
        card_id = result.card_id
    else:
        card_id = selectors.card_for_use(scope=scope, number=payload.card_number or "").pk
    with transaction.atomic():
        card = Card.objects.get(pk=card_id)
        return Status(201, _use_record(scope, card, payload))


# --- outlets ---------------------------------------------------------------------------------------


def _outlet_scope_check(scope: Scope, number: str) -> None:
    """Outlet staff act only on cards of persons in their districts, as ``GET /cards/{number}``
    shows them; any other card is answered like an unknown one. (Holders and partner banks
    with the loss-report grant are checked by the services.)"""
    normalised = rules.card_number_normalise(number)
    if not rules.card_number_valid(normalised):
        return  # the service explains what is wrong with the number
    if scope.is_staff and not selectors.card_queryset(scope=scope).filter(number=normalised).exists():
        raise NotFound(_("No such card was found within your scope."))


@router.post("/applications", response={201: CardOut, **_ERRORS}, summary="Apply for a card for a person (outlet)")
def office_apply(request: HttpRequest, payload: OfficeApplyIn) -> Status:
    scope = request_scope(request)
    person = registry.person_get_by_id_number(scope=scope, id_number=payload.id_number, purpose="card application")
    card = services.card_apply(
        person=person, channel=payload.channel, scope=scope, kind=payload.kind, reason=payload.reason
    )
    return Status(201, CardOut.from_orm(card))


@router.get("/cards/{number}", response={200: CardDetailOut, **_ERRORS}, summary="A card with its history (outlet)")
def office_card(request: HttpRequest, number: str, purpose: str = "") -> CardDetailOut:
    card = selectors.card_get(scope=request_scope(request), number=number, purpose=purpose)
    return CardDetailOut.from_orm(card)


@router.post("/cards/{number}/issue", response={200: CardOut, **_ERRORS}, summary="Hand a made card to its holder")
def office_issue(request: HttpRequest, number: str, payload: IssueIn) -> CardOut:
    scope = request_scope(request)
    _outlet_scope_check(scope, number)
    return CardOut.from_orm(services.card_issue(scope=scope, number=number, district=payload.district))


@router.post("/cards/{number}/loss-report", response={200: CardOut, **_ERRORS}, summary="Report a card lost")
def office_loss_report(request: HttpRequest, number: str, payload: OfficeLossReportIn) -> CardOut:
    scope = request_scope(request)
    _outlet_scope_check(scope, number)
    if payload.formal:
        return CardOut.from_orm(services.card_report_loss(scope=scope, number=number))
    return CardOut.from_orm(services.card_report_temporary_loss(scope=scope, number=number, channel=payload.channel))


@router.post("/cards/{number}/unfreeze", response={200: CardOut, **_ERRORS}, summary="Lift a loss report (解挂)")
def office_unfreeze(request: HttpRequest, number: str) -> CardOut:
    scope = request_scope(request)
    _outlet_scope_check(scope, number)
    return CardOut.from_orm(services.card_unfreeze(scope=scope, number=number))


@router.post("/cards/{number}/cancel", response={200: CardOut, **_ERRORS}, summary="Cancel a card (注销)")
def office_cancel(request: HttpRequest, number: str, payload: CancelIn) -> CardOut:
    scope = request_scope(request)
    _outlet_scope_check(scope, number)
    return CardOut.from_orm(services.card_cancel(scope=scope, number=number, reason=payload.reason))


# --- analysis ---------------------------------------------------------------------------------------


@router.get("/coverage", response={200: CoverageOut, **_ERRORS}, summary="Card coverage by district against the goal")
def coverage(request: HttpRequest, on: dt.date | None = None) -> CoverageOut:
    return CoverageOut.from_orm(selectors.coverage_by_district(scope=request_scope(request), on=on))


@router.get(
    "/preferences",
    response={200: list[PreferenceOut], **_ERRORS},
    summary="How cards are used, by district and channel",
)
def preferences(
    request: HttpRequest, since: dt.date | None = None, until: dt.date | None = None
) -> list[PreferenceOut]:
    cells = selectors.use_preferences(scope=request_scope(request), since=since, until=until)
    return [PreferenceOut(**cell.__dict__) for cell in cells]


class _CatalogueFilter(Schema):
    domain: str | None = None
    needs_financial: bool | None = None


@router.get(
    "/catalogue",
    auth=None,
    response={200: list[CatalogueItemOut], 422: ErrorOut},
    summary="The catalogue of card applications",
)
def catalogue(request: HttpRequest, filters: Query[_CatalogueFilter]) -> list[CatalogueItemOut]:
    return [
        CatalogueItemOut(
            code=item.code,
            name=item.name,
            name_en=item.name_en,
            domain=item.domain,
            channels=[part for part in item.channels.split(",") if part],
            needs_financial=item.needs_financial,
            verified=item.verified,
            source=item.source,
        )
        for item in selectors.applications_catalogue(domain=filters.domain, needs_financial=filters.needs_financial)
    ]


# --- payments and reconciliation ---------------------------------------------------------------------


@router.post("/payments", response={201: PaymentOut, **_ERRORS, 502: ErrorOut}, summary="Pay a contribution or fee")
def payment_create(request: HttpRequest, payload: PaymentIn) -> Status:
    scope = request_scope(request)
    if payload.id_number:
        person = registry.person_get_by_id_number(scope=scope, id_number=payload.id_number, purpose="card payment")
    elif scope.person_id is not None:
        person = registry.person_queryset(scope=scope).get(pk=scope.person_id)
    else:
        raise PermissionDenied(code="not_bound")
    started = services.payment_order_create(
        scope=scope,
        person=person,
        purpose=payload.purpose,
        description=payload.description,
        amount=payload.amount,
        method=payload.method,
        period=payload.period,
    )
    out = PaymentOut.from_orm(started.order)
    out.redirect_url = started.redirect_url
    return Status(201, out)


@router.get("/me/payments", response={200: list[PaymentOut], **_ERRORS}, summary="My payment orders")
def holder_payments(request: HttpRequest) -> list[PaymentOut]:
    return [PaymentOut.from_orm(order) for order in selectors.payment_orders_for(scope=request_scope(request))]


@router.post(
    "/payments/notify/{gateway}",
    auth=None,
    response={200: PaymentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="A payment provider's callback (signed by the provider)",
)
def payment_notify(request: HttpRequest, gateway: str) -> PaymentOut:
    headers = dict(request.headers)  # HttpHeaders keys are title-cased, as the gateways expect
    return PaymentOut.from_orm(
        services.payment_notification_apply(gateway_name=gateway, body=request.body, headers=headers)
    )


@router.post(
    "/reconciliations",
    response={201: ReconciliationOut, **_ERRORS},
    summary="Reconcile a day against a bank statement",
    openapi_extra=multipart_example(
        {
            "gateway": "bank",
            "statement_date": "2026-12-03",
            "file": "reference,amount\nPO20261203A1B2C3D4E5F6,300.00\nPO20261203B7C8D9E0F1A2,20.00\n",
        }
    ),
)
def reconciliation_create(
    request: HttpRequest, gateway: Form[str], statement_date: Form[dt.date], file: File[UploadedFile]
) -> Status:
    run = services.reconciliation_run(
        scope=request_scope(request),
        gateway_name=gateway,
        statement_date=statement_date,
        data=file.read(),
        filename=file.name or "statement.csv",
    )
    return Status(201, ReconciliationOut.from_orm(run))


@router.get(
    "/reconciliations/{run_id}", response={200: ReconciliationOut, **_ERRORS}, summary="A reconciliation report"
)
def reconciliation_get(request: HttpRequest, run_id: uuid.UUID) -> ReconciliationOut:
    return ReconciliationOut.from_orm(selectors.reconciliation_get(scope=request_scope(request), run_id=run_id))
