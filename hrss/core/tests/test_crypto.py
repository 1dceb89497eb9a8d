import base64

import pytest
from django.db import connection
from django.test import override_settings

from hrss.core.crypto import DecryptionError, blind_index, decrypt_text, encrypt_text, key_id_of, parse_keys
from hrss.testing import make_id_number, make_person

AES_KEY = base64.b64encode(b"a" * 32).decode()
OLD_KEY = base64.b64encode(b"o" * 32).decode()
SM4_KEY = base64.b64encode(b"s" * 16).decode()


def test_round_trip_and_random_nonce():
    first = encrypt_text("120101199003073214", aad="t.c")
    second = encrypt_text("120101199003073214", aad="t.c")
    assert first != second
    assert decrypt_text(first, aad="t.c") == decrypt_text(second, aad="t.c") == "120101199003073214"


def test_ciphertext_is_bound_to_its_column():
    token = encrypt_text("13800138000", aad="registry.person.phone")
    with pytest.raises(DecryptionError):
        decrypt_text(token, aad="registry.person.id_number")


def test_tampered_ciphertext_is_refused():
    kid, _, body = encrypt_text("secret", aad="x").partition("$")
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(DecryptionError):
        decrypt_text(f"{kid}${base64.b64encode(bytes(raw)).decode()}", aad="x")


def test_sm4_gcm_key():
    with override_settings(FIELD_KEYS=f"gm1:{SM4_KEY}:sm4-gcm"):
        token = encrypt_text("国密", aad="x")
        assert key_id_of(token) == "gm1"
        assert decrypt_text(token, aad="x") == "国密"


def test_rotation_old_key_still_decrypts():
    with override_settings(FIELD_KEYS=f"old:{OLD_KEY}"):
        token = encrypt_text("value", aad="x")
    with override_settings(FIELD_KEYS=f"new:{AES_KEY},old:{OLD_KEY}"):
        assert decrypt_text(token, aad="x") == "value"
        assert key_id_of(encrypt_text("value", aad="x")) == "new"
    with override_settings(FIELD_KEYS=f"new:{AES_KEY}"), pytest.raises(DecryptionError):
        decrypt_text(token, aad="x")


def test_bad_key_configuration():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        parse_keys("k1:" + base64.b64encode(b"short").decode())
    with pytest.raises(ImproperlyConfigured):
        parse_keys("k1:" + AES_KEY + ":rot13")


def test_blind_index_is_keyed_and_deterministic():
    assert blind_index("a", purpose="p") == blind_index("a", purpose="p")
    assert blind_index("a", purpose="p") != blind_index("a", purpose="q")
    digest = blind_index("a", purpose="p")
    with override_settings(BLIND_INDEX_KEY="another"):
        assert blind_index("a", purpose="p") != digest


@pytest.mark.django_db
def test_encrypted_columns_hold_no_plaintext():
    number = make_id_number("120103")
    person = make_person(district="120103", id_number=number, phone="13912345678")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_index FROM registry_person WHERE id = %s",
            [person.pk.hex if connection.vendor == "sqlite" else person.pk],
        )
        stored_number, stored_phone, index = cursor.fetchone()
    assert number not in stored_number and number[-8:] not in stored_number
    assert "13912345678" not in stored_phone
    assert number not in index
    person.refresh_from_db()
    assert person.id_number == number and person.phone == "13912345678"
