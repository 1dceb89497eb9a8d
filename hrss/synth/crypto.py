"""Field encryption and blind indexes for millions of rows.

The same ciphertexts and digests as ``hrss.core.crypto.encrypt_text`` and
``hrss.registry.services.id_number_index`` (the tests decrypt and compare), with the key,
the associated data and the HMAC key resolved once instead of once per value, and the
random nonces of a whole block drawn in one system call: that more than halves the cost,
which matters when a million persons each carry two encrypted fields. Every value still
gets its own random 96-bit nonce.
"""

from __future__ import annotations

import base64
import hmac
import os
from collections.abc import Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from hrss.core.crypto import NONCE_BYTES, keyring
from hrss.registry.services import ID_NUMBER_INDEX_PURPOSE


class BulkCipher:
    def __init__(self, *, aad: str) -> None:
        self._key, _ = keyring()
        self._prefix = f"{self._key.kid}$"
        self._aad = aad.encode()
        self._aes = AESGCM(self._key.secret) if self._key.algorithm == "aes-gcm" else None

    def encrypt(self, value: str) -> str:
        """``encrypt_text(value, aad=...)``; the empty string stays empty, as the field stores it."""
        if not value:
            return ""
        return self._prefix + base64.b64encode(self._key.encrypt(value.encode(), self._aad)).decode()

    def encrypt_many(self, values: Sequence[str]) -> list[str]:
        """``encrypt`` of each value; empty strings stay empty."""
        if self._aes is None:  # SM4-GCM: the kernel's own per-value path
            return [self.encrypt(value) for value in values]
        nonces = os.urandom(NONCE_BYTES * len(values))
        encrypt, aad, prefix, encode = self._aes.encrypt, self._aad, self._prefix, base64.b64encode
        out = []
        for i, value in enumerate(values):
            if value:
                nonce = nonces[i * NONCE_BYTES : (i + 1) * NONCE_BYTES]
                out.append(prefix + encode(nonce + encrypt(nonce, value.encode(), aad)).decode())
            else:
                out.append("")
        return out


class BlindIndex:
    def __init__(self, *, purpose: str = ID_NUMBER_INDEX_PURPOSE) -> None:
        self._key = settings.BLIND_INDEX_KEY.encode()
        self._prefix = f"{purpose}\x1f".encode()

    def __call__(self, value: str) -> str:
        """``blind_index(value, purpose=...)``."""
        return hmac.digest(self._key, self._prefix + value.encode(), "sha256").hex()

    def many(self, values: Sequence[str]) -> list[str]:
        key, prefix, digest = self._key, self._prefix, hmac.digest
        return [digest(key, prefix + value.encode(), "sha256").hex() for value in values]
