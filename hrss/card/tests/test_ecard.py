"""Electronic card codes: valid, expired, tampered, forged, replayed after cancellation; grants."""

import base64
import time
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrss.card import selectors, services, tokens
from hrss.card.tests.builders import OFFICE, active_card, agency_scope, holder_scope
from hrss.core.errors import Conflict, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope

KEY = b"unit-test-key"


def test_token_round_trip_and_size():
    card_id = uuid.uuid4()
    token, claims = tokens.token_sign(key=KEY, card_id=card_id, epoch=3, now=1_700_000_000, ttl_seconds=60)
    assert len(token) == tokens.TOKEN_CHARS == 66
    read = tokens.token_read(token, key=KEY)
    assert read == claims and read.card_id == card_id and read.epoch == 3
    assert read.expires_at == 1_700_000_060
    assert not read.expired(1_700_000_059) and read.expired(1_700_000_060)


def test_two_codes_for_the_same_card_differ():
    card_id = uuid.uuid4()
    first, _ = tokens.token_sign(key=KEY, card_id=card_id, epoch=1, now=0, ttl_seconds=60)
    second, _ = tokens.token_sign(key=KEY, card_id=card_id, epoch=1, now=0, ttl_seconds=60)
    assert first != second  # a fresh nonce each time


def test_another_key_does_not_verify():
    token, _ = tokens.token_sign(key=KEY, card_id=uuid.uuid4(), epoch=1, now=0, ttl_seconds=60)
    with pytest.raises(tokens.ForgedToken):
        tokens.token_read(token, key=b"another key")


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=48), st.integers(min_value=1, max_value=255))
def test_any_changed_byte_is_caught(position, flip):
    token, _ = tokens.token_sign(key=KEY, card_id=uuid.uuid4(), epoch=1, now=0, ttl_seconds=60)
    raw = bytearray(base64.urlsafe_b64decode(token + "=="))
    raw[position] ^= flip
    tampered = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(tokens.ForgedToken):
        tokens.token_read(tampered, key=KEY)


@given(st.text(max_size=100))
def test_garbage_is_forged_never_an_exception(text):
    with pytest.raises(tokens.ForgedToken):
        tokens.token_read(text, key=KEY)


# --- through the services and selectors -------------------------------------------------------


@pytest.fixture
def card(tmp_path, db):
    return active_card(tmp_path, ecard=True)


VERIFIER = agency_scope("card:verify")


@pytest.mark.django_db
def test_a_fresh_code_is_valid(card):
    code, claims = services.ecard_code_create(scope=holder_scope(card.person), card=card)
    result = selectors.ecard_code_verify(scope=VERIFIER, code=code)
    assert result.result == "valid" and result.expires_at == claims.expires_datetime
    assert result.holder_name is None and result.holder_id_number is None
    assert not AuditEntry.objects.filter(action="card.ecard_verify").exists()  # nothing personal disclosed


@pytest.mark.django_db
def test_an_expired_code(card):
    code, _ = services.ecard_code_create(scope=holder_scope(card.person), card=card, now=time.time() - 61)
    assert selectors.ecard_code_verify(scope=VERIFIER, code=code).result == "expired"


@pytest.mark.django_db
def test_a_tampered_code(card):
    code, _ = services.ecard_code_create(scope=holder_scope(card.person), card=card)
    tampered = code[:-3] + ("AAA" if code[-3:] != "AAA" else "BBB")
    assert selectors.ecard_code_verify(scope=VERIFIER, code=tampered).result == "forged"
    # a code signed with another key, for a card that exists, is forged too
    other, _ = tokens.token_sign(
        key=b"not ours", card_id=card.pk, epoch=card.ecard_epoch, now=time.time(), ttl_seconds=60
    )
    assert selectors.ecard_code_verify(scope=VERIFIER, code=other).result == "forged"
    assert selectors.ecard_code_verify(scope=VERIFIER, code="hello").result == "forged"


@pytest.mark.django_db
def test_a_code_replayed_after_cancellation(card):
    code, _ = services.ecard_code_create(scope=holder_scope(card.person), card=card)
    assert selectors.ecard_code_verify(scope=VERIFIER, code=code).result == "valid"
    services.card_cancel(scope=OFFICE, card_id=card.pk, reason="emigration")
    assert selectors.ecard_code_verify(scope=VERIFIER, code=code).result == "card_not_active"


