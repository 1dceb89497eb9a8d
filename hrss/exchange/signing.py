"""Signed answers (JWS, RFC 7515) with the bureau's key, and that key published as a JWKS
(RFC 7517), so that a receiving system can prove what the bureau told it.

The key is the bureau's document-signing key (``settings.DOCUMENT_SIGNING_PEM``, the one that
signs the PDFs): its certificate travels in the JWKS as ``x5c``, so a verifier that trusts the
bureau's certificate trusts the answers too. The key id is the key's RFC 7638 thumbprint.
"""

from __future__ import annotations

import base64
import json
from functools import cache
from typing import Any

from django.conf import settings
from jwcrypto import jwk, jws

ALGORITHM = "RS256"


@cache
def _key(pem: str) -> jwk.JWK:
    key = jwk.JWK.from_pem(pem[: pem.index("-----BEGIN CERTIFICATE-----")].encode())
    return key


def signing_key() -> jwk.JWK:
    return _key(str(settings.DOCUMENT_SIGNING_PEM))


def key_id() -> str:
    return str(signing_key().thumbprint())


def _certificates_der() -> list[str]:
    """The certificate chain of the key, base64 DER (``x5c``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    pem = str(settings.DOCUMENT_SIGNING_PEM).encode()
    return [base64.b64encode(c.public_bytes(Encoding.DER)).decode() for c in x509.load_pem_x509_certificates(pem)]


def jwks() -> dict[str, Any]:
    """The public key set receiving systems verify answers with."""
    public = json.loads(signing_key().export_public())
    public.update({"kid": key_id(), "use": "sig", "alg": ALGORITHM, "x5c": _certificates_der()})
    return {"keys": [public]}


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8 (a verifier re-serialises alike)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def sign(payload: dict[str, Any]) -> str:
    """A compact JWS of the payload, with the key id and type in its protected header."""
    token = jws.JWS(canonical(payload))
    header = {"alg": ALGORITHM, "kid": key_id(), "typ": "hrss-exchange+jws"}
    token.add_signature(signing_key(), alg=ALGORITHM, protected=json.dumps(header))
    return str(token.serialize(compact=True))
