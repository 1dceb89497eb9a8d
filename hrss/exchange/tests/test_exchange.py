"""Inter-agency exchange (S3, A6, S7): a department system with a grant asks under a declared
purpose and gets a minimised answer signed with the bureau's key; the answer verifies against
the published JWKS and fails when altered; every answer is recorded for the person and in the
audit chain; requests are rate-limited; the history needs the person's consent code."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone
from jwcrypto import jwk, jws

from hrss.archive import services as archive
from hrss.archive.tests.builders import insured
from hrss.core import scope as roles
from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.exchange import services, signing
from hrss.exchange.models import Consent, Inquiry
from hrss.identity.clients import agency_client_create
from hrss.insurance.tests import builders as insurance
from hrss.testing import make_person, make_user

pytestmark = pytest.mark.django_db


def agency(*grants: str, name: str = "市住房公积金管理中心") -> Scope:
    return Scope(actor=name, roles=frozenset({roles.AGENCY_CLIENT}), districts=None, grants=frozenset(grants))


def verified_payload(token: str, keys: dict) -> dict:
    """The JWS checked against the published key set (the way a receiving system does it)."""
    keyset = jwk.JWKSet.from_json(json.dumps(keys))
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    signed = jws.JWS()
    signed.deserialize(token)
    signed.verify(keyset.get_key(header["kid"]), alg="RS256")
    return json.loads(signed.payload)


def test_status_answers_yes_or_no_and_the_answer_verifies_against_the_jwks():
    person, _firm = insured(months=2)
    result = services.status(
        scope=agency(services.STATUS_GRANT),
        id_number=person.id_number,
        questions=["alive", "insured", "drawing_pension"],
        purpose="公积金缴存核验",
    )
    answer = result["answer"]
    assert answer["answers"] == {"alive": True, "insured": True, "drawing_pension": False}
    assert person.id_number not in json.dumps(answer, ensure_ascii=False) and person.name not in str(answer)
    keys = Client().get("/api/v1/exchange/jwks").json()
    assert verified_payload(result["jws"], keys) == json.loads(signing.canonical(answer))
    assert keys["keys"][0]["x5c"], "the key travels with the bureau's certificate"


def test_an_altered_answer_fails_verification():
    person, _firm = insured(months=1)
    token = services.status(
        scope=agency(services.STATUS_GRANT), id_number=person.id_number, questions=["insured"], purpose="核验"
    )["jws"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["answers"]["insured"] = False
    forged = base64.urlsafe_b64encode(signing.canonical(claims)).rstrip(b"=").decode()
    with pytest.raises(jws.InvalidJWSSignature):
        verified_payload(f"{header}.{forged}.{signature}", signing.jwks())


def test_a_person_not_insured_is_answered_no_and_the_dead_not_alive():
    person = make_person(name="未参保")
    person.status = person.Status.DECEASED
    person.save(update_fields=["status"])
    answer = services.status(
        scope=agency(services.STATUS_GRANT), id_number=person.id_number, questions=["alive", "insured"], purpose="核验"
    )["answer"]
    assert answer["answers"] == {"alive": False, "insured": False}


def test_the_caller_needs_the_grant_a_purpose_known_questions_and_a_registered_person():
    person, _firm = insured(months=1)
    ask = {"id_number": person.id_number, "questions": ["insured"], "purpose": "核验"}
    with pytest.raises(PermissionDenied):
        services.status(scope=agency(services.HISTORY_GRANT), **ask)
    with pytest.raises(PermissionDenied):
        services.status(scope=insurance.citizen(person), **ask)
    with pytest.raises(InvalidInput):
        services.status(scope=agency(services.STATUS_GRANT), **{**ask, "purpose": " "})
    with pytest.raises(InvalidInput):
        services.status(scope=agency(services.STATUS_GRANT), **{**ask, "questions": ["salary"]})
    with pytest.raises(NotFound):
        services.status(scope=agency(services.STATUS_GRANT), **{**ask, "id_number": make_id()})
    assert not Inquiry.objects.exists()


def make_id() -> str:
    from hrss.testing import make_id_number

    return make_id_number(district="120104")


def test_every_answer_is_recorded_for_the_person_and_audited_with_its_purpose():
    person, _firm = insured(months=1)
    services.status(
        scope=agency(services.STATUS_GRANT), id_number=person.id_number, questions=["alive"], purpose="低保审核"
    )
    inquiry = Inquiry.objects.get(person=person)
    assert inquiry.client == "市住房公积金管理中心" and inquiry.purpose == "低保审核"
    audit = AuditEntry.objects.get(action="exchange.status", object_id=str(person.pk))
    assert audit.purpose == "低保审核" and audit.actor == "市住房公积金管理中心"
    citizen = Client()
    citizen.force_login(make_user("exchange_citizen", roles.CITIZEN, person=person))
    page = citizen.get("/exchange/mine/").content.decode()
    assert "市住房公积金管理中心" in page and "低保审核" in page
    listed = citizen.get("/api/v1/exchange/inquiries").json()
    assert [row["purpose"] for row in listed] == ["低保审核"]


def test_a_system_is_rate_limited_per_minute(settings, monkeypatch):
    settings.HRSS_EXCHANGE_RATE_PER_MINUTE = 2
    minute = 29_000_000
    monkeypatch.setattr(services, "_minute", lambda: minute)  # the three requests in one minute
    person, _firm = insured(months=1)
    scope = agency(services.STATUS_GRANT, name="限流测试系统")
    for _ in range(2):
        services.status(scope=scope, id_number=person.id_number, questions=["alive"], purpose="核验")
    with pytest.raises(services.RateLimited):
        services.status(scope=scope, id_number=person.id_number, questions=["alive"], purpose="核验")
    other = agency(services.STATUS_GRANT, name="另一系统")
    services.status(scope=other, id_number=person.id_number, questions=["alive"], purpose="核验")
    minute += 1  # the next minute counts afresh
    services.status(scope=scope, id_number=person.id_number, questions=["alive"], purpose="核验")


def test_the_minutes_first_answer_costs_the_cache_what_any_other_does():
    """Query-count tests of the exchange's answers must not depend on where in the minute the
    request falls: opening the minute's counter costs the shared cache what counting does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            services._rate("计数一致系统")
        return len(captured)

    assert cost() == cost() == cost()


