"""Online payment (线上缴费) of a flexible worker's assessed months (S1, S2).

A flexible worker (灵活就业) sees the months with something still due — what was assessed
for him without an employer, less what was paid (``selectors.payments``) —
and pays one or more of them through the bureau's payment provider
(``hrss.core.payments``, gateway ``thirdparty``). The amount is computed here from the
assessment, never taken from the client. Starting again for the same months while an
order is open returns that order; an open order blocks other orders for its months for
``PENDING_MINUTES``, after which it may be superseded (a late payment of it is still
posted: the money was received).

The provider's callback is authenticated by the gateway, its amount must equal the
order's, and it is applied once: the months are posted as ``Payment`` rows of a
``PaymentFile`` of source ``online`` with the same outcomes as a bank or tax file
(matched, underpaid, overpaid, nothing due), and the personal account is credited for
the months now settled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.logging import mask_id_number
from hrss.core.payments import Charge, Notification, PaymentGateway, gateway_get
from hrss.core.scope import Scope
from hrss.insurance import rules
from hrss.insurance.models import (
    OnlinePayment,
    Payment,
    PaymentFile,
)
from hrss.insurance.selectors.payments import (
    NotFlexibleWorker,
    due_fen,
    flexible_worker_require,
    online_payment_stale,
    open_online_payments,
    own_person,
    paid_fen,
    payment_outcome,
)
from hrss.insurance.services.accounts import account_credit_period
from hrss.insurance.services.payments import difference_row
from hrss.registry import selectors as registry_selectors

logger = logging.getLogger(__name__)

GATEWAY = "thirdparty"  # the bureau's third-party payment provider (HRSS_PAYMENT_GATEWAYS)
METHOD = "third_party"
MAX_MONTHS = 48  # months in one payment (``OnlinePayment.months`` holds 48 × "YYYY-MM,")


class NothingDue(Conflict):
    code = "nothing_due"
    default_message = gettext_lazy("Nothing is due for these months.")


class PaymentPending(Conflict):
    code = "payment_pending"
    default_message = gettext_lazy(
        "A payment for some of these months is waiting for you to confirm it. Finish it, or try again later."
    )


class PaymentUnavailable(Conflict):
    code = "online_payment_unavailable"
    default_message = gettext_lazy("Online payment is not available at the moment. Please pay at a bank or counter.")


@dataclass(frozen=True)
class OnlinePaymentStarted:
    payment: OnlinePayment
    created: bool  # False: an open order for the same months was returned


def _parse_months(months: Sequence[str | dt.date]) -> list[dt.date]:
    if not months:
        raise InvalidInput(_("Choose at least one month to pay."), fields={"months": _("required")})
    parsed = set()
    for month in months:
        parsed.add(rules.month_start(month) if isinstance(month, dt.date) else rules.parse_period(str(month)))
    if len(parsed) > MAX_MONTHS:
        raise InvalidInput(
            _("Pay at most %(count)s months at once.") % {"count": MAX_MONTHS}, fields={"months": str(len(parsed))}
        )
    return sorted(parsed)


def _gateway() -> PaymentGateway:
    try:
        return gateway_get(GATEWAY)
    except NotFound:
        raise PaymentUnavailable() from None


def _reference() -> str:
    return f"OP{timezone.localdate():%Y%m%d}{secrets.token_hex(6).upper()}"


def online_payment_start(
    *, scope: Scope, person_id: uuid.UUID | str, months: Sequence[str | dt.date]
) -> OnlinePaymentStarted:
    """Start paying the chosen months online; the amount is what they still owe now.

    Idempotent: a retry for the same months while that order is open returns it (and asks
    the provider again if it never answered). Errors: ``not_flexible_worker``,
    ``nothing_due`` (per month in ``fields``), ``payment_pending`` (another open order
    covers a month), ``online_payment_unavailable``, ``payment_gateway_error``.
    """
    person = own_person(scope, person_id)
    periods = _parse_months(months)
    key = ",".join(f"{period:%Y-%m}" for period in periods)
    gateway = _gateway()
    with transaction.atomic():
        flexible_worker_require(person.pk, lock=True)
        now = timezone.now()
        existing = None
        for order in open_online_payments(person.pk):
            stale = online_payment_stale(order, now)
            if order.months == key and not stale:
                existing = order
                continue
            overlap = sorted(set(order.months.split(",")) & set(key.split(",")))
            if overlap and not stale:
                raise PaymentPending(fields={"months": ", ".join(overlap), "reference": order.reference})
            if overlap:
                # Superseded: its months are free again. A late payment of it is still posted.
                OnlinePayment.objects.filter(pk=order.pk, status__in=OnlinePayment.OPEN).update(
                    status=OnlinePayment.Status.EXPIRED, updated_at=now
                )
        if existing is None:
            lines, nothing = [], {}
            for period in periods:
                outstanding = due_fen(period=period, person_id=person.pk) - paid_fen(period=period, person_id=person.pk)
                if outstanding <= 0:
                    nothing[f"{period:%Y-%m}"] = _("nothing due")
                lines.append({"period": f"{period:%Y-%m}", "amount_fen": outstanding})
            if nothing:
                raise NothingDue(fields=nothing)
            try:
                with transaction.atomic():
                    order = OnlinePayment.objects.create(
                        reference=_reference(),
                        person_id=person.pk,
                        months=key,
                        lines=lines,
                        amount_fen=sum(line["amount_fen"] for line in lines),
                        gateway=gateway.name,
                        created_by=scope.actor,
                    )
            except IntegrityError:
                # The same start at the same moment (another tab, a retried request): theirs counts.
                order = OnlinePayment.objects.get(person_id=person.pk, months=key, status__in=OnlinePayment.OPEN)
                return OnlinePaymentStarted(order, created=False)
            audit_record(
                actor=scope.actor,
                actor_role=scope.primary_role,
                action="insurance.online_payment.start",
                object_type="online_payment",
                object_id=order.reference,
                detail={"months": key, "amount_fen": order.amount_fen, "gateway": gateway.name},
            )
        else:
            order = existing
    if order.status == OnlinePayment.Status.PENDING:
        return OnlinePaymentStarted(order, created=existing is None)
    # The provider is asked outside the transaction (a slow provider never holds a lock);
    # an order it never heard of stays "created", and a retry asks again with the same reference.
    result = gateway.start(
        Charge(
            reference=order.reference,
            amount=rules.from_fen(order.amount_fen),
            description=_("Social insurance contributions (flexible worker) %(months)s") % {"months": key},
            method=METHOD,
        )
    )
    with transaction.atomic():
        locked = OnlinePayment.objects.select_for_update().get(pk=order.pk)
        if locked.status == OnlinePayment.Status.CREATED:
            locked.gateway_reference = result.gateway_reference[:80]
            locked.redirect_url = result.redirect_url[:500]
            locked.status = OnlinePayment.Status.FAILED if result.status == "failed" else OnlinePayment.Status.PENDING
            locked.save(update_fields=["gateway_reference", "redirect_url", "status", "updated_at"])
    if result.status == "paid":
        # Some providers settle at once (a pre-authorised debit): the same path as a callback.
        _settle(
            locked,
            Notification(locked.reference, "paid", rules.from_fen(locked.amount_fen), result.gateway_reference),
            actor=f"gateway:{gateway.name}",
        )
    locked.refresh_from_db()
    return OnlinePaymentStarted(locked, created=existing is None)


def online_payment_notification_apply(*, gateway_name: str, body: bytes, headers: dict[str, str]) -> OnlinePayment:
    """The provider's callback: authenticated by the gateway, amount checked, applied once."""
    gateway = gateway_get(gateway_name)
    note = gateway.notification(body=body, headers=headers)
    order = OnlinePayment.objects.filter(reference=note.reference, gateway=gateway.name).first()
    if order is None:
        raise NotFound(_("No such payment order."), code="payment_unknown")
    if note.status not in ("paid", "failed"):
        raise InvalidInput(fields={"status": note.status})
    if note.amount != rules.from_fen(order.amount_fen):
        # Never post a different sum as this order: the reconciliation with the provider shows it.
        logger.warning("online payment %s: notified amount differs from the order", order.reference)
        raise Conflict(_("The notified amount differs from the order."), code="payment_amount_mismatch")
    return _settle(order, note, actor=f"gateway:{gateway.name}")


