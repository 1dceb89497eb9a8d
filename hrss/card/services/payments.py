"""Payment and settlement (支付结算) writes: contributions and fees paid with the card's bank
account or through a third-party payment provider, and the daily reconciliation against the
bank's statement file (A5). The reads (a holder's orders, a run and its report) are in
``selectors``.

The provider adapter (gateways, signing, charges and callbacks) is the bureau's, in
``hrss.core.payments``, configured by name in ``HRSS_PAYMENT_GATEWAYS``.

A payment with the card's account goes to the gateway named after the card's partner
bank (``bank-icbc``) if one is configured, else to ``bank``; a third-party payment goes
to ``thirdparty``. Development records every call and settles a card-account debit at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.card import reconcile
from hrss.card.models import Card, CardUse, PaymentOrder, ReconciliationItem, ReconciliationRun, UseChannel, UseKind
from hrss.card.rules import CardStatus
from hrss.card.services.access import RECONCILER_ROLES, require_holder_or_office
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.payments import Charge, gateway_get, gateway_names, gateways_configured
from hrss.core.scope import Scope
from hrss.registry.models import Person


def _gateway_name_for(method: str, card: Card | None) -> str:
    configured = gateways_configured()
    if method == PaymentOrder.Method.THIRD_PARTY:
        return "thirdparty"
    bank = f"bank-{card.bank_code.lower()}" if card and card.bank_code else ""
    return bank if bank in configured else "bank"


def payment_reference() -> str:
    return f"PO{timezone.localdate():%Y%m%d}{secrets.token_hex(6).upper()}"


@dataclass
class PaymentStarted:
    order: PaymentOrder
    redirect_url: str = ""


def payment_order_create(
    *,
    scope: Scope,
    person: Person,
    purpose: str,
    description: str,
    amount: Decimal,
    method: str,
    period: str = "",
) -> PaymentStarted:
    """Create a payment order and hand it to its gateway. The amount is the caller's
    (the insurance app assesses contributions); this only collects it."""
    require_holder_or_office(scope, person.pk)
    problems: dict[str, Any] = {}
    if purpose not in PaymentOrder.Purpose.values:
        problems["purpose"] = _("unknown purpose")
    if method not in PaymentOrder.Method.values:
        problems["method"] = _("unknown payment method")
    if amount is None or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        problems["amount"] = _("a positive amount in yuan and fen")
    if period and not (len(period) == 7 and period[4] == "-" and period.replace("-", "").isdigit()):
        problems["period"] = _("YYYY-MM")
    if not description.strip():
        problems["description"] = _("required")
    if problems:
        raise InvalidInput(fields=problems)
    card = Card.objects.filter(person_id=person.pk, status=CardStatus.ACTIVE).first()
    if method == PaymentOrder.Method.CARD_ACCOUNT and (card is None or not card.bank_account):
        raise Conflict(
            _("Paying with the card needs an active card with a linked bank account."), code="card_not_active"
        )
    gateway = gateway_get(_gateway_name_for(method, card))
    with transaction.atomic():
        order = PaymentOrder.objects.create(
            reference=payment_reference(),
            person_id=person.pk,
            card=card,
            purpose=purpose,
            description=description.strip()[:200],
            period=period,
            amount=amount,
            method=method,
            gateway=gateway.name,
            created_by=scope.actor,
        )
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="card.payment_create",
            object_type="payment_order",
            object_id=order.reference,
            detail={"amount": str(amount), "method": method, "gateway": gateway.name, "purpose": purpose},
        )
    # The provider is called outside the transaction: a slow bank never holds a database lock,
    # and an order the provider never heard of stays "created" for the reconciliation to show.
    result = gateway.start(
        Charge(
            reference=order.reference,
            amount=order.amount,
            description=order.description,
            method=method,
            account=card.bank_account if (card and method == PaymentOrder.Method.CARD_ACCOUNT) else "",
        )
    )
    _apply_result(order, result.status, result.gateway_reference, actor=f"gateway:{gateway.name}")
    order.refresh_from_db()
    return PaymentStarted(order, result.redirect_url)


@transaction.atomic
def _apply_result(order: PaymentOrder, status: str, gateway_reference: str, *, actor: str) -> None:
    locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
    if locked.status in (PaymentOrder.Status.PAID, PaymentOrder.Status.FAILED, PaymentOrder.Status.CANCELLED):
        return  # final: a repeated callback changes nothing
    now = timezone.now()
    locked.status = {"paid": PaymentOrder.Status.PAID, "failed": PaymentOrder.Status.FAILED}.get(
        status, PaymentOrder.Status.PENDING
    )
    locked.gateway_reference = gateway_reference or locked.gateway_reference
    if locked.status == PaymentOrder.Status.PAID:
        locked.paid_at = now
        if locked.card_id and locked.method == PaymentOrder.Method.CARD_ACCOUNT:
            # Paying with the card is a use of the card: it shows in the holder's trail.
            CardUse.objects.create(
                card_id=locked.card_id,
                person_id=locked.person_id,
                kind=UseKind.PAYMENT,
                channel=UseChannel.ONLINE,
                at=now,
                institution=actor,
                institution_name=locked.gateway,
                amount=locked.amount,
                reference=locked.reference,
            )
    locked.save()
    audit_record(
        actor=actor,
        action="card.payment_status",
        object_type="payment_order",
        object_id=locked.reference,
        detail={"status": locked.status},
    )


def payment_notification_apply(*, gateway_name: str, body: bytes, headers: dict[str, str]) -> PaymentOrder:
    """A provider's callback: authenticated by the gateway, applied once (idempotent)."""
    gateway = gateway_get(gateway_name)
    note = gateway.notification(body=body, headers=headers)
    order = PaymentOrder.objects.filter(reference=note.reference, gateway=gateway.name).first()
    if order is None:
        raise NotFound(_("No such payment order."), code="payment_unknown")
    if note.amount != order.amount:
        # Never mark an order paid for a different sum: the reconciliation will show it.
        raise Conflict(_("The notified amount differs from the order."), code="payment_amount_mismatch")
    if note.status not in ("paid", "failed"):
        raise InvalidInput(fields={"status": note.status})
    _apply_result(order, note.status, note.gateway_reference, actor=f"gateway:{gateway.name}")
    order.refresh_from_db()
    return order


