"""Online payment of a flexible worker's assessed months (S1, S2): due months, start, the
provider's callback (authenticated, amount checked, applied once), Payment rows and account
credits as a bank file would post them, scope, pages, and production's gateway refusals."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
from decimal import Decimal

import httpx
import pytest
from django.test import Client

from hrss.core import payments as gateways
from hrss.core.errors import InvalidInput, NotFound
from hrss.core.signing import self_signed_pem
from hrss.identity.auth import token_create
from hrss.insurance import rules, services
from hrss.insurance.models import AccountEntry, OnlinePayment, Payment, PaymentFile
from hrss.insurance.selectors import payments as payment_reads
from hrss.insurance.selectors.payments import due_fen, paid_fen
from hrss.insurance.services import online_payment
from hrss.insurance.tests.builders import citizen, clerk, employee, flexible_worker
from hrss.testing import make_employer, make_user

pytestmark = pytest.mark.django_db
BASE = "/api/v1/insurance"
MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)
MONTH_DUE = Decimal("1671.00")  # 8355 × 20 %
MONTH_ACCOUNT = Decimal("668.40")  # 8355 × 8 % to the personal account
KEY = "k" * 40


def bearer(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}", HTTP_ACCEPT_LANGUAGE="en")


def notify(client, body, gateway="thirdparty", **headers):
    return client.post(f"{BASE}/payments/notify/{gateway}", data=body, content_type="application/json", **headers)


def paid_body(reference, amount, status="paid"):
    return json.dumps({"reference": reference, "status": status, "amount": str(amount), "gateway_reference": "G1"})


@pytest.fixture
def rider():
    person = flexible_worker(base=Decimal("8355"), name="骑手", start=dt.date(2025, 1, 1))
    services.contribution_assess_month(period=MARCH)
    services.contribution_assess_month(period=APRIL)
    return person


@pytest.fixture
def api(rider):
    return bearer(make_user("rider", "citizen", person=rider))


@pytest.fixture(autouse=True)
def _recording_gateways(settings):
    settings.HRSS_PAYMENT_GATEWAYS = None
    settings.HRSS_CARD_PAYMENT_GATEWAYS = None
    gateways.charges.clear()
    yield
    gateways.charges.clear()


# --- due months and starting a payment ----------------------------------------------------------


def test_due_months_are_what_was_assessed_less_what_was_paid(rider, api):
    body = api.get(f"{BASE}/me/payments").json()
    assert [(m["period"], m["due"], m["paid"], m["outstanding"]) for m in body["due"]] == [
        ("2025-03", "1671.00", "0.00", "1671.00"),
        ("2025-04", "1671.00", "0.00", "1671.00"),
    ]
    assert body["total_outstanding"] == "3342.00" and body["payments"] == []
    services.payment_file_post(
        scope=clerk(),
        stream=io.BytesIO(
            f"credit_code,id_number,period,amount,paid_on,reference\n,{rider.id_number},2025-03,100.00,2025-03-20,B1\n".encode()
        ),
        filename="bank.csv",
        source="bank",
    )
    [march, april] = payment_reads.due_months(scope=citizen(rider), person_id=rider.pk)
    for month in (march, april):  # the same figures as the file posting's due_fen / paid_fen
        assert month.outstanding == rules.from_fen(
            due_fen(period=month.period, person_id=rider.pk) - paid_fen(period=month.period, person_id=rider.pk)
        )
    assert (march.paid, march.outstanding) == (Decimal("100.00"), Decimal("1571.00"))


def test_the_amount_is_computed_here_and_a_retry_returns_the_open_payment(rider, api):
    response = api.post(
        f"{BASE}/me/payments", {"months": ["2025-03"], "amount": "0.01"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    order = response.json()
    assert (order["months"], order["amount"], order["status"], order["gateway"]) == (
        ["2025-03"],
        "1671.00",
        "pending",
        "thirdparty",
    )
    assert order["redirect_url"].startswith("https://")
    [(gateway, charge)] = gateways.charges
    assert gateway == "thirdparty" and charge.amount == MONTH_DUE and charge.reference == order["reference"]
    again = api.post(f"{BASE}/me/payments", {"months": ["2025-03"]}, content_type="application/json")
    assert again.status_code == 200 and again.json()["reference"] == order["reference"]
    assert len(gateways.charges) == 1 and OnlinePayment.objects.count() == 1
    overlapping = api.post(f"{BASE}/me/payments", {"months": ["2025-04", "2025-03"]}, content_type="application/json")
    assert overlapping.status_code == 409
    assert overlapping.json()["code"] == "payment_pending" and overlapping.json()["fields"]["months"] == "2025-03"
    listed = api.get(f"{BASE}/me/payments").json()
    assert [m["pending_reference"] for m in listed["due"]] == [order["reference"], ""]
    assert [p["reference"] for p in listed["payments"]] == [order["reference"]]


def test_bad_months_are_refused_in_the_house_shape(rider, api):
    chinese = Client(HTTP_AUTHORIZATION=api.defaults["HTTP_AUTHORIZATION"], HTTP_ACCEPT_LANGUAGE="zh-hans")
    refused = chinese.post(f"{BASE}/me/payments", {"months": ["2025-06"]}, content_type="application/json").json()
    assert refused["message"] == "所选月份没有应缴费用。" and refused["fields"] == {"2025-06": "无应缴费用"}
    for months in ([], ["2025-13"], ["march"]):
        response = api.post(f"{BASE}/me/payments", {"months": months}, content_type="application/json")
        assert response.status_code == 422 and response.json()["code"] == "invalid_input", months
    nothing = api.post(f"{BASE}/me/payments", {"months": ["2025-03", "2025-06"]}, content_type="application/json")
    assert nothing.status_code == 409
    assert nothing.json() == {
        "code": "nothing_due",
        "message": "Nothing is due for these months.",
        "fields": {"2025-06": "nothing due"},
    }
    assert not OnlinePayment.objects.exists()


# --- the provider's callback ---------------------------------------------------------------------


def test_a_paid_callback_posts_payments_once_and_credits_the_account(rider, api):
    reference = api.post(
        f"{BASE}/me/payments", {"months": ["2025-03", "2025-04"]}, content_type="application/json"
    ).json()["reference"]
    anonymous = Client()
    response = notify(anonymous, paid_body(reference, "3342.00"))
    assert response.status_code == 200 and response.json() == {"reference": reference, "status": "paid"}

    order = OnlinePayment.objects.get(reference=reference)
    assert order.status == "paid" and order.paid_at and order.gateway_reference == "G1"
    posted = order.payment_file
    assert (posted.source, posted.rows_total, posted.rows_matched, posted.rows_different) == ("online", 2, 2, 0)
    rows = list(Payment.objects.filter(file=posted).order_by("period"))
    assert [(p.period, p.amount_fen, p.outcome, p.due_fen, p.difference_fen, p.reference) for p in rows] == [
        (MARCH, 167100, "matched", 167100, 0, reference),
        (APRIL, 167100, "matched", 167100, 0, reference),
    ]
    entries = AccountEntry.objects.filter(person=rider, kind="contribution").order_by("posted_on")
    assert [(e.posted_on, rules.from_fen(e.amount_fen)) for e in entries] == [
        (MARCH, MONTH_ACCOUNT),
        (APRIL, MONTH_ACCOUNT),
    ]

    # The provider calls again (and again, late, with "failed"): nothing changes.
    assert notify(anonymous, paid_body(reference, "3342.00")).json()["status"] == "paid"
    assert notify(anonymous, paid_body(reference, "3342.00", status="failed")).json()["status"] == "paid"
    assert Payment.objects.count() == 2 and PaymentFile.objects.count() == 1 and entries.count() == 2
    assert api.get(f"{BASE}/me/payments").json()["due"] == []
    nothing = api.post(f"{BASE}/me/payments", {"months": ["2025-03"]}, content_type="application/json")
    assert nothing.status_code == 409 and nothing.json()["code"] == "nothing_due"


def test_a_wrong_amount_or_an_unknown_order_is_refused_and_posts_nothing(rider, api):
    reference = api.post(f"{BASE}/me/payments", {"months": ["2025-03"]}, content_type="application/json").json()[
        "reference"
    ]
    wrong = notify(Client(), paid_body(reference, "1.00"))
    assert wrong.status_code == 409 and wrong.json()["code"] == "payment_amount_mismatch"
    unknown = notify(Client(), paid_body("OP-NOT-OURS", "1671.00"))
    assert unknown.status_code == 404 and unknown.json()["code"] == "payment_unknown"
    unreadable = notify(Client(), "{not json")  # refused at the edge, before any gateway code
    assert unreadable.status_code == 400 and unreadable.json()["code"] == "malformed_json"
    no_gateway = notify(Client(), paid_body(reference, "1671.00"), gateway="nobank")
    assert no_gateway.status_code == 404 and no_gateway.json()["code"] == "payment_gateway_unknown"
    assert not Payment.objects.exists() and OnlinePayment.objects.get().status == "pending"


def test_a_signing_gateway_refuses_forged_callbacks_and_accepts_signed_ones(rider, api, settings):
    def provider(request: httpx.Request) -> httpx.Response:
        expected = gateways.sign(KEY, request.headers[gateways.TIMESTAMP_HEADER], request.content)
        if request.headers[gateways.SIGNATURE_HEADER] != expected:
            return httpx.Response(401)
        return httpx.Response(
            200, json={"status": "pending", "gateway_reference": "W-9", "redirect_url": "https://pay.test/W-9"}
        )

    settings.HRSS_PAYMENT_GATEWAYS = {
        "thirdparty": {
            "BACKEND": "hrss.core.payments.HttpGateway",
            "OPTIONS": {
                "base_url": "https://pay.test",
                "merchant_id": "M1",
                "key": KEY,
                "transport": httpx.MockTransport(provider),
            },
        }
    }
    started = api.post(f"{BASE}/me/payments", {"months": ["2025-03"]}, content_type="application/json").json()
    assert (started["status"], started["redirect_url"]) == ("pending", "https://pay.test/W-9")
    body = paid_body(started["reference"], "1671.00").encode()
    stamp = str(int(time.time()))

    forged = notify(Client(), body, HTTP_X_HRSS_TIMESTAMP=stamp, HTTP_X_HRSS_SIGNATURE="0" * 64)
    assert forged.status_code == 403 and forged.json()["code"] == "payment_notification_forged"
    unsigned = notify(Client(), body)
    assert unsigned.status_code == 403
    other_key = notify(
        Client(), body, HTTP_X_HRSS_TIMESTAMP=stamp, HTTP_X_HRSS_SIGNATURE=gateways.sign("x" * 40, stamp, body)
    )
    assert other_key.status_code == 403
    assert not Payment.objects.exists()

    signed = notify(Client(), body, HTTP_X_HRSS_TIMESTAMP=stamp, HTTP_X_HRSS_SIGNATURE=gateways.sign(KEY, stamp, body))
    assert signed.status_code == 200 and signed.json()["status"] == "paid"
    assert Payment.objects.get().outcome == "matched"


def test_a_provider_that_cannot_be_reached_charges_nothing_and_a_retry_asks_again(rider, settings):
    def down(request):
        raise httpx.ConnectError("down")

    options = {"base_url": "https://pay.test", "merchant_id": "M1", "key": KEY}
    settings.HRSS_PAYMENT_GATEWAYS = {
        "thirdparty": {
            "BACKEND": "hrss.core.payments.HttpGateway",
            "OPTIONS": {**options, "transport": httpx.MockTransport(down)},
        }
    }
    api = bearer(make_user("rider2", "citizen", person=rider))
    response = api.post(f"{BASE}/me/payments", {"months": ["2025-03"]}, content_type="application/json")
    assert response.status_code == 502 and response.json()["code"] == "payment_gateway_error"
    order = OnlinePayment.objects.get()
    assert order.status == "created"
    up = httpx.MockTransport(
        lambda request: httpx.Response(200, json={"status": "pending", "gateway_reference": "W-1"})
    )
    settings.HRSS_PAYMENT_GATEWAYS = {
        "thirdparty": {"BACKEND": "hrss.core.payments.HttpGateway", "OPTIONS": {**options, "transport": up}}
    }
    retry = api.post(f"{BASE}/me/payments", {"months": ["2025-03"]}, content_type="application/json")
    assert retry.status_code == 200 and retry.json()["reference"] == order.reference
    assert retry.json()["status"] == "pending" and OnlinePayment.objects.count() == 1


def test_no_configured_provider_says_online_payment_is_unavailable(rider, settings):
    settings.HRSS_PAYMENT_GATEWAYS = {}
    with pytest.raises(online_payment.PaymentUnavailable) as refused:
        online_payment.online_payment_start(scope=citizen(rider), person_id=rider.pk, months=["2025-03"])
    assert refused.value.code == "online_payment_unavailable" and not OnlinePayment.objects.exists()


def test_a_failed_payment_frees_its_months(rider):
    started = online_payment.online_payment_start(scope=citizen(rider), person_id=rider.pk, months=["2025-03"])
    body = paid_body(started.payment.reference, "1671.00", status="failed").encode()
    failed = online_payment.online_payment_notification_apply(gateway_name="thirdparty", body=body, headers={})
    assert failed.status == "failed" and not Payment.objects.exists()
    again = online_payment.online_payment_start(scope=citizen(rider), person_id=rider.pk, months=["2025-03"])
    assert again.created and again.payment.reference != started.payment.reference


def test_a_payment_posts_with_the_file_outcomes_when_the_bank_paid_part_meanwhile(rider):
    started = online_payment.online_payment_start(scope=citizen(rider), person_id=rider.pk, months=[MARCH])
    services.payment_file_post(
        scope=clerk(),
        stream=io.BytesIO(
            f"credit_code,id_number,period,amount,paid_on,reference\n,{rider.id_number},2025-03,100.00,2025-03-20,B1\n".encode()
        ),
        filename="bank.csv",
        source="bank",
    )
    body = paid_body(started.payment.reference, "1671.00").encode()
    online_payment.online_payment_notification_apply(gateway_name="thirdparty", body=body, headers={})
    payment = Payment.objects.get(file__source="online")
    assert (payment.outcome, payment.due_fen, payment.difference_fen) == ("overpaid", 157100, 10000)
    [entry] = payment.file.report
    assert entry["outcome"] == "overpaid" and entry["difference"] == "100.00" and "********" in entry["payer"]
    assert AccountEntry.objects.filter(person=rider, posted_on=MARCH).count() == 1  # settled: credited


def test_a_stale_open_payment_is_superseded_and_a_late_payment_of_it_still_counts(rider):
    first = online_payment.online_payment_start(scope=citizen(rider), person_id=rider.pk, months=["2025-03"])
    with pytest.raises(online_payment.PaymentPending):
        online_payment.online_payment_start(scope=citizen(rider), person_id=rider.pk, months=["2025-03", "2025-04"])
    OnlinePayment.objects.filter(pk=first.payment.pk).update(
        created_at=first.payment.created_at - dt.timedelta(minutes=payment_reads.PENDING_MINUTES + 1)
    )
    second = online_payment.online_payment_start(
        scope=citizen(rider), person_id=rider.pk, months=["2025-03", "2025-04"]
    )
    assert second.created and OnlinePayment.objects.get(pk=first.payment.pk).status == "expired"
    late = paid_body(first.payment.reference, "1671.00").encode()
    assert (
        online_payment.online_payment_notification_apply(gateway_name="thirdparty", body=late, headers={}).status
        == "paid"
    )
    assert Payment.objects.get(period=MARCH).outcome == "matched"


# --- who may pay --------------------------------------------------------------------------------


def test_an_employee_is_told_online_payment_is_for_flexible_workers(rider):
    worker = employee(make_employer(name="工厂"), name="职工")
    services.contribution_assess_month(period=MARCH)
    client = bearer(make_user("worker", "citizen", person=worker))
    for response in (
        client.get(f"{BASE}/me/payments"),
        client.post(f"{BASE}/me/payments", {"months": ["2025-03"]}, content_type="application/json"),
    ):
        assert response.status_code == 409 and response.json()["code"] == "not_flexible_worker"


def test_one_citizen_can_neither_see_nor_pay_anothers_months(rider):
    other = flexible_worker(name="别人")
    with pytest.raises(NotFound):
        payment_reads.due_months(scope=citizen(other), person_id=rider.pk)
    with pytest.raises(NotFound):
        online_payment.online_payment_start(scope=citizen(other), person_id=rider.pk, months=["2025-03"])
    with pytest.raises(NotFound):
        payment_reads.online_payments_for(scope=citizen(other), person_id=rider.pk)
    with pytest.raises(NotFound):  # staff do not pay in a citizen's name online either
        online_payment.online_payment_start(scope=clerk(), person_id=rider.pk, months=["2025-03"])
    unbound = bearer(make_user("nobody", "citizen"))
    assert unbound.get(f"{BASE}/me/payments").status_code == 403
    assert Client().get(f"{BASE}/me/payments").status_code == 401
    with pytest.raises(InvalidInput):
        online_payment.online_payment_start(scope=citizen(rider), person_id=rider.pk, months=[])


# --- the citizen's page ---------------------------------------------------------------------------


def test_the_insurance_page_lists_due_months_and_pays_with_htmx(rider):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("rider", "citizen", person=rider))
    text = client.get("/insurance/").content.decode()
    assert "Contributions to pay" in text and "2025-04" in text and "3,342.00 yuan" in text
    assert 'hx-post="/insurance/pay/"' in text
    response = client.post("/insurance/pay/", {"months": ["2025-03"]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    order = OnlinePayment.objects.get()
    assert order.reference in fragment and "Go to the payment page" in fragment and order.redirect_url in fragment
    refused = client.post("/insurance/pay/", {"months": ["2025-06"]}, HTTP_HX_REQUEST="true").content.decode()
    assert "Nothing is due for these months." in refused and 'role="alert"' in refused
    plain = client.post("/insurance/pay/", {"months": ["2025-04"]})
    assert plain.status_code == 302 and plain["Location"].startswith("https://pay.invalid/")


def test_the_page_of_an_employee_has_no_payment_section():
    worker = employee(make_employer(name="工厂"), name="职工")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("worker", "citizen", person=worker))
    assert "Contributions to pay" not in client.get("/insurance/").content.decode()


# --- production refuses gateways that would accept forged callbacks ----------------------------------


def _production(tmp_path, **env):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HRSS_")}
    clean.update(
        DJANGO_SETTINGS_MODULE="hrss.settings.production",
        HRSS_VAR_DIR=str(tmp_path),
        HRSS_SECRET_KEY="production-secret-key-with-enough-entropy-0123456789-abcdefghij",
        HRSS_FIELD_KEYS="k1:" + base64.b64encode(os.urandom(32)).decode(),
        HRSS_BLIND_INDEX_KEY="production-blind-index-key",
        HRSS_CARD_TOKEN_KEY="production-card-token-key-0123456789",
        HRSS_AUDIT_SIGNING_KEY="AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        HRSS_TRAINING_CERTIFICATE_KEY="ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
        HRSS_OIDC_PRIVATE_KEY=pem,
        HRSS_DOCUMENT_SIGNING_PEM=self_signed_pem("test bureau"),
        HRSS_LAKE_KEY=base64.b64encode(os.urandom(32)).decode(),
        **env,
    )
    code = "import django, json; django.setup(); from hrss.core.payments import gateway_names; print(json.dumps(gateway_names()))"
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)


def _gateways(backend, **options):
    return json.dumps({"thirdparty": {"BACKEND": backend, "OPTIONS": options}})


def test_production_refuses_the_recording_gateway_and_unsigned_http_gateways(tmp_path):
    recording = _production(tmp_path, HRSS_PAYMENT_GATEWAYS=_gateways("hrss.core.payments.RecordingGateway"))
    assert recording.returncode != 0 and "recording gateway" in recording.stderr
    legacy = _production(tmp_path, HRSS_CARD_PAYMENT_GATEWAYS=_gateways("hrss.core.payments.RecordingGateway"))
    assert legacy.returncode != 0 and "recording gateway" in legacy.stderr
    unsigned = _production(
        tmp_path,
        HRSS_PAYMENT_GATEWAYS=_gateways(
            "hrss.core.payments.HttpGateway", base_url="https://pay.example", merchant_id="M", key=""
        ),
    )
    assert unsigned.returncode != 0 and "signing key" in unsigned.stderr
    plain_http = _production(
        tmp_path,
        HRSS_PAYMENT_GATEWAYS=_gateways(
            "hrss.core.payments.HttpGateway", base_url="http://pay.example", merchant_id="M", key=KEY
        ),
    )
    assert plain_http.returncode != 0 and "https://" in plain_http.stderr
    not_json = _production(tmp_path, HRSS_PAYMENT_GATEWAYS="{bank")
    assert not_json.returncode != 0 and "not valid JSON" in not_json.stderr
    signed_options = {"base_url": "https://pay.example", "merchant_id": "M", "key": KEY}
    # An unsigned gateway left in the older card-only setting is refused even when the
    # bureau-wide setting is set (it used to be skipped, and came back when that one was removed).
    both = _production(
        tmp_path,
        HRSS_PAYMENT_GATEWAYS=_gateways("hrss.core.payments.HttpGateway", **signed_options),
        HRSS_CARD_PAYMENT_GATEWAYS=_gateways("hrss.core.payments.HttpGateway", base_url="https://b.example", key=""),
    )
    assert both.returncode != 0 and "HRSS_CARD_PAYMENT_GATEWAYS: payment gateway 'thirdparty' needs a signing key" in (
        both.stderr
    )
    # A backend production cannot tell checks signatures (a renamed recorder, say) is refused.
    unknown = _production(tmp_path, HRSS_PAYMENT_GATEWAYS=_gateways("mybank.gateways.Gateway", **signed_options))
    assert unknown.returncode != 0 and "production accepts only a signed gateway" in unknown.stderr
    # The older module path of the gateway (hrss.card.payments, gone) is refused, not loaded later.
    moved = _production(
        tmp_path, HRSS_CARD_PAYMENT_GATEWAYS=_gateways("hrss.card.payments.HttpGateway", **signed_options)
    )
    assert moved.returncode != 0 and "production accepts only a signed gateway" in moved.stderr
    legacy_signed = _production(
        tmp_path, HRSS_CARD_PAYMENT_GATEWAYS=_gateways("hrss.core.payments.HttpGateway", **signed_options)
    )
    assert legacy_signed.returncode == 0, legacy_signed.stderr
    assert json.loads(legacy_signed.stdout) == ["thirdparty"]

    signed = _production(
        tmp_path,
        HRSS_PAYMENT_GATEWAYS=_gateways(
            "hrss.core.payments.HttpGateway", base_url="https://pay.example", merchant_id="M", key=KEY
        ),
    )
    assert signed.returncode == 0, signed.stderr
    assert json.loads(signed.stdout) == ["thirdparty"]
    none = _production(tmp_path)  # no provider: no online payment, and never the recording defaults
    assert none.returncode == 0, none.stderr
    assert json.loads(none.stdout) == []


def test_the_gateway_check_itself():
    assert gateways.gateway_config_problems(gateways.DEFAULT_GATEWAYS)  # development's defaults are unfit
    assert gateways.gateway_config_problems({"x": {}}) == ["HRSS_PAYMENT_GATEWAYS: payment gateway 'x' has no BACKEND"]
    assert gateways.gateway_config_problems([]) != []
    fit = {
        "BACKEND": "hrss.core.payments.HttpGateway",
        "OPTIONS": {"base_url": "https://p", "merchant_id": "m", "key": KEY},
    }
    assert gateways.gateway_config_problems({"thirdparty": fit}) == []


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "abc", None])
def test_an_unreadable_amount_is_refused_not_a_server_error(rider, api, amount):
    reference = api.post(f"{BASE}/me/payments", {"months": ["2025-03"]}, content_type="application/json").json()[
        "reference"
    ]
    body = json.dumps({"reference": reference, "status": "paid", "amount": amount})
    response = notify(Client(HTTP_ACCEPT_LANGUAGE="en"), body)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert not Payment.objects.exists()
