"""Card API: the holder's card and electronic card, outlets, institutions through OAuth client credentials."""

import base64

import pytest
from django.test import Client

from hrss.card import services
from hrss.card.models import Card, CardUse
from hrss.card.tests.builders import ACCOUNT, PIN, active_card, holder_scope, produce
from hrss.identity.auth import token_create
from hrss.testing import make_person, make_user

pytestmark = pytest.mark.django_db


def bearer(user):
    # Messages are asserted in English; without this the locale middleware answers in zh-hans.
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def clerk():
    return bearer(make_user("clerk_card", "counter_clerk", districts=["120101"]))


def test_a_citizen_applies_activates_gets_an_electronic_card_and_a_code(tmp_path, clerk):
    person = make_person(name="李四")
    me = bearer(make_user("lisi", "citizen", person=person))
    assert me.get("/api/v1/card/me").json() == {"current": None, "cards": []}
    created = me.post("/api/v1/card/me/applications", {"channel": "app"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "applied"
    again = me.post("/api/v1/card/me/applications", {"channel": "app"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "card_application_pending"
    produce(tmp_path)
    number = Card.objects.get(person=person).number
    issued = clerk.post(f"/api/v1/card/cards/{number}/issue", {"district": "120101"}, content_type="application/json")
    assert issued.status_code == 200 and issued.json()["status"] == "issued"
    weak = me.post(
        "/api/v1/card/me/activate",
        {"bank_code": "ICBC", "bank_account": ACCOUNT, "pin": "111111"},
        content_type="application/json",
    )
    assert weak.status_code == 422 and "pin" in weak.json()["fields"]
    body = me.post(
        "/api/v1/card/me/activate",
        {"bank_code": "ICBC", "bank_account": ACCOUNT, "pin": PIN},
        content_type="application/json",
    ).json()
    assert body["status"] == "active" and body["bank_account"] == "****" + ACCOUNT[-4:]
    assert not any("pin" in key for key in body)
    assert me.get("/api/v1/card/me/ecard/code").status_code == 409  # no electronic card yet
    assert me.post("/api/v1/card/me/ecard").json()["ecard_issued"] is True
    mine = me.get("/api/v1/card/me").json()  # the holder's view reads the same computed fields
    assert mine["current"]["number"] == number and mine["current"]["bank_account"] == "****" + ACCOUNT[-4:]
    assert mine["current"]["ecard_issued"] is True and "report_temporary_loss" in mine["current"]["allowed_actions"]
    assert [card["id"] for card in mine["cards"]] == [mine["current"]["id"]]
    code = me.get("/api/v1/card/me/ecard/code").json()
    assert len(code["code"]) == 66 and code["ttl_seconds"] == 60
    checked = clerk.post("/api/v1/card/verify-code", {"code": code["code"]}, content_type="application/json").json()
    assert checked == {
        "result": "valid",
        "expires_at": checked["expires_at"],
        "holder_name": "李四",
        "holder_id_number": person.id_number,
    }
    lost = me.post("/api/v1/card/me/loss-report", {"channel": "app"}, content_type="application/json")
    assert lost.json()["status"] == "temporarily_lost"
    after = clerk.post("/api/v1/card/verify-code", {"code": code["code"]}, content_type="application/json").json()
    assert after["result"] == "card_not_active" and "holder_name" not in after


def test_machine_callers_with_a_token_are_not_asked_for_a_csrf_token(tmp_path):
    card = active_card(tmp_path, ecard=True)
    token = token_create(user=make_user("counter_sys", "counter_clerk", city_wide=True))
    strict = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")
    response = strict.post("/api/v1/card/verify-code", {"code": _code(card)}, content_type="application/json")
    assert response.status_code == 200 and response.json()["result"] == "valid"
    # a browser session without the CSRF token is still refused
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("holder_browser", "citizen", person=card.person))
    assert browser.post("/api/v1/card/me/ecard").status_code in (401, 403)


def test_illegal_transition_through_the_api_is_a_409_with_the_error_shape(tmp_path, clerk):
    card = active_card(tmp_path, make_person(district="120101"))
    response = clerk.post(f"/api/v1/card/cards/{card.number}/issue", {}, content_type="application/json")
    assert response.status_code == 409
    assert response.json() == {
        "code": "card_transition_refused",
        "message": "a card that is active cannot issue",
        "fields": {"status": "active", "action": "issue"},
    }


def test_outlet_reads_a_card_with_its_history_and_the_read_is_audited(tmp_path, clerk):
    from hrss.core.models import AuditEntry

    card = active_card(tmp_path, make_person(district="120101"))
    body = clerk.get(f"/api/v1/card/cards/{card.number}?purpose=counter").json()
    assert [event["action"] for event in body["events"]][:2] == ["apply", "send_to_production"]
    assert AuditEntry.objects.filter(action="card.read", object_id=str(card.pk), purpose="counter").exists()


def test_outlet_staff_cannot_read_a_card_of_another_district(tmp_path, clerk):
    card = active_card(tmp_path, make_person(district="120103"))
    assert clerk.get(f"/api/v1/card/cards/{card.number}").status_code == 404


def test_a_mistyped_card_number_is_a_422(clerk):
    assert clerk.get("/api/v1/card/cards/ABC").status_code == 422


def test_formal_loss_replacement_and_cancel_through_the_outlet(tmp_path, clerk):
    person = make_person(district="120101")
    card = active_card(tmp_path, person)
    assert (
        clerk.post(f"/api/v1/card/cards/{card.number}/loss-report", {}, content_type="application/json").json()[
            "status"
        ]
        == "lost"
    )
    applied = clerk.post(
        "/api/v1/card/applications",
        {"id_number": person.id_number, "kind": "replacement"},
        content_type="application/json",
    )
    assert applied.status_code == 201
    refused = clerk.post(f"/api/v1/card/cards/{card.number}/unfreeze")
    assert refused.status_code == 409 and refused.json()["code"] == "card_replacement_pending"
    bad = clerk.post(f"/api/v1/card/cards/{card.number}/cancel", {"reason": "x"}, content_type="application/json")
    assert bad.status_code == 422


def test_the_catalogue_is_public():
    body = Client().get("/api/v1/card/catalogue?domain=medical").json()
    assert body and all(item["domain"] == "medical" for item in body)
    assert all(item["verified"] is False for item in body)  # the official list is not at hand
    financial = Client().get("/api/v1/card/catalogue?needs_financial=true").json()
    assert financial and all(item["needs_financial"] for item in financial)


def test_anonymous_callers_cannot_verify():
    response = Client().post("/api/v1/card/verify-code", {"code": "x" * 66}, content_type="application/json")
    assert response.status_code == 401


def test_a_citizen_cannot_verify_codes(tmp_path):
    card = active_card(tmp_path, ecard=True)
    citizen = bearer(make_user("nosy", "citizen", person=make_person()))
    response = citizen.post("/api/v1/card/verify-code", {"code": "x" * 66}, content_type="application/json")
    assert response.status_code == 403
    assert citizen.get("/api/v1/card/me/uses").json() == []
    assert card


# --- institutions: OAuth2 client credentials ---------------------------------------------------------


@pytest.fixture
def institution():
    """An agency client with the given card grants, signed in with the client-credentials grant."""
    from hrss.identity.clients import agency_client_create

    def build(*grants, name="第一人民医院"):
        credentials = agency_client_create(name=name, scopes=list(grants))
        basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
        response = Client().post(
            "/o/token/",
            {"grant_type": "client_credentials", "scope": " ".join(grants)},
            HTTP_AUTHORIZATION=f"Basic {basic}",
        )
        assert response.status_code == 200, response.content
        return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")

    return build


def _code(card):
    return services.ecard_code_create(scope=holder_scope(card.person), card=card)[0]


def test_a_pharmacy_with_only_the_verify_grant_learns_only_validity(tmp_path, institution):
    card = active_card(tmp_path, ecard=True)
    pharmacy = institution("card:verify")
    body = pharmacy.post("/api/v1/card/verify-code", {"code": _code(card)}, content_type="application/json").json()
    assert set(body) == {"result", "expires_at"} and body["result"] == "valid"
    forged = pharmacy.post("/api/v1/card/verify-code", {"code": "A" * 66}, content_type="application/json").json()
    assert forged == {"result": "forged"}
    # a card check by number: status only, and whether the person presenting it is the holder
    check = pharmacy.post(
        "/api/v1/card/verify-card",
        {"card_number": card.number, "id_number": card.person.id_number},
        content_type="application/json",
    ).json()
    assert check == {"card_number": card.number, "status": "active", "holder_matches": True}
    # no reading beyond the grant: holder data, trails, outlet reads, recording uses
    assert pharmacy.get(f"/api/v1/card/cards/{card.number}").status_code == 404
    assert pharmacy.get("/api/v1/card/preferences").status_code == 403
    assert pharmacy.get("/api/v1/registry/persons").json() == []
    use = {"card_number": card.number, "kind": "medical_settlement", "channel": "contact"}
    assert pharmacy.post("/api/v1/card/uses", use, content_type="application/json").status_code == 403


def test_a_hospital_with_holder_grants_sees_the_holder_and_records_the_use(tmp_path, institution):
    card = active_card(tmp_path, ecard=True)
    hospital = institution("card:verify", "card:holder_name", "card:holder_id_number", "card:use:record")
    body = hospital.post(
        "/api/v1/card/verify-code",
        {
            "code": _code(card),
            "purpose": "outpatient registration",
            "use": {
                "kind": "medical_settlement",
                "channel": "electronic",
                "district": "120101",
                "application": "MED002",
            },
        },
        content_type="application/json",
    ).json()
    assert body["holder_name"] == card.person.name and body["holder_id_number"] == card.person.id_number
    assert body["use_recorded"] is True
    use = CardUse.objects.get(card=card)
    assert (use.institution, use.kind, use.channel, use.district_id) == (
        "第一人民医院",
        "medical_settlement",
        "electronic",
        "120101",
    )
    recorded = hospital.post(
        "/api/v1/card/uses",
        {"card_number": card.number, "kind": "benefit_payment", "channel": "contact", "amount": "120.50"},
        content_type="application/json",
    )
    assert recorded.status_code == 201 and recorded.json()["amount"] == "120.50"


def test_a_verify_grant_cannot_be_stretched_by_asking_for_more_scopes(tmp_path, institution):
    from hrss.identity.clients import agency_client_create

    card = active_card(tmp_path, ecard=True)
    credentials = agency_client_create(name="小药房", scopes=["card:verify"])
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    response = Client().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": "card:verify card:holder_id_number"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    if response.status_code == 200:  # a token may be issued, but only with the granted scope
        client = Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
        body = client.post("/api/v1/card/verify-code", {"code": _code(card)}, content_type="application/json").json()
        assert "holder_id_number" not in body
    else:
        assert response.status_code in (400, 401)


def test_an_agency_token_is_remembered_briefly_and_never_past_its_expiry(tmp_path, institution, settings):
    import datetime as dt

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model

    from hrss.card.auth import auth_cache_clear

    auth_cache_clear()
    card = active_card(tmp_path, ecard=True)
    pharmacy = institution("card:verify")
    url, body = "/api/v1/card/verify-code", {"code": _code(card)}
    assert pharmacy.post(url, body, content_type="application/json").status_code == 200
    get_access_token_model().objects.all().delete()  # revoked
    # within the cache window the platform still accepts it (the stated trade-off) ...
    assert pharmacy.post(url, body, content_type="application/json").status_code == 200
    # ... and not once the window is over
    auth_cache_clear()
    assert pharmacy.post(url, body, content_type="application/json").status_code == 401
    # a token about to expire is remembered only until its expiry
    settings.HRSS_CARD_AUTH_CACHE_SECONDS = 0
    short = institution("card:verify", name="短期药房")
    get_access_token_model().objects.update(expires=timezone.now() + dt.timedelta(seconds=5))
    assert short.post(url, body, content_type="application/json").status_code == 200
    get_access_token_model().objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert short.post(url, body, content_type="application/json").status_code == 401
    auth_cache_clear()


def test_payments_and_reconciliation_through_the_api(tmp_path):
    import datetime as dt
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    card = active_card(tmp_path)
    me = bearer(make_user("payer", "citizen", person=card.person))
    paid = me.post(
        "/api/v1/card/payments",
        {
            "purpose": "contribution",
            "description": "灵活就业缴费",
            "amount": "850.00",
            "method": "card_account",
            "period": "2026-02",
        },
        content_type="application/json",
    )
    assert paid.status_code == 201 and paid.json()["status"] == "paid"
    pending = me.post(
        "/api/v1/card/payments",
        {"purpose": "fee", "description": "报名费", "amount": "30.00", "method": "third_party"},
        content_type="application/json",
    ).json()
    assert pending["status"] == "pending" and pending["redirect_url"]
    notified = Client().post(
        "/api/v1/card/payments/notify/thirdparty",
        json.dumps({"reference": pending["reference"], "status": "paid", "amount": "30.00"}),
        content_type="application/json",
    )
    assert notified.status_code == 200 and notified.json()["status"] == "paid"
    assert [p["status"] for p in me.get("/api/v1/card/me/payments").json()] == ["paid", "paid"]
    bad = me.post(
        "/api/v1/card/payments",
        {"purpose": "fee", "description": "x", "amount": "-3", "method": "third_party"},
        content_type="application/json",
    )
    assert bad.status_code == 422

    supervisor = bearer(make_user("fund", "fund_supervisor", city_wide=True))
    statement = f"reference,amount\n{paid.json()['reference']},850.00\nPO-UNKNOWN,1.00\n".encode()
    response = supervisor.post(
        "/api/v1/card/reconciliations",
        {
            "gateway": "bank",
            "statement_date": timezone.localdate().isoformat(),
            "file": SimpleUploadedFile("s.csv", statement),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["matched"], body["extra"], body["balanced"]) == (1, 1, False)
    assert body["differences"] == [
        {
            "kind": "extra",
            "reference": "PO-UNKNOWN",
            "amount_ours": None,
            "amount_statement": "1.00",
            "note": "unknown reference",
        }
    ]
    assert supervisor.get(f"/api/v1/card/reconciliations/{body['id']}").json()["id"] == body["id"]
    assert me.get(f"/api/v1/card/reconciliations/{body['id']}").status_code == 403
    assert dt


def test_every_card_grant_can_be_given_to_an_agency_client():
    from hrss.card.services import CARD_GRANTS
    from hrss.identity.scopes import AGENCY_SCOPES

    assert set(CARD_GRANTS) <= set(AGENCY_SCOPES)
