"""Signing in at a self-service kiosk: card and PIN, electronic card code, ID number and face.

Each way signs the holder's citizen account in as a short kiosk session, refuses with a
sentence (never a code, never a 500), writes every attempt to the audit chain and locks
out after repeated failures.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from hrss.card import services as card_services
from hrss.card.tests.builders import OFFICE, PIN, active_card, holder_scope
from hrss.core.models import AuditEntry
from hrss.identity import cardreader, kiosk
from hrss.identity.middleware import SEEN_KEY
from hrss.identity.models import AccountSession, BiometricCheck
from hrss.testing import make_person, make_user

pytestmark = pytest.mark.django_db

TERMINAL = "K-001"


@pytest.fixture(autouse=True)
def _kiosk_settings(settings: Any) -> None:
    settings.HRSS_CARD_READER_BACKEND = "hrss.identity.cardreader.RecordingCardReader"
    settings.HRSS_KIOSK_IDLE_SECONDS = 90
    cardreader.reads.clear()


@pytest.fixture
def holder(tmp_path: Any) -> Any:
    """张伟 with an active card (and its electronic card) and a citizen account."""
    person = make_person(name="张伟", phone="13800138000")
    card = active_card(tmp_path, person, ecard=True)
    user = make_user("zw", "citizen", person=person)
    return person, card, user


def kiosk_client() -> Client:
    client = Client()
    client.get(f"/accounts/kiosk/?terminal={TERMINAL}")
    return client


def insert(card: Any, **changes: str) -> None:
    read = {
        "card_number": card.number,
        "chip_serial": card.chip_serial,
        "social_security_number": card.person.id_number,
        **changes,
    }
    cardreader.card_insert(terminal=TERMINAL, card=cardreader.CardRead(**read))


def slot(card_terminal: str = TERMINAL) -> cardreader.CardRead | None:
    return cardreader.RecordingCardReader().read(terminal=card_terminal)


def kiosk_audit(outcome: str | None = None) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(action__startswith="identity.kiosk.").order_by("seq")
    return [entry for entry in entries if outcome is None or entry.detail.get("outcome") == outcome]


def signed_in_as(client: Client) -> Any:
    return client.session.get("_auth_user_id")


# ---- the card and its PIN ---------------------------------------------------------------


def test_card_and_pin_sign_the_holder_in_as_a_kiosk_session(holder):
    person, card, user = holder
    client = kiosk_client()
    insert(card)
    response = client.post("/accounts/kiosk/card/", {"pin": PIN})
    assert response.status_code == 302 and response["Location"] == "/hall/kiosk/"
    assert signed_in_as(client) == str(user.pk)
    session = client.session
    assert session[kiosk.SESSION_KEY] == {"terminal": TERMINAL, "method": "card"}
    assert session.get_expiry_age() == 90
    assert "hrss_auth_at" not in session  # a kiosk sign-in never counts as a recent password
    assert AccountSession.objects.get(session_key=session.session_key).method == "kiosk_card"
    [entry] = kiosk_audit()
    assert entry.actor == f"kiosk:{TERMINAL}" and entry.object_id == str(person.pk)
    assert entry.detail == {"method": "card", "outcome": "signed_in", "reason": ""}
    assert slot() is not None  # the card stays in the reader while the holder is signed in


def test_a_wrong_pin_is_refused_with_a_sentence_and_the_card_stays_in(holder):
    _person, card, _user = holder
    client = kiosk_client()
    insert(card)
    response = client.post("/accounts/kiosk/card/", {"pin": "000000"})
    assert response.status_code == 403
    assert "The card&#x27;s PIN is not right." in response.content.decode()
    assert signed_in_as(client) is None
    assert slot() is not None
    assert kiosk_audit("refused")[0].detail["reason"] == "card_pin_wrong"


def test_a_lost_card_is_refused_and_given_back(holder):
    _person, card, _user = holder
    card_services.card_report_loss(scope=OFFICE, card_id=card.pk)
    client = kiosk_client()
    insert(card)
    response = client.post("/accounts/kiosk/card/", {"pin": PIN})
    assert response.status_code == 409
    assert "This card cannot be used: it is not active" in response.content.decode()
    assert signed_in_as(client) is None and slot() is None
    assert kiosk_audit("refused")[0].detail["reason"] == "card_not_active"


def test_a_cancelled_card_no_longer_signs_in(holder):
    _person, card, _user = holder
    card_services.card_cancel(scope=OFFICE, card_id=card.pk, reason="transfer_out")
    client = kiosk_client()
    insert(card)
    assert client.post("/accounts/kiosk/card/", {"pin": PIN}).status_code == 409


def test_an_empty_reader_an_unreadable_card_and_a_cloned_chip(holder):
    _person, card, _user = holder
    client = kiosk_client()
    empty = client.post("/accounts/kiosk/card/", {"pin": PIN})
    assert empty.status_code == 422 and "There is no card in the reader" in empty.content.decode()
    insert(card, card_number="GARBAGE!!")
    unreadable = client.post("/accounts/kiosk/card/", {"pin": PIN})
    assert unreadable.status_code == 422 and "The card could not be read" in unreadable.content.decode()
    insert(card, chip_serial="ATR-SOMETHING-ELSE")
    cloned = client.post("/accounts/kiosk/card/", {"pin": PIN})
    assert cloned.status_code == 403 and "chip does not match our records" in cloned.content.decode()
    other = make_person(name="别人")
    insert(card, social_security_number=other.id_number)
    assert client.post("/accounts/kiosk/card/", {"pin": PIN}).status_code == 403
    assert signed_in_as(client) is None
    reasons = [entry.detail["reason"] for entry in kiosk_audit("refused")]
    assert reasons == ["card_absent", "card_unreadable", "card_chip_mismatch", "card_chip_mismatch"]


def test_a_holder_without_an_account_is_told_how_to_get_one(tmp_path):
    card = active_card(tmp_path, make_person(name="李四"))
    client = kiosk_client()
    insert(card)
    response = client.post("/accounts/kiosk/card/", {"pin": PIN})
    assert response.status_code == 404 and "You have no online account yet" in response.content.decode()


def test_a_staff_account_never_signs_in_at_a_kiosk(tmp_path):
    person = make_person(name="王五")
    card = active_card(tmp_path, person)
    make_user("clerk5", "counter_clerk", person=person)
    client = kiosk_client()
    insert(card)
    response = client.post("/accounts/kiosk/card/", {"pin": PIN})
    assert response.status_code == 403 and signed_in_as(client) is None


def test_repeated_wrong_pins_lock_the_card_out_even_for_the_right_pin(holder, settings):
    _person, card, _user = holder
    client = kiosk_client()
    insert(card)
    statuses = [client.post("/accounts/kiosk/card/", {"pin": "111111"}).status_code for _ in range(5)]
    assert statuses == [403, 403, 403, 403, 429]
    assert slot() is None  # locked out: the card is given back
    insert(card)
    locked = client.post("/accounts/kiosk/card/", {"pin": PIN})
    assert locked.status_code == 429 and "Too many failed attempts" in locked.content.decode()
    assert signed_in_as(client) is None
    assert kiosk_audit("locked")
    # The lock is on this card, not on the kiosk: the electronic card code still works.
    code, _claims = card_services.ecard_code_create(scope=holder_scope(card.person), card=card)
    assert client.post("/accounts/kiosk/code/", {"code": code}).status_code == 302


# ---- the electronic card code ----------------------------------------------------------


def test_the_electronic_card_code_signs_the_holder_in(holder):
    _person, card, user = holder
    code, _claims = card_services.ecard_code_create(scope=holder_scope(card.person), card=card)
    client = kiosk_client()
    response = client.post("/accounts/kiosk/code/?next=/hall/applications/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/hall/applications/"
    assert signed_in_as(client) == str(user.pk)
    assert client.session[kiosk.SESSION_KEY]["method"] == "ecard"
    assert kiosk_audit("signed_in")[0].detail["method"] == "ecard"


def test_wrong_expired_and_revoked_codes_are_refused_with_sentences(holder):
    _person, card, _user = holder
    scope = holder_scope(card.person)
    client = kiosk_client()
    wrong = client.post("/accounts/kiosk/code/", {"code": "not-a-code"})
    assert wrong.status_code == 422 and "This is not an electronic card code" in wrong.content.decode()
    stale, _claims = card_services.ecard_code_create(scope=scope, card=card, now=time.time() - 600)
    expired = client.post("/accounts/kiosk/code/", {"code": stale})
    assert expired.status_code == 422 and "This code has expired" in expired.content.decode()
    code, _claims = card_services.ecard_code_create(scope=scope, card=card)
    card_services.ecard_revoke(scope=scope, card_id=card.pk)
    revoked = client.post("/accounts/kiosk/code/", {"code": code})
    assert revoked.status_code == 409 and "no longer valid" in revoked.content.decode()
    assert signed_in_as(client) is None
    reasons = [entry.detail["reason"] for entry in kiosk_audit("refused")]
    assert reasons == ["ecard_code_invalid", "ecard_code_expired", "ecard_not_active"]


# ---- ID number and face ----------------------------------------------------------------


def test_id_number_and_a_matching_face_sign_in(holder, settings):
    person, _card, user = holder
    settings.HRSS_BIOMETRIC_TABLE = {"capture-7": {"matched": True, "score": 0.98}}
    client = kiosk_client()
    response = client.post("/accounts/kiosk/face/", {"id_number": person.id_number, "face_reference": "capture-7"})
    assert response.status_code == 302 and signed_in_as(client) == str(user.pk)
    check = BiometricCheck.objects.get(person=person)
    assert check.matched and check.purpose == kiosk.FACE_PURPOSE and check.requested_by == f"kiosk:{TERMINAL}"
    assert kiosk_audit("signed_in")[0].detail["method"] == "face"
    assert AuditEntry.objects.filter(action="identity.biometric.verified", object_id=str(person.pk)).exists()


def test_a_face_that_does_not_match_and_an_unknown_person_get_the_same_sentence(holder, settings):
    person, _card, _user = holder
    settings.HRSS_BIOMETRIC_TABLE = {"capture-7": {"matched": True, "score": 0.98}}
    client = kiosk_client()
    mismatch = client.post("/accounts/kiosk/face/", {"id_number": person.id_number, "face_reference": "someone-else"})
    assert mismatch.status_code == 403
    assert "We could not confirm that this ID number is yours." in mismatch.content.decode()
    stranger = make_person(name="路人").id_number
    from hrss.registry.models import Person

    Person.objects.filter(id_number_index=Person.objects.get(name="路人").id_number_index).delete()
    unknown = client.post("/accounts/kiosk/face/", {"id_number": stranger, "face_reference": "capture-7"})
    assert unknown.status_code == 403
    assert "We could not confirm that this ID number is yours." in unknown.content.decode()
    assert signed_in_as(client) is None
    assert BiometricCheck.objects.filter(person=person, matched=False).count() == 1


def test_a_bad_id_number_or_no_capture_is_explained_next_to_the_field(holder):
    person, _card, _user = holder
    client = kiosk_client()
    bad = client.post("/accounts/kiosk/face/", {"id_number": "11010519491231002Y", "face_reference": "x"})
    page = bad.content.decode()
    assert bad.status_code == 422 and "ID number" in page and "invalid_id_number" not in page
    assert "field-error" in page
    uncaptured = client.post("/accounts/kiosk/face/", {"id_number": person.id_number, "face_reference": ""})
    assert uncaptured.status_code == 422 and "No face was captured." in uncaptured.content.decode()
    reasons = [entry.detail["reason"] for entry in kiosk_audit("refused")]
    assert reasons == ["invalid_id_number", "face_not_captured"]


def test_repeated_face_mismatches_lock_that_id_number(holder, settings):
    person, _card, _user = holder
    settings.HRSS_BIOMETRIC_TABLE = {"capture-7": {"matched": True, "score": 0.98}}
    client = kiosk_client()
    for _ in range(5):
        client.post("/accounts/kiosk/face/", {"id_number": person.id_number, "face_reference": "nope"})
    locked = client.post("/accounts/kiosk/face/", {"id_number": person.id_number, "face_reference": "capture-7"})
    assert locked.status_code == 429 and signed_in_as(client) is None
    from axes.models import AccessAttempt

    # The lockout's key is the blind index, never the ID number itself.
    assert not AccessAttempt.objects.filter(username__contains=person.id_number).exists()


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/kiosk/code/", {"code": "x" * 5000}),
        ("/accounts/kiosk/code/", {"code": "\u0000\ufffd"}),
        ("/accounts/kiosk/face/", {"id_number": "\u4e00" * 18}),
        ("/accounts/kiosk/card/", {"pin": "12"}),
        ("/accounts/kiosk/card/", {}),
    ],
)
def test_junk_never_gives_a_server_error(path, data):
    response = kiosk_client().post(path, data)
    assert 400 <= response.status_code < 500


# ---- the kiosk session ------------------------------------------------------------------


def signed_in_kiosk(card: Any) -> Client:
    client = kiosk_client()
    insert(card)
    assert client.post("/accounts/kiosk/card/", {"pin": PIN}).status_code == 302
    return client


def test_an_idle_kiosk_session_is_signed_out_by_the_server(holder):
    _person, card, _user = holder
    client = signed_in_kiosk(card)
    assert client.get("/hall/applications/").status_code == 200  # activity renews the session
    session = client.session
    session[SEEN_KEY] = time.time() - 91
    session.save()
    response = client.get("/hall/applications/")
    assert response.status_code == 302 and response["Location"] == "/hall/kiosk/"
    assert signed_in_as(client) is None
    assert slot() is None  # the card is given back
    [out] = kiosk_audit("signed_out")
    assert out.action == "identity.kiosk.signout" and out.detail["reason"] == "idle"
    assert AccountSession.objects.get(method="kiosk_card").ended_at is not None


def test_the_page_carries_the_idle_limit_from_settings(holder, settings):
    settings.HRSS_KIOSK_IDLE_SECONDS = 45
    _person, card, _user = holder
    client = signed_in_kiosk(card)
    page = client.get("/hall/kiosk/").content.decode()
    assert 'data-kiosk-timeout="45"' in page and "data-kiosk-signout" in page and "identity/kiosk.js" in page
    assert 'data-kiosk-timeout="45"' in client.get("/card/").content.decode()  # every page, not only the hall's


def test_signing_out_at_the_kiosk_gives_the_card_back(holder):
    _person, card, _user = holder
    client = signed_in_kiosk(card)
    response = client.post("/accounts/kiosk/signout/")
    assert response.status_code == 302 and response["Location"] == "/hall/kiosk/"
    assert signed_in_as(client) is None and slot() is None
    assert kiosk_audit("signed_out")[0].detail["reason"] == "user"
    # The site's own sign-out does the same for a kiosk session.
    client = signed_in_kiosk(card)
    assert client.post("/accounts/logout/")["Location"] == "/hall/kiosk/"
    assert slot() is None


def test_a_kiosk_session_never_reaches_what_needs_the_password_again(holder):
    _person, card, user = holder
    client = signed_in_kiosk(card)
    other = AccountSession.objects.create(user=user, session_key="elsewhere", method="password")
    for method, path in (
        ("get", "/accounts/reauth/"),
        ("post", "/accounts/reauth/"),
        ("get", "/accounts/me/employer/"),
        ("post", f"/accounts/me/sessions/{other.pk}/end/"),
        ("get", "/accounts/otp/setup/"),
    ):
        response = getattr(client, method)(path, {"password": "correct horse battery staple"})
        assert response.status_code == 403, path
        assert "Not available at the kiosk" in response.content.decode()
    other.refresh_from_db()
    assert other.ended_at is None
    assert client.get("/accounts/me/").status_code == 200


def test_in_kiosk_mode_the_sign_in_link_leads_to_the_kiosk_sign_in():
    client = Client()
    client.get("/hall/kiosk/")
    response = client.get("/accounts/login/?next=/hall/applications/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/kiosk/?next=%2Fhall%2Fapplications%2F"
    start = client.get(response["Location"]).content.decode()
    for way in ("/accounts/kiosk/card/", "/accounts/kiosk/code/", "/accounts/kiosk/face/"):
        assert way in start
    # Out of kiosk mode the password page is back.
    client.post("/mode/", {"kiosk": "0"})
    assert client.get("/accounts/login/").status_code == 200


def test_the_development_panel_inserts_a_card(holder):
    _person, card, user = holder
    client = kiosk_client()
    assert "Development: simulate inserting a card" in client.get("/accounts/kiosk/card/").content.decode()
    client.post("/accounts/kiosk/card/insert/", {"card_number": card.number, "chip_serial": card.chip_serial})
    assert client.post("/accounts/kiosk/card/", {"pin": PIN}).status_code == 302
    assert signed_in_as(client) == str(user.pk)


def test_without_a_reader_the_card_way_says_so(holder, settings):
    settings.HRSS_CARD_READER_BACKEND = ""
    client = kiosk_client()
    page = client.get("/accounts/kiosk/card/").content.decode()
    assert "simulate inserting" not in page
    assert client.post("/accounts/kiosk/card/insert/", {"card_number": "X"}).status_code == 404
    response = client.post("/accounts/kiosk/card/", {"pin": PIN})
    assert response.status_code == 503 and "Signing in with the card is not available here" in response.content.decode()


def test_without_a_next_the_kiosk_returns_to_its_start_not_to_the_account_page():
    page = kiosk_client().get("/accounts/kiosk/").content.decode()
    assert "next=/accounts/me/" not in page and "next=%2Faccounts%2Fme%2F" not in page
    card_page = kiosk_client().get("/accounts/kiosk/card/").content.decode()
    assert 'name="next" value="/accounts/me/"' not in card_page
