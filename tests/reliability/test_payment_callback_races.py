"""The same signed "paid" callback delivered twice at the same instant is applied once (PostgreSQL).

A payment provider retries its callbacks, and a retry may arrive while the first delivery is
still being applied. Here two threads, each with its own database connection, post the same
signed callback to the real endpoint at once (released together by a barrier), and the
tests look at what a double apply would double: the order's status, the ``Payment`` rows of
an online payment and the personal-account credits they cause, a card's use record, and the
audit entries. To make a missing row lock show every time rather than now and then, the
work done under the lock is slowed down, so the second delivery always arrives while the
first one still holds the order.

The contract (read from the services): the first delivery settles the order, the second
finds it final and answers 200 with the same status, changing nothing.

Only on PostgreSQL: SQLite's test database is in memory and cannot be shared by two writing
connections (``tests/reliability/test_faults.py`` has the same skip). The card app's own
service-level race (three deliveries of a third-party order) is in ``test_faults.py``; this
file adds the HTTP endpoint, the signature, and the side effects.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

KEY = "race-signing-key-" + "k" * 32  # a signing key long enough for production's check
LOCK_HELD_SECONDS = 0.3  # how long the first delivery keeps the order locked
MARCH = dt.date(2025, 3, 1)


def _needs_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("two writing connections need PostgreSQL (SQLite's test database is in memory)")


def _provider(answer: dict[str, str]) -> httpx.MockTransport:
    """A provider that checks our signature and leaves the charge pending (the callback settles it)."""
    from hrss.core import payments

    def handler(request: httpx.Request) -> httpx.Response:
        expected = payments.sign(KEY, request.headers[payments.TIMESTAMP_HEADER], request.content)
        if request.headers[payments.SIGNATURE_HEADER] != expected:
            return httpx.Response(401)
        return httpx.Response(200, json=answer)

    return httpx.MockTransport(handler)


def _gateway(base_url: str, answer: dict[str, str]) -> dict[str, Any]:
    return {
        "BACKEND": "hrss.core.payments.HttpGateway",
        "OPTIONS": {"base_url": base_url, "merchant_id": "M1", "key": KEY, "transport": _provider(answer)},
    }


def _slowed(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` that takes LOCK_HELD_SECONDS longer (called under the order's row lock)."""

    def slow(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        time.sleep(LOCK_HELD_SECONDS)
        return result

    return slow


def _deliver_twice_at_once(url: str, payload: dict[str, str]) -> list[Any]:
    """POST the same signed callback from two threads released together; the responses (or errors)."""
    from django.db import connections
    from django.test import Client

    from hrss.core import payments

    body = json.dumps(payload).encode()
    stamp = str(int(time.time()))
    signature = payments.sign(KEY, stamp, body)
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def deliver(index: int) -> None:
        try:
            client = Client(HTTP_ACCEPT_LANGUAGE="en")
            barrier.wait(timeout=10)
            results[index] = client.post(
                url,
                data=body,
                content_type="application/json",
                HTTP_X_HRSS_TIMESTAMP=stamp,
                HTTP_X_HRSS_SIGNATURE=signature,
            )
        except Exception as error:  # the outcome is what the test looks at
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a concurrent callback hung"
    return results


def _statuses(results: list[Any]) -> list[int]:
    assert all(hasattr(result, "status_code") for result in results), results
    return [result.status_code for result in results]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_online_payment_callback_delivered_twice_at_once_posts_once(settings, monkeypatch):
    _needs_postgresql()
    from hrss.core.models import AuditEntry
    from hrss.insurance import rules, services
    from hrss.insurance.models import AccountEntry, OnlinePayment, Payment, PaymentFile
    from hrss.insurance.selectors import payments as payment_reads
    from hrss.insurance.selectors.payments import due_fen, paid_fen
    from hrss.insurance.services import online_payment
    from hrss.insurance.tests.builders import citizen, flexible_worker

    settings.HRSS_PAYMENT_GATEWAYS = {
        "thirdparty": _gateway("https://pay.test", {"status": "pending", "gateway_reference": "W-1"})
    }
    monkeypatch.setattr(online_payment, "online_payment_post", _slowed(online_payment.online_payment_post))
    rider = flexible_worker(base=Decimal("8355"), name="并发骑手", start=dt.date(2025, 1, 1))
    months = [rules.add_months(MARCH, offset) for offset in range(3)]
    for month in months:
        services.contribution_assess_month(period=month)

    # One round per month: each a fresh order, each callback raced anew.
    for month in months:
        order = online_payment.online_payment_start(
            scope=citizen(rider), person_id=rider.pk, months=[f"{month:%Y-%m}"]
        ).payment
        assert order.status == OnlinePayment.Status.PENDING
        owed = due_fen(period=month, person_id=rider.pk)
        assert order.amount_fen == owed > 0

        results = _deliver_twice_at_once(
            "/api/v1/insurance/payments/notify/thirdparty",
            {
                "reference": order.reference,
                "status": "paid",
                "amount": str(rules.from_fen(order.amount_fen)),
                "gateway_reference": "G-1",
            },
        )
        assert _statuses(results) == [200, 200], [result.content for result in results]
        assert [result.json() for result in results] == [{"reference": order.reference, "status": "paid"}] * 2

        order.refresh_from_db()
        assert order.status == OnlinePayment.Status.PAID and order.payment_file_id is not None
        files = PaymentFile.objects.filter(source=PaymentFile.Source.ONLINE, filename=f"online {order.reference}")
        assert files.count() == 1, "the callback posted the payment twice"
        [row] = Payment.objects.filter(reference=order.reference)
        assert (row.file_id, row.period, row.amount_fen, row.outcome) == (order.payment_file_id, month, owed, "matched")
        assert paid_fen(period=month, person_id=rider.pk) == owed, "the month was paid twice"
        credits = AccountEntry.objects.filter(person=rider, kind="contribution", posted_on=month)
        assert credits.count() == 1, "the personal account was credited twice"
        paid = AuditEntry.objects.filter(action="insurance.online_payment.paid", object_id=order.reference)
        assert paid.count() == 1

    # Over all the rounds: one file, one row and one credit per month, and one share each.
    assert Payment.objects.filter(person_id=rider.pk).count() == len(months)
    assert PaymentFile.objects.filter(source=PaymentFile.Source.ONLINE).count() == len(months)
    shares = AccountEntry.objects.filter(person=rider, kind="contribution").values_list("amount_fen", flat=True)
    assert sorted(shares) == [rules.to_fen(Decimal("668.40"))] * len(months)  # 8,355 × 8 %, once a month
    assert payment_reads.due_months(scope=citizen(rider), person_id=rider.pk) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_card_payment_callback_delivered_twice_at_once_pays_once(settings, monkeypatch, tmp_path):
    _needs_postgresql()
    from hrss.card.models import CardUse, PaymentOrder
    from hrss.card.services import payments
    from hrss.card.tests.builders import active_card, holder_scope
    from hrss.core.models import AuditEntry

    settings.HRSS_PAYMENT_GATEWAYS = {
        "bank": _gateway("https://bank.test/api", {"status": "pending", "gateway_reference": "B-1"}),
        "thirdparty": {"BACKEND": "hrss.core.payments.RecordingGateway"},
    }
    monkeypatch.setattr(payments, "audit_record", _slowed(payments.audit_record))
    card = active_card(tmp_path)
    for round_number in range(3):
        order = payments.payment_order_create(
            scope=holder_scope(card.person),
            person=card.person,
            purpose="contribution",
            description="灵活就业缴费",
            amount=Decimal("1200.00"),
            method="card_account",
        ).order
        assert (order.status, order.gateway) == (PaymentOrder.Status.PENDING, "bank")

        results = _deliver_twice_at_once(
            "/api/v1/card/payments/notify/bank",
            {"reference": order.reference, "status": "paid", "amount": "1200.00", "gateway_reference": "B-1"},
        )
        assert _statuses(results) == [200, 200], [result.content for result in results]
        assert [result.json()["status"] for result in results] == ["paid", "paid"]

        order.refresh_from_db()
        assert order.status == PaymentOrder.Status.PAID and order.paid_at is not None
        uses = CardUse.objects.filter(card=card, kind="payment", reference=order.reference)
        assert uses.count() == 1, "the card was debited twice in its use record"
        assert uses.get().amount == Decimal("1200.00")
        changes = AuditEntry.objects.filter(action="card.payment_status", object_id=order.reference)
        # "pending" when the bank took the charge, then "paid" once.
        assert [entry.detail["status"] for entry in changes.order_by("seq")] == ["pending", "paid"]
        assert CardUse.objects.filter(card=card, kind="payment").count() == round_number + 1
