"""Field encryption for personal data and keyed blind indexes (X1).

Ciphertexts are stored as ``<kid>$<base64(nonce || ciphertext || tag)>``. The key id
says which key (and so which algorithm) decrypts, so keys rotate: the first key in
``HRSS_FIELD_KEYS`` encrypts, every listed key decrypts, and ``hrss keys rotate``
re-encrypts old rows. Each column binds its ciphertexts to its own name as associated
data, so a ciphertext copied into another column does not decrypt.

AES-256-GCM is the default; SM4-GCM (GB/T 32907) is selected per key with ``:sm4-gcm``
for deployments that must use national cryptography.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

NONCE_BYTES = 12
TAG_BYTES = 16
ALGORITHMS = ("aes-gcm", "sm4-gcm")


class DecryptionError(Exception):
    """A stored ciphertext could not be decrypted: unknown key id, wrong column or tampering."""


@dataclass(frozen=True)
class FieldKey:
    kid: str
    secret: bytes
    algorithm: str

    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        if self.algorithm == "aes-gcm":
            return nonce + _aesgcm(self.secret).encrypt(nonce, plaintext, aad)
        encryptor = Cipher(algorithms.SM4(self.secret), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        body = encryptor.update(plaintext) + encryptor.finalize()
        return nonce + body + encryptor.tag

    def decrypt(self, blob: bytes, aad: bytes) -> bytes:
        nonce, body = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
        try:
            if self.algorithm == "aes-gcm":
                return _aesgcm(self.secret).decrypt(nonce, body, aad)
            decryptor = Cipher(algorithms.SM4(self.secret), modes.GCM(nonce, body[-TAG_BYTES:])).decryptor()
            decryptor.authenticate_additional_data(aad)
            return decryptor.update(body[:-TAG_BYTES]) + decryptor.finalize()
        except InvalidTag as exc:
            raise DecryptionError(f"ciphertext under key {self.kid} failed authentication") from exc


@lru_cache(maxsize=16)
def _aesgcm(secret: bytes) -> AESGCM:
    return AESGCM(secret)


def parse_keys(spec: str) -> list[FieldKey]:
    """Parse ``kid:base64key[:algorithm],...`` into keys; the first one encrypts."""
    keys: list[FieldKey] = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        parts = item.split(":")
        if len(parts) not in (2, 3):
            raise ImproperlyConfigured("HRSS_FIELD_KEYS items look like kid:base64key[:aes-gcm|sm4-gcm]")
        kid, encoded = parts[0], parts[1]
        algorithm = parts[2] if len(parts) == 3 else settings.FIELD_CIPHER
        if algorithm not in ALGORITHMS:
            raise ImproperlyConfigured(f"unknown field cipher {algorithm!r}; use one of {ALGORITHMS}")
        secret = base64.b64decode(encoded)
        wanted = 32 if algorithm == "aes-gcm" else 16
        if algorithm == "sm4-gcm" and len(secret) == 32:
            secret = secret[:16]  # SM4 keys are 128-bit; a 256-bit secret is truncated, not refused
        if len(secret) != wanted:
            raise ImproperlyConfigured(f"field key {kid} must be {wanted} bytes for {algorithm}")
        if "$" in kid:
            raise ImproperlyConfigured("a field key id may not contain '$'")
        keys.append(FieldKey(kid=kid, secret=secret, algorithm=algorithm))
    if not keys:
        raise ImproperlyConfigured("HRSS_FIELD_KEYS holds no key")
    return keys


@lru_cache(maxsize=4)
def _keyring(spec: str) -> tuple[FieldKey, dict[str, FieldKey]]:
    keys = parse_keys(spec)
    return keys[0], {key.kid: key for key in keys}


def keyring() -> tuple[FieldKey, dict[str, FieldKey]]:
    return _keyring(settings.FIELD_KEYS)


def encrypt_text(value: str, *, aad: str) -> str:
    active, _ = keyring()
    blob = active.encrypt(value.encode(), aad.encode())
    return f"{active.kid}${base64.b64encode(blob).decode()}"


def decrypt_text(token: str, *, aad: str) -> str:
    kid, _, encoded = token.partition("$")
    _, keys = keyring()
    key = keys.get(kid)
    if key is None:
        raise DecryptionError(f"no key with id {kid!r} is configured")
    return key.decrypt(base64.b64decode(encoded), aad.encode()).decode()


def key_id_of(token: str) -> str:
    return token.partition("$")[0]


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed HMAC-SHA256 of a normalised value: equal inputs give equal, unguessable digests."""
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{purpose}\x1f{value}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code sees the plaintext.

    Only equality through a companion blind-index column can be searched; the ciphertext
    itself is never compared.
    """

    def __init__(self, *args: Any, aad: str = "", **kwargs: Any) -> None:
        self.aad = aad
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.aad:
            kwargs["aad"] = self.aad
        return name, path, args, kwargs

    def contribute_to_class(self, cls: Any, name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not self.aad:
            self.aad = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value, aad=self.aad)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value), aad=self.aad)


class BlindIndexField(models.CharField):
    """The hex digest of ``blind_index``: 64 ASCII characters, only ever compared for equality.

    On PostgreSQL the column is ``COLLATE "C"`` whatever the database's collation: digests
    compare byte by byte, and building its index over 14 million rows sorts with
    PostgreSQL's abbreviated keys instead of calling the locale's ``strcoll`` for every
    comparison (56 s against 15 s measured on the city). SQLite compares bytes already.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters
