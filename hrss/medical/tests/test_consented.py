"""The institutions' open interface (S4): a designated institution with ``medical:records``
reads a person's visits, bills and costs only with a consent code the person made in the
exchange for a medical institution; the answer is signed, the person sees it among the answers
given about them, and it is audited. A code for a department, a revoked or expired code, a code
used by another institution, or no grant: refused."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrss.codes import examples
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import CITIZEN, Scope
from hrss.exchange import selectors as exchange_selectors
from hrss.exchange import services as exchange
from hrss.exchange.models import Consent, Inquiry
from hrss.identity.clients import agency_client_create
from hrss.medical import consented, services
from hrss.medical.tests.builders import BILL, COMMUNITY, HOSPITAL, PIN, hospital_scope, insured, lines
from hrss.testing import make_user, sign_in

pytestmark = pytest.mark.django_db
PURPOSE = "首诊病史采集"


@pytest.fixture(autouse=True)
def _fast_hashes(settings: Any) -> None:
    """PINs and client secrets hashed cheaply (the suite's time limit), before any is made."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def citizen(person: Any) -> Scope:
    return Scope(actor=f"citizen-{person.pk}", roles=frozenset({CITIZEN}), districts=None, person_id=person.pk)


def visit(scope: Scope, card: Any, transaction_id: str) -> None:
    services.claim_settle(
        scope=scope,
        transaction_id=transaction_id,
        card_number=card.number,
        card_pin=PIN,
        visit=services.Visit(pooling="outpatient", lines=lines(*BILL)),
    )


def reader(code: str = HOSPITAL) -> Scope:
    return hospital_scope(code, consented.GRANT)


@pytest.fixture
def patient(tmp_path: Any) -> tuple[Any, str, Any]:
    """An insured person with one settled visit and a consent code for a medical institution."""
    person, card = insured(tmp_path)
    visit(hospital_scope(COMMUNITY), card, "V-1")
    _row, code = exchange.consent_create(
        scope=citizen(person), recipient="天津市第一中心医院", purpose=PURPOSE, days=7, use="medical"
    )
    return person, code, card


def test_the_institution_reads_visits_with_consent_signed_recorded_and_audited(patient):
    person, code, _card = patient
    result = consented.visits_read(scope=reader(), id_number=person.id_number, consent_code=code, purpose=PURPOSE)
    answer = result["answer"]
    assert answer["kind"] == "medical" and answer["institution"] == HOSPITAL and answer["complete"]
    assert [v["transaction_id"] for v in answer["visits"]] == ["V-1"]
    assert [line["code"] for line in answer["visits"][0]["lines"]] == [c for c, _q, _p in BILL]
    assert answer["visits"][0]["fund"] and person.id_number not in str(answer)
    assert answer["consent"]["purpose"] == PURPOSE and result["jws"].count(".") == 2
    # The person sees the answer; the consent is bound to this institution; the read is audited.
    (inquiry,) = exchange_selectors.inquiries_mine(scope=citizen(person))
    assert inquiry.kind == Inquiry.Kind.MEDICAL and inquiry.client == reader().actor
    consent = Consent.objects.get(person=person)
    assert (consent.uses, consent.client, consent.use) == (1, reader().actor, "medical")
    entry = AuditEntry.objects.get(action="exchange.medical", object_id=str(person.pk))
    assert (entry.actor, entry.purpose) == (reader().actor, PURPOSE)


def test_revoked_and_expired_codes_are_refused(patient):
    person, code, _card = patient
    consent = Consent.objects.get(person=person)
    Consent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(PermissionDenied) as expired:
        consented.visits_read(scope=reader(), id_number=person.id_number, consent_code=code, purpose=PURPOSE)
    assert expired.value.code == "consent_required"
    Consent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    exchange.consent_revoke(scope=citizen(person), consent_id=consent.pk)
    with pytest.raises(PermissionDenied):
        consented.visits_read(scope=reader(), id_number=person.id_number, consent_code=code, purpose=PURPOSE)
    assert not Inquiry.objects.exists() and not AuditEntry.objects.filter(action="exchange.medical").exists()


def test_a_code_for_a_department_opens_no_medical_records_and_a_medical_code_no_history(tmp_path):
    person, _card = insured(tmp_path)
    _row, history_code = exchange.consent_create(scope=citizen(person), recipient="公积金中心", purpose="贷款", days=7)
    with pytest.raises(PermissionDenied):
        consented.visits_read(scope=reader(), id_number=person.id_number, consent_code=history_code, purpose=PURPOSE)
    _row, medical_code = exchange.consent_create(
        scope=citizen(person), recipient="医院", purpose=PURPOSE, days=7, use="medical"
    )
    department = Scope(
        actor="公积金中心",
        roles=frozenset({"agency_client"}),
        districts=None,
        grants=frozenset({exchange.HISTORY_GRANT}),
    )
    with pytest.raises(PermissionDenied):
        exchange.history(scope=department, id_number=person.id_number, consent_code=medical_code, purpose="贷款")


def test_no_grant_another_institution_and_an_unknown_person_are_refused(patient):
    person, code, _card = patient
    with pytest.raises(PermissionDenied) as no_grant:
        consented.visits_read(scope=hospital_scope(), id_number=person.id_number, consent_code=code, purpose=PURPOSE)
    assert no_grant.value.code == "medical_grant_missing"
    consented.visits_read(scope=reader(), id_number=person.id_number, consent_code=code, purpose=PURPOSE)
    with pytest.raises(PermissionDenied):  # the code is bound to the first institution that showed it
        consented.visits_read(scope=reader(COMMUNITY), id_number=person.id_number, consent_code=code, purpose=PURPOSE)
    with pytest.raises(NotFound):
        consented.visits_read(scope=reader(), id_number=examples.ID_NUMBER, consent_code=code, purpose=PURPOSE)


def _hospital_client(actor: str) -> Client:
    credentials = agency_client_create(name=actor, scopes=[consented.GRANT])
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    token = Client().post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")


def test_the_api_answers_in_the_one_error_shape_and_in_constant_queries(patient):
    person, code, card = patient
    hospital = _hospital_client(reader().actor)
    url = "/api/v1/medical/institution/consented-visits"
    body = {"id_number": person.id_number, "consent_code": "WRONG", "purpose": PURPOSE}
    refused = hospital.post(url, body, "application/json")
    assert refused.status_code == 403 and set(refused.json()) == {"code", "message", "fields"}
    assert refused.json()["code"] == "consent_required"

    def count() -> tuple[int, dict[str, Any]]:
        with CaptureQueriesContext(connection) as captured:
            response = hospital.post(url, {**body, "consent_code": code}, "application/json")
        assert response.status_code == 200, response.content
        return len(captured), response.json()

    count()  # warm
    one, answer = count()
    for n in range(4):
        visit(hospital_scope(COMMUNITY), card, f"V-{n + 2}")
    many, answer = count()
    assert len(answer["answer"]["visits"]) == 5
    assert many == one <= 28, (one, many)


def test_the_person_makes_a_code_for_a_medical_institution_on_the_page_and_sees_it_listed(tmp_path):
    person, _card = insured(tmp_path)
    browser = Client()
    sign_in(browser, make_user("consent-page", "citizen", person=person), second_factor=False)
    made = browser.post(
        "/exchange/consents/", {"recipient": "第一中心医院", "purpose": PURPOSE, "days": "3", "use": "medical"}
    )
    assert made.status_code == 302
    assert Consent.objects.get(person=person).use == Consent.Use.MEDICAL
    page = browser.get("/exchange/mine/").content.decode()
    assert "第一中心医院" in page and 'value="medical"' in page