def _settle(order: OnlinePayment, note: Notification, *, actor: str) -> OnlinePayment:
    with transaction.atomic():
        locked = OnlinePayment.objects.select_for_update().get(pk=order.pk)
        if locked.status in (OnlinePayment.Status.PAID, OnlinePayment.Status.FAILED):
            return locked  # final: a repeated or late callback changes nothing
        locked.gateway_reference = note.gateway_reference[:80] or locked.gateway_reference
        if note.status == "failed":
            locked.status = OnlinePayment.Status.FAILED
            locked.save(update_fields=["status", "gateway_reference", "updated_at"])
            audit_record(
                actor=actor,
                action="insurance.online_payment.failed",
                object_type="online_payment",
                object_id=locked.reference,
            )
            return locked
        posted = online_payment_post(locked, actor=actor)
        locked.status = OnlinePayment.Status.PAID
        locked.paid_at = timezone.now()
        locked.payment_file = posted
        locked.save(update_fields=["status", "gateway_reference", "paid_at", "payment_file", "updated_at"])
        audit_record(
            actor=actor,
            action="insurance.online_payment.paid",
            object_type="online_payment",
            object_id=locked.reference,
            detail={
                "file": str(posted.pk),
                "matched": posted.rows_matched,
                "different": posted.rows_different,
                "amount_fen": locked.amount_fen,
            },
        )
        for line in locked.lines:
            account_credit_period(period=rules.parse_period(line["period"]), person_ids=[locked.person_id])
    return locked