def test_a_certificate_is_verified_only_with_its_holders_id_number():
    person, _firm = insured(months=1)
    row = archive.certificate_issue(
        scope=insurance.citizen(person), kind="insurance.contributions", base_url="http://testserver/"
    )
    scope = agency(services.CERTIFICATE_GRANT)
    good = services.certificate(
        scope=scope, kind="bureau_certificate", number=row.number, id_number=person.id_number, purpose="入职核验"
    )["answer"]
    assert good["valid"] and good["holder_matches"] and good["title"] == "参保缴费证明"
    other = make_person(name="冒用者")
    wrong = services.certificate(
        scope=scope, kind="bureau_certificate", number=row.number, id_number=other.id_number, purpose="入职核验"
    )["answer"]
    assert wrong["found"] and not wrong["holder_matches"] and not wrong["valid"] and wrong["title"] == ""
    missing = services.certificate(
        scope=scope, kind="bureau_certificate", number="ZM20260101-XXXXXXXX", id_number=person.id_number, purpose="核验"
    )["answer"]
    assert not missing["found"] and not missing["valid"]
    with pytest.raises(InvalidInput):
        services.certificate(scope=scope, kind="diploma", number="1", id_number=person.id_number, purpose="核验")


def test_the_history_needs_a_live_consent_code_of_the_person():
    person, _firm = insured(months=3)
    scope = agency(services.HISTORY_GRANT)
    ask = {"scope": scope, "id_number": person.id_number, "purpose": "公积金贷款"}
    with pytest.raises(PermissionDenied):
        services.history(**ask, consent_code="2222222222")
    consent, code = services.consent_create(
        scope=insurance.citizen(person), recipient="市住房公积金管理中心", purpose="公积金贷款", days=7
    )
    answer = services.history(**ask, consent_code=code.lower())["answer"]
    assert answer["name"] == person.name
    assert any(section["key"].startswith("insurance.") for section in answer["sections"])
    assert all(not section["key"].startswith(("labor.", "credit.", "medical.")) for section in answer["sections"])
    assert answer["consent"] == {"recipient": "市住房公积金管理中心", "purpose": "公积金贷款"}
    consent.refresh_from_db()
    assert consent.uses == 1 and consent.client == "市住房公积金管理中心"
    assert code not in json.dumps(Consent.objects.values().first(), default=str)
    with pytest.raises(PermissionDenied):  # the code was given to the first system that used it
        services.history(**{**ask, "scope": agency(services.HISTORY_GRANT, name="另一系统")}, consent_code=code)
    services.consent_revoke(scope=insurance.citizen(person), consent_id=consent.pk)
    with pytest.raises(PermissionDenied):
        services.history(**ask, consent_code=code)
    expired, old = services.consent_create(scope=insurance.citizen(person), recipient="甲", purpose="乙", days=1)
    Consent.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        services.history(**ask, consent_code=old)


def test_a_consent_code_is_made_by_the_person_with_a_recipient_purpose_and_term():
    person = make_person(name="同意人")
    with pytest.raises(InvalidInput) as refused:
        services.consent_create(scope=insurance.citizen(person), recipient=" ", purpose="", days=91)
    assert set(refused.value.fields) == {"recipient", "purpose", "days"}
    with pytest.raises(PermissionDenied):
        services.consent_create(scope=agency(services.HISTORY_GRANT), recipient="甲", purpose="乙", days=1)
    other = make_person(name="他人")
    consent, _code = services.consent_create(scope=insurance.citizen(person), recipient="甲", purpose="乙", days=1)
    with pytest.raises(NotFound):
        services.consent_revoke(scope=insurance.citizen(other), consent_id=consent.pk)


def test_a_department_system_asks_through_the_api_with_its_token():
    person, _firm = insured(months=1)
    credentials = agency_client_create(name="市民政局低保系统", scopes=[services.STATUS_GRANT])
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    token = Client().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": services.STATUS_GRANT},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    system = Client(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    response = system.get(
        f"/api/v1/exchange/persons/{person.id_number}/status", {"questions": "alive,insured", "purpose": "低保审核"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["answer"]["answers"] == {"alive": True, "insured": True}
    assert verified_payload(body["jws"], Client().get("/api/v1/exchange/jwks").json()) == json.loads(
        signing.canonical(body["answer"])
    )
    refused = system.get(
        f"/api/v1/exchange/persons/{person.id_number}/history", {"consent_code": "x", "purpose": "低保审核"}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    questions = {row["question"] for row in Client().get("/api/v1/exchange/questions").json()}
    assert {"alive", "insured", "drawing_pension", "registered_unemployed"} <= questions
