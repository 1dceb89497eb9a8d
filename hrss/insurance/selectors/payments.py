"""Reads of what is due and paid: a payer's dues and payments per month, a flexible worker's
months still due and their online payments (S1, S2)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.core.errors import Conflict, NotFound
from hrss.core.scope import Scope
from hrss.insurance import rules
from hrss.insurance.models import ContributionLine, Enrolment, OnlinePayment, PayerCategory, Payment
from hrss.registry import selectors as registry_selectors
from hrss.registry.models import Person

PENDING_MINUTES = 30  # how long an unpaid online payment keeps its months to itself


def due_fen(*, period: dt.date, employer_id: uuid.UUID | None = None, person_id: uuid.UUID | None = None) -> int:
    """Everything assessed for a payer and month (employer and individual shares)."""
    lines = ContributionLine.objects.filter(period=period)
    if employer_id is not None:
        lines = lines.filter(employer_id=employer_id)
    elif person_id is not None:
        lines = lines.filter(person_id=person_id, employer=None)
    else:
        raise ValueError("a payer is needed")
    totals = lines.aggregate(employer=Sum("employer_fen"), individual=Sum("individual_fen"))
    return int((totals["employer"] or 0) + (totals["individual"] or 0))


def paid_fen(*, period: dt.date, employer_id: uuid.UUID | None = None, person_id: uuid.UUID | None = None) -> int:
    payments = Payment.objects.filter(period=period)
    if employer_id is not None:
        payments = payments.filter(employer_id=employer_id)
    elif person_id is not None:
        payments = payments.filter(person_id=person_id)
    else:
        raise ValueError("a payer is needed")
    return int(payments.aggregate(total=Sum("amount_fen"))["total"] or 0)


def payment_outcome(*, kind: str, payer_id: uuid.UUID, period: dt.date, amount: int, due_before: int) -> str:
    """How a payment of ``amount`` fen compares with what the payer still owed for the month."""
    if due_before == 0 and not payer_assessed(kind, payer_id, period):
        return Payment.Outcome.NOTHING_DUE
    if amount == due_before:
        return Payment.Outcome.MATCHED
    return Payment.Outcome.UNDERPAID if amount < due_before else Payment.Outcome.OVERPAID


def payer_assessed(kind: str, payer_id: uuid.UUID, period: dt.date) -> bool:
    lines = ContributionLine.objects.filter(period=period)
    return (
        lines.filter(employer_id=payer_id).exists()
        if kind == "employer"
        else lines.filter(Q(person_id=payer_id) & Q(employer=None)).exists()
    )


class NotFlexibleWorker(Conflict):
    code = "not_flexible_worker"
    default_message = gettext_lazy(
        "Online payment is for flexible workers (灵活就业). Your contributions are paid by your employer."
    )


@dataclass(frozen=True)
class DueMonth:
    period: dt.date
    due: Decimal  # assessed for the month (both shares)
    paid: Decimal
    outstanding: Decimal
    pending_reference: str = ""  # an open online payment that covers the month


def own_person(scope: Scope, person_id: uuid.UUID | str) -> Person:
    """Only the person pays or sees their own dues; anyone else finds no one (same 404)."""
    if scope.person_id is None or str(scope.person_id) != str(person_id):
        raise NotFound(_("No such person within your scope."))
    person = registry_selectors.person_queryset(scope=scope).filter(pk=person_id).first()
    if person is None:
        raise NotFound(_("No such person within your scope."))
    return person


def flexible_worker_require(person_id: uuid.UUID, *, lock: bool = False) -> None:
    """A flexible worker has (or had) an enrolment of their own; locking those rows
    serialises a person's payment starts on every database."""
    enrolments = Enrolment.objects.filter(person_id=person_id, category=PayerCategory.FLEXIBLE)
    if lock:
        enrolments = enrolments.select_for_update()
    if not list(enrolments.values_list("pk", flat=True)):
        raise NotFlexibleWorker()


def open_online_payments(person_id: uuid.UUID) -> list[OnlinePayment]:
    return list(OnlinePayment.objects.filter(person_id=person_id, status__in=OnlinePayment.OPEN))


def online_payment_stale(order: OnlinePayment, now: dt.datetime) -> bool:
    return order.created_at < now - dt.timedelta(minutes=PENDING_MINUTES)


def due_months(*, scope: Scope, person_id: uuid.UUID | str) -> list[DueMonth]:
    """The person's months with something still due, oldest first (two aggregate queries:
    the same sums as ``due_fen`` and ``paid_fen`` for every month at once)."""
    person = own_person(scope, person_id)
    flexible_worker_require(person.pk)
    assessed = dict(
        ContributionLine.objects.filter(person_id=person.pk, employer__isnull=True)
        .values("period")
        .annotate(due=Sum(F("employer_fen") + F("individual_fen")))
        .values_list("period", "due")
    )
    paid = dict(
        Payment.objects.filter(person_id=person.pk, period__in=list(assessed))
        .values("period")
        .annotate(paid=Sum("amount_fen"))
        .values_list("period", "paid")
    )
    now = timezone.now()
    pending: dict[str, str] = {}
    for order in open_online_payments(person.pk):
        if not online_payment_stale(order, now):
            pending.update(dict.fromkeys(order.months.split(","), order.reference))
    months = []
    for period in sorted(assessed):
        due, settled = int(assessed[period] or 0), int(paid.get(period) or 0)
        if due - settled > 0:
            months.append(
                DueMonth(
                    period=period,
                    due=rules.from_fen(due),
                    paid=rules.from_fen(settled),
                    outstanding=rules.from_fen(due - settled),
                    pending_reference=pending.get(f"{period:%Y-%m}", ""),
                )
            )
    return months


def online_payments_for(*, scope: Scope, person_id: uuid.UUID | str, limit: int = 20) -> list[OnlinePayment]:
    person = own_person(scope, person_id)
    return list(OnlinePayment.objects.filter(person_id=person.pk).order_by("-created_at")[:limit])