# --- reconciliation -------------------------------------------------------------------------------


@transaction.atomic
def reconciliation_run(
    *, scope: Scope, gateway_name: str, statement_date: dt.date, data: bytes, filename: str
) -> ReconciliationRun:
    """对账: compare one day's paid orders of a gateway with its statement file; keep the report."""
    if not scope.has_role(*RECONCILER_ROLES):
        raise PermissionDenied(_("Reconciliation is for fund supervisors and administrators."))
    if gateway_name not in gateway_names():
        raise InvalidInput(_("No such payment gateway."), fields={"gateway": gateway_name})
    try:
        lines = reconcile.statement_parse(data)
    except (reconcile.StatementError, UnicodeDecodeError) as error:
        raise InvalidInput(str(error), code="statement_invalid", fields={"file": filename}) from error
    day_start = timezone.make_aware(dt.datetime.combine(statement_date, dt.time.min))
    day_end = day_start + dt.timedelta(days=1)
    ours = dict(
        PaymentOrder.objects.filter(
            gateway=gateway_name, status=PaymentOrder.Status.PAID, paid_at__gte=day_start, paid_at__lt=day_end
        ).values_list("reference", "amount")
    )
    orders = dict(
        PaymentOrder.objects.filter(
            gateway=gateway_name, reference__in={line.reference for line in lines} | set(ours)
        ).values_list("reference", "pk")
    )
    unpaid = dict(
        PaymentOrder.objects.filter(gateway=gateway_name, reference__in=[line.reference for line in lines])
        .exclude(reference__in=list(ours))
        .values_list("reference", "status")
    )
    differences = reconcile.reconcile(ours, lines, known_unpaid=unpaid)
    counts = dict.fromkeys(reconcile.KINDS, 0)
    for item in differences:
        counts[item.kind] += 1
    run = ReconciliationRun.objects.create(
        gateway=gateway_name,
        statement_date=statement_date,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        matched=counts[reconcile.MATCHED],
        missing=counts[reconcile.MISSING],
        extra=counts[reconcile.EXTRA],
        amount_mismatch=counts[reconcile.AMOUNT_MISMATCH],
        total_ours=sum(ours.values(), Decimal(0)),
        total_statement=sum((line.amount for line in lines), Decimal(0)),
        created_by=scope.actor,
    )
    ReconciliationItem.objects.bulk_create(
        ReconciliationItem(
            run=run,
            kind=item.kind,
            reference=item.reference[:60],
            order_id=orders.get(item.reference),
            amount_ours=item.amount_ours,
            amount_statement=item.amount_statement,
            note=item.note[:200],
        )
        for item in differences
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="card.reconciliation_run",
        object_type="reconciliation_run",
        object_id=str(run.pk),
        detail={"gateway": gateway_name, "date": statement_date.isoformat(), **counts},
    )
    return run
