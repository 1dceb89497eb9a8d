"""Keypad queries for the IVR platform: an agency client with ``hotline:ivr`` checks the
caller (calling number + ID number, then an SMS code), reads the caller's contribution
months, latest payment and latest application as sentences, and every read is audited."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import translation

from hrss.core.models import AuditEntry
from hrss.hotline import keypad
from hrss.hotline.tests.conftest import flush_on_commit
from hrss.identity.clients import agency_client_create
from hrss.insurance import channel_facts
from hrss.insurance.tests.builders import assess, employee, employer
from hrss.notify import backends
from hrss.servicehall.tests.builders import submit

pytestmark = pytest.mark.django_db(transaction=False)
PHONE = "13800138000"


def agency(scopes: list[str], name: str = "12333 IVR") -> Client:
    credentials = agency_client_create(name=name, scopes=scopes)
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    token = Client().post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")


def last_code(phone: str) -> str:
    flush_on_commit()
    for envelope in reversed(backends.outbox):
        found = re.search(r"\b(\d{6})\b", envelope.text) if envelope.recipient == phone else None
        if found:  # the newest one-time code (other notices go to the same phone)
            return found.group(1)
    raise AssertionError(f"no SMS to {phone}")


def keyed(id_number: str) -> str:
    return id_number.replace("X", "*")


def session_for(ivr: Client, city) -> str:
    found = ivr.post(
        "/api/v1/hotline/ivr/identify",
        {"caller": PHONE, "id_number": keyed(city.person.id_number)},
        content_type="application/json",
    )
    assert found.status_code == 200, found.content
    assert "验证码" in found.json()["text"]
    verified = ivr.post(
        "/api/v1/hotline/ivr/verify",
        {"challenge": found.json()["challenge"], "code": last_code(PHONE)},
        content_type="application/json",
    )
    assert verified.status_code == 200, verified.content
    return verified.json()["session"]


def ask(ivr: Client, session: str, query: str):
    return ivr.post("/api/v1/hotline/ivr/query", {"session": session, "query": query}, content_type="application/json")


def test_a_caller_hears_the_latest_application_after_the_identity_check(city):
    application = submit(city)
    ivr = agency(["hotline:ivr"])
    session = session_for(ivr, city)
    answer = ask(ivr, session, "application_status")
    assert answer.status_code == 200 and application.reference in answer.json()["text"]
    assert "失业登记" in answer.json()["text"]
    assert AuditEntry.objects.filter(
        action="hotline.ivr.application_status", object_id=str(city.person.pk), actor="12333 IVR"
    ).exists()


def test_contribution_months_and_the_latest_payment_are_read_from_insurance(city):
    company = employer(name="天津热线测试有限公司")
    worker = employee(company, start=dt.date(2026, 1, 1), name="李娜", phone="13700137000")
    assess(dt.date(2026, 1, 1), 3)
    assert channel_facts.contribution_months(person_id=worker.pk) == {"months": 3}
    facts = channel_facts.latest_payment(person_id=worker.pk)
    assert facts["period"] == dt.date(2026, 3, 1) and facts["individual_fen"] > 0 and facts["employer_fen"] > 0
    with translation.override("zh-hans"):
        assert "3个月" in keypad._speak("contribution_months", {"months": 3})
        spoken = keypad._speak("latest_payment", facts)
    assert "2026" in spoken and f"{facts['individual_fen'] // 100}." in spoken
    # the citizen of the small city has no contributions: said so, not an error
    ivr = agency(["hotline:ivr"])
    session = session_for(ivr, city)
    assert ask(ivr, session, "contribution_months").status_code == 200
    assert ask(ivr, session, "latest_payment").status_code == 200
    assert keypad.query_names() == ["application_status", "contribution_months", "latest_payment"]


def test_a_phone_that_is_not_the_account_of_that_id_number_gets_no_code(city):
    ivr = agency(["hotline:ivr"])
    wrong_phone = ivr.post(
        "/api/v1/hotline/ivr/identify",
        {"caller": "13900139000", "id_number": keyed(city.person.id_number)},
        content_type="application/json",
    )
    assert wrong_phone.status_code == 404 and wrong_phone.json()["code"] == "ivr_identity_unknown"
    bad_number = ivr.post(
        "/api/v1/hotline/ivr/identify",
        {"caller": PHONE, "id_number": "120101199003070000"},
        content_type="application/json",
    )
    assert bad_number.status_code == 422
    flush_on_commit()
    assert not backends.outbox
    assert AuditEntry.objects.filter(action="hotline.ivr.identify", detail__matched=False).exists()


def test_a_wrong_code_a_forged_session_or_another_client_get_nothing(city, settings):
    settings.HRSS_OTP_RESEND_SECONDS = 0
    ivr = agency(["hotline:ivr"])
    found = ivr.post(
        "/api/v1/hotline/ivr/identify",
        {"caller": PHONE, "id_number": keyed(city.person.id_number)},
        content_type="application/json",
    ).json()
    right = last_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    refused = ivr.post(
        "/api/v1/hotline/ivr/verify", {"challenge": found["challenge"], "code": wrong}, content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["code"] == "code_invalid"
    assert ask(ivr, "not-a-session", "application_status").status_code == 401
    session = session_for(ivr, city)
    other = agency(["hotline:ivr"], name="another IVR")  # a session is bound to the client that verified it
    assert ask(other, session, "application_status").status_code == 401
    assert ask(ivr, session, "application_status").status_code == 200
    assert ask(ivr, session, "balance").status_code == 422


def test_only_the_ivr_grant_may_ask(city):
    feed = agency(["servicehall:feed"])
    response = feed.post(
        "/api/v1/hotline/ivr/identify",
        {"caller": PHONE, "id_number": keyed(city.person.id_number)},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (
        Client()
        .post("/api/v1/hotline/ivr/query", {"session": "x", "query": "latest_payment"}, content_type="application/json")
        .status_code
        == 401
    )