@pytest.mark.django_db
def test_a_code_replayed_after_a_loss_report_or_reissue(card):
    holder = holder_scope(card.person)
    code, _ = services.ecard_code_create(scope=holder, card=card)
    services.card_report_temporary_loss(scope=holder, card_id=card.pk)
    assert selectors.ecard_code_verify(scope=VERIFIER, code=code).result == "card_not_active"
    services.card_unfreeze(scope=holder, card_id=card.pk)
    assert selectors.ecard_code_verify(scope=VERIFIER, code=code).result == "valid"
    services.ecard_issue(scope=holder, card_id=card.pk)  # re-issued, e.g. after losing the phone
    assert selectors.ecard_code_verify(scope=VERIFIER, code=code).result == "card_not_active"


@pytest.mark.django_db
def test_a_temporary_report_past_its_time_no_longer_blocks(card):
    holder = holder_scope(card.person)
    services.card_report_temporary_loss(scope=holder, card_id=card.pk)
    card.refresh_from_db()
    later = card.temporary_loss_until.timestamp() + 1
    card.status = "active"  # the code is created before the report; only the clock matters below
    code, _ = services.ecard_code_create(scope=holder, card=card, now=later - 30)
    assert selectors.ecard_code_verify(scope=VERIFIER, code=code, now=later).result == "valid"
    assert selectors.ecard_code_verify(scope=VERIFIER, code=code, now=later - 10).result == "card_not_active"


@pytest.mark.django_db
def test_only_the_holder_shows_a_code_and_only_of_an_active_electronic_card(tmp_path):
    card = active_card(tmp_path)
    with pytest.raises(Conflict):
        services.ecard_code_create(scope=holder_scope(card.person), card=card)  # e-card not issued yet
    services.ecard_issue(scope=holder_scope(card.person), card_id=card.pk)
    card.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.ecard_code_create(scope=OFFICE, card=card)
    services.ecard_revoke(scope=holder_scope(card.person), card_id=card.pk)
    card.refresh_from_db()
    with pytest.raises(Conflict):
        services.ecard_code_create(scope=holder_scope(card.person), card=card)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("grants", "name", "id_number"),
    [
        ({"card:verify"}, False, False),
        ({"card:verify", "card:holder_name"}, True, False),
        ({"card:verify", "card:holder_name", "card:holder_id_number"}, True, True),
    ],
)
def test_an_institution_sees_only_what_its_grant_allows(card, grants, name, id_number):
    code, _ = services.ecard_code_create(scope=holder_scope(card.person), card=card)
    result = selectors.ecard_code_verify(scope=agency_scope(*grants), code=code, purpose="dispensing")
    assert result.result == "valid"
    assert (result.holder_name == card.person.name) is name and (result.holder_name is None) is not name
    assert (result.holder_id_number == card.person.id_number) is id_number
    assert (result.holder_id_number is None) is not id_number
    audited = AuditEntry.objects.filter(action="card.ecard_verify", object_id=str(card.pk))
    assert audited.exists() is (name or id_number)


@pytest.mark.django_db
def test_callers_without_the_verify_grant_are_refused(card):
    code, _ = services.ecard_code_create(scope=holder_scope(card.person), card=card)
    for scope in (
        agency_scope("card:holder_name"),  # a disclosure grant without the verify grant
        agency_scope("registry:read"),
        holder_scope(card.person),
        Scope.anonymous(),
    ):
        with pytest.raises(PermissionDenied):
            selectors.ecard_code_verify(scope=scope, code=code)


@pytest.mark.django_db
def test_outlet_staff_verify_and_see_the_holder(card):
    code, _ = services.ecard_code_create(scope=holder_scope(card.person), card=card)
    result = selectors.ecard_code_verify(scope=OFFICE, code=code)
    assert (result.holder_name, result.holder_id_number) == (card.person.name, card.person.id_number)
    analyst = Scope(actor="ana", roles=frozenset({"analyst"}), districts=None)
    masked = selectors.ecard_code_verify(scope=analyst, code=code)
    assert masked.result == "valid" and masked.holder_name is None
