"""The medical API through the whole stack: the demo hospital's client takes a token with the
demo credentials, settles a visit with the citizen's electronic card code, the citizen sees it
(API and page), and a reversal undoes it — the "Done when" of `make run`."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest
from django.test import Client

from hrss.card.tests.builders import PIN, active_card
from hrss.core.models import AuditEntry
from hrss.medical.demo import CLIENT_NAME, OPENING_BALANCE, demo_medical
from hrss.medical.models import Claim
from hrss.servicehall.tests.builders import bearer
from hrss.testing import make_person, make_user, sign_in

pytestmark = pytest.mark.django_db
BILL = {
    "pooling": "outpatient",
    "lines": [
        {"code": "110200001", "quantity": "1", "unit_price": "50.00"},
        {"code": "C10AA05", "quantity": "28", "unit_price": "5.00"},
        {"code": "ZC-MR-001", "quantity": "1", "unit_price": "60.00"},
        {"code": "HIS-LOCAL-9", "quantity": "2", "unit_price": "15.00", "name": "院内自制敷料"},
    ],
}


def _hospital(client_id: str, secret: str) -> Client:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    token = Client().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": "medical:settle"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert token.status_code == 200, token.content
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")


@pytest.fixture
def demo(tmp_path):
    person = make_person()  # insured by the demo step, with its opening account balance
    card = active_card(tmp_path, person, ecard=True)
    user = make_user("medical-citizen", "citizen", person=person)
    lines = demo_medical(citizen=user, card_number=card.number, card_pin=PIN, monitoring=False)
    client_id, secret = lines[0].split("client id ")[1].split(" (grant")[0].split(" / secret ")
    return user, card, _hospital(client_id, secret)


def test_the_demo_hospital_settles_and_reverses_a_visit_by_electronic_card_code(demo):
    user, _card, hospital = demo
    citizen = bearer(user)
    # The demo's earlier visit on the card is there already.
    assert [c["transaction_id"] for c in citizen.get("/api/v1/medical/me/claims").json()] == ["DEMO-0001"]
    code = citizen.get("/api/v1/card/me/ecard/code").json()["code"]

    quote = hospital.post("/api/v1/medical/institution/presettle", {**BILL, "ecard_code": code}, "application/json")
    assert quote.status_code == 200, quote.content
    body = {**BILL, "ecard_code": code, "transaction_id": "HIS-0001"}
    settled = hospital.post("/api/v1/medical/institution/settlements", body, "application/json")
    assert settled.status_code == 200, settled.content
    answer = settled.json()
    # 50 (A) + 140 (B, 14 first) + 60 (C) + 30 (not in the catalogue) = 280; in scope 176.
    assert (answer["total"], answer["out_of_catalogue"], answer["class_b_self_pay"], answer["scope"]) == (
        "280.00",
        "90.00",
        "14.00",
        "176.00",
    )
    assert Decimal(answer["fund"]) + Decimal(answer["account"]) + Decimal(answer["cash"]) == Decimal("280.00")
    assert Decimal(answer["account"]) > 0  # the patient's share from the personal account first
    assert answer["fund"] == quote.json()["fund"]
    assert [line["klass"] for line in answer["lines"]] == ["A", "B", "C", "C"]
    assert answer["lines"][3]["name"] == "院内自制敷料"
    # A retry of the same request answers the same settlement.
    again = hospital.post("/api/v1/medical/institution/settlements", body, "application/json")
    assert again.status_code == 200 and again.json() == answer
    assert Claim.objects.filter(transaction_id="HIS-0001").count() == 1

    mine = citizen.get("/api/v1/medical/me/claims").json()
    assert {c["transaction_id"] for c in mine} == {"DEMO-0001", "HIS-0001"}
    page = sign_in(Client(), user).get("/medical/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "天津医科大学总医院" in text and "院内自制敷料" in text and "280.00" in text

    reversal = hospital.post(
        "/api/v1/medical/institution/settlements/HIS-0001/reversal",
        {"transaction_id": "HIS-0001-R"},
        "application/json",
    )
    assert reversal.status_code == 200, reversal.content
    assert reversal.json()["total"] == "-280.00" and reversal.json()["original_transaction_id"] == "HIS-0001"
    read_back = hospital.get("/api/v1/medical/institution/settlements/HIS-0001").json()
    assert read_back["reversed"] is True
    insurance = citizen.get("/api/v1/medical/me/insurance").json()
    assert (
        Decimal(insurance["account_balance"]) == OPENING_BALANCE - Claim.objects.get(transaction_id="DEMO-0001").account
    )
    assert AuditEntry.objects.filter(actor=CLIENT_NAME, action="medical.settle").count() == 2
    assert AuditEntry.objects.filter(actor=CLIENT_NAME, action="medical.claim.read").exists()


def test_refusals_in_the_one_error_shape(demo):
    user, card, hospital = demo
    bad = hospital.post("/api/v1/medical/institution/settlements", {**BILL, "transaction_id": "X"}, "application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "medical_identity_missing"
    stale = hospital.post(
        "/api/v1/medical/institution/settlements",
        {**BILL, "transaction_id": "X", "ecard_code": "garbage"},
        "application/json",
    )
    assert stale.status_code == 422 and stale.json()["code"] == "ecard_code_invalid"
    assert hospital.get("/api/v1/medical/institution/settlements/nothing").status_code == 404
    # A citizen is no institution, and an institution has no "me".
    citizen = bearer(user)
    refused = citizen.post(
        "/api/v1/medical/institution/settlements",
        {**BILL, "card_number": card.number, "card_pin": PIN, "transaction_id": "X"},
        "application/json",
    )
    assert refused.status_code == 403
    assert hospital.get("/api/v1/medical/me/claims").status_code == 403
    assert not Claim.objects.filter(transaction_id="X").exists()


def test_reference_data_is_public(db):
    anyone = Client()
    catalogue = anyone.get("/api/v1/medical/catalogue", {"klass": "B"}).json()
    assert catalogue and all(item["klass"] == "B" and item["source"] for item in catalogue)
    assert any(i["code"] == "H12010100001" for i in anyone.get("/api/v1/medical/institutions").json())


def test_the_demo_plants_anomalies_the_monitoring_raises_and_says_the_same_twice(demo, tmp_path):
    from hrss.medical.models import MonitoringFlag

    user, card, _hospital = demo  # the hospital's client and the one visit, without the planted ones
    first = demo_medical(citizen=user, card_number=card.number, card_pin=PIN)
    again = demo_medical(citizen=user, card_number=card.number, card_pin=PIN)
    assert first == again and "4 cases" in first[-1]
    assert sorted(MonitoringFlag.objects.values_list("rule", flat=True)) == [
        "duplicate_billing",
        "early_refill",
        "quantity_limit",
        "sex_age",
    ]
