"""Facts of card payments that other apps read without importing this app
(``CardConfig.payment_facts``, found through ``hrss.core.declarations.DeclaredModule``): the
employment app's start-up loan assessment weighs how regularly a person pays with the card."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models.functions import TruncMonth

from hrss.card.models import PaymentOrder


def payment_record(*, person_id: uuid.UUID, start: dt.date, end: dt.date) -> dict[str, int]:
    """A person's card payments (contributions and fees, with the card's account or a
    third-party provider) ordered from ``start`` to ``end`` (days, both included): in how many
    months one was paid, and how many failed. Two queries."""
    orders = PaymentOrder.objects.filter(person_id=person_id, created_at__date__gte=start, created_at__date__lte=end)
    paid_months = (
        orders.filter(status=PaymentOrder.Status.PAID, paid_at__isnull=False)
        .annotate(month=TruncMonth("paid_at"))
        .values("month")
        .distinct()
        .count()
    )
    failed = orders.filter(status=PaymentOrder.Status.FAILED).count()
    return {"paid_months": paid_months, "failed": failed}