def online_payment_post(order: OnlinePayment, *, actor: str) -> PaymentFile:
    """The order's months as ``Payment`` rows of one online file, matched as a bank file's rows are."""
    digest = hashlib.sha256(f"online:{order.gateway}:{order.reference}".encode()).hexdigest()
    posted = PaymentFile.objects.create(
        source=PaymentFile.Source.ONLINE, filename=f"online {order.reference}", sha256=digest, posted_by=actor
    )
    person = registry_selectors.person_queryset(scope=Scope.system(actor)).get(pk=order.person_id)
    paid_on = timezone.localdate()
    payments: list[Payment] = []
    report: list[dict[str, Any]] = []
    matched = 0
    for number, line in enumerate(order.lines, start=1):
        period, amount = rules.parse_period(line["period"]), int(line["amount_fen"])
        due_before = due_fen(period=period, person_id=order.person_id) - paid_fen(
            period=period, person_id=order.person_id
        )
        outcome = payment_outcome(
            kind="person", payer_id=order.person_id, period=period, amount=amount, due_before=due_before
        )
        payments.append(
            Payment(
                file=posted,
                row_number=number,
                person_id=order.person_id,
                period=period,
                amount_fen=amount,
                paid_on=paid_on,
                reference=order.reference,
                outcome=outcome,
                due_fen=due_before,
                difference_fen=amount - due_before,
            )
        )
        if outcome == Payment.Outcome.MATCHED:
            matched += 1
        else:
            report.append(difference_row(payments[-1], shown=mask_id_number(person.id_number)))
    Payment.objects.bulk_create(payments)
    posted.rows_total = len(payments)
    posted.rows_matched = matched
    posted.rows_different = len(payments) - matched
    posted.report = report
    posted.save()
    return posted


__all__ = [
    "NotFlexibleWorker",
    "NothingDue",
    "OnlinePaymentStarted",
    "PaymentPending",
    "PaymentUnavailable",
    "online_payment_notification_apply",
    "online_payment_start",
]
