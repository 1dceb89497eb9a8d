"""The bureau's certificate key: Ed25519, from ``HRSS_TRAINING_CERTIFICATE_KEY`` (base64 of a
32-byte seed), else derived from ``SECRET_KEY`` with HKDF for its own purpose, the way the
audit log's tree-head key is (``hrss.core.audit``). Anyone holding the public key can check
a certificate's signature without asking us."""

from __future__ import annotations

import base64
import functools
import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from hrss.training import rules


@functools.cache
def _private_key(configured: str, secret: str) -> Ed25519PrivateKey:
    if configured:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(configured))
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"hrss skill certificates").derive(
        secret.encode()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def certificate_key() -> Ed25519PrivateKey:
    return _private_key(getattr(settings, "HRSS_TRAINING_CERTIFICATE_KEY", ""), settings.SECRET_KEY)


def public_key_text() -> str:
    raw = certificate_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def key_id() -> str:
    return hashlib.sha256(base64.b64decode(public_key_text())).hexdigest()[:16]


def sign(message: bytes) -> str:
    return base64.b64encode(certificate_key().sign(message)).decode()


def signature_valid(message: bytes, signature: str) -> bool:
    try:
        certificate_key().public_key().verify(base64.b64decode(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def certificate_signature_valid(certificate: Any) -> bool:
    """Whether a stored certificate's signature covers its number, holder, occupation, level and date."""
    message = rules.certificate_message(
        number=certificate.number,
        id_number=certificate.person.id_number,
        qualification=certificate.qualification.code,
        level=certificate.level,
        issued_on=certificate.issued_on,
    )
    return signature_valid(message, certificate.signature)


def consent_hash(code: str) -> str:
    """How a holder's consent code is kept: only its hash."""
    return hashlib.sha256(f"training-consent\x1f{code.strip().upper()}".encode()).hexdigest()
