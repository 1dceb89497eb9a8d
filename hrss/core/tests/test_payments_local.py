"""The recording gateway's local confirmation page: it shows the order, applies the app's
callback service with the provider's notification (once), and exists only while the gateway
is the recording one."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from hrss.core import payments
from hrss.core.errors import Conflict

NOTIFY = "hrss.core.tests.test_payments_local.notified"
received: list[tuple[str, dict[str, Any]]] = []


class Order:
    def __init__(self, status: str) -> None:
        self.status = status


def notified(*, gateway_name: str, body: bytes, headers: dict[str, str]) -> Order:
    """A stand-in app's callback service: the gateway reads the body as for a provider."""
    note = payments.gateway_get(gateway_name).notification(body=body, headers=headers)
    if note.amount != Decimal("12.50"):
        raise Conflict("amount differs")
    received.append((gateway_name, json.loads(body)))
    return Order(note.status)


def _start(notify: str = NOTIFY, amount: str = "12.50") -> str:
    charge = payments.Charge(
        reference="T1", amount=Decimal(amount), description="测试费用", method="third_party", notify=notify,
        return_url="/exams/mine/",
    )  # fmt: skip
    result = payments.gateway_get("thirdparty").start(charge)
    assert result.status == "pending"
    return result.redirect_url


@pytest.fixture(autouse=True)
def _clear() -> None:
    received.clear()


def test_a_charge_with_a_callback_is_confirmed_on_the_platform_through_that_callback() -> None:
    url = _start()
    assert url.startswith("/payments/local/")
    page = Client().get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200 and "T1" in text and "测试费用" in text and "12.50" in text and "确认支付" in text
    done = Client().post(url, {"decision": "paid"})
    assert done.status_code == 302 and done["Location"] == "/exams/mine/"
    assert received == [("thirdparty", {"reference": "T1", "status": "paid", "amount": "12.50",
                                        "gateway_reference": received[0][1]["gateway_reference"]})]  # fmt: skip
    assert received[0][1]["gateway_reference"].startswith("REC")
    assert Client().post(url, {"decision": "maybe"}).status_code == 422


def test_a_charge_without_a_callback_keeps_the_placeholder_and_an_app_error_shows_in_the_page() -> None:
    charge = payments.Charge(reference="T2", amount=Decimal("1"), description="x", method="third_party")
    assert payments.gateway_get("thirdparty").start(charge).redirect_url.startswith("https://pay.invalid/")
    wrong = _start(amount="99.00")  # the app refuses the amount
    answer = Client().post(wrong, {"decision": "paid"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 409 and received == []


def test_the_page_is_gone_for_a_signed_gateway_a_forged_link_or_a_callback_outside_hrss(settings: Any) -> None:
    url = _start()
    assert Client().get(url[:-8] + "AAAAAAA/").status_code == 404
    assert Client().get(_start(notify="os.system")).status_code == 404
    settings.HRSS_PAYMENT_GATEWAYS = {
        "thirdparty": {
            "BACKEND": "hrss.core.payments.HttpGateway",
            "OPTIONS": {"base_url": "https://pay.example.cn", "merchant_id": "m", "key": "k" * 40},
        }
    }
    assert Client().get(url).status_code == 404
    assert Client().post(url, {"decision": "paid"}).status_code == 404 and received == []
    settings.HRSS_PAYMENT_GATEWAYS = {}
    assert Client().get(url).status_code == 404
