"""The electronic card's dynamic code (电子社保卡动态二维码): a signed, short-lived token.

Layout (49 bytes, base64url without padding = 66 characters, small enough for a QR code
a phone camera reads at arm's length)::

    version (1) | card id (16) | e-card epoch (4) | nonce (8) | expires, Unix seconds (4) | HMAC-SHA256[:16]

Verification is one HMAC and one constant-time compare: nothing is decrypted, so it is
fast enough to sit on a hospital's or pharmacy's hot path. The card id is the card's
primary key, so the caller looks the card up by index and checks it is still active and
that the epoch still matches (the epoch is bumped when the electronic card is re-issued
or revoked, so every code shown before stops working).

Pure: the key and the clock are arguments; ``services``/``selectors`` supply them.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import os
import struct
import uuid
from dataclasses import dataclass
from functools import lru_cache

VERSION = 1
_LAYOUT = struct.Struct(">B16sIQI")
_MAC_BYTES = 16
TOKEN_BYTES = _LAYOUT.size + _MAC_BYTES
TOKEN_CHARS = (TOKEN_BYTES * 8 + 5) // 6


class ForgedToken(Exception):
    """The code was not signed by us (or was altered, truncated or is not a code at all)."""


@dataclass(frozen=True)
class Claims:
    card_id: uuid.UUID
    epoch: int
    nonce: int
    expires_at: int  # Unix seconds

    def expired(self, now: float) -> bool:
        return now >= self.expires_at

    @property
    def expires_datetime(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.expires_at, tz=dt.UTC)


@lru_cache(maxsize=4)
def _mac_prototype(key: bytes) -> hmac.HMAC:
    # HMAC's key schedule done once per key; each signature copies the keyed state.
    return hmac.new(key, digestmod=hashlib.sha256)


def _mac(key: bytes, payload: bytes) -> bytes:
    mac = _mac_prototype(key).copy()
    mac.update(payload)
    return mac.digest()[:_MAC_BYTES]


def token_sign(*, key: bytes, card_id: uuid.UUID, epoch: int, now: float, ttl_seconds: int) -> tuple[str, Claims]:
    """A fresh code for a card, valid for ``ttl_seconds`` from ``now``."""
    if not key:
        raise ValueError("the electronic card token key is empty")
    claims = Claims(
        card_id=card_id,
        epoch=epoch,
        nonce=int.from_bytes(os.urandom(8), "big"),
        expires_at=int(now) + ttl_seconds,
    )
    payload = _LAYOUT.pack(VERSION, card_id.bytes, epoch, claims.nonce, claims.expires_at)
    token = base64.urlsafe_b64encode(payload + _mac(key, payload)).rstrip(b"=").decode()
    return token, claims


def token_read(token: str, *, key: bytes) -> Claims:
    """The claims of an authentic code; ``ForgedToken`` for anything we did not sign.

    Expiry is not checked here (the caller has the clock and reports "expired" apart from
    "forged").
    """
    if not isinstance(token, str) or len(token) != TOKEN_CHARS or not token.isascii():
        raise ForgedToken("not an electronic card code")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError) as error:
        raise ForgedToken("not an electronic card code") from error
    if len(raw) != TOKEN_BYTES:
        raise ForgedToken("not an electronic card code")
    payload, signature = raw[: _LAYOUT.size], raw[_LAYOUT.size :]
    if not hmac.compare_digest(_mac(key, payload), signature):
        raise ForgedToken("the code's signature does not match")
    version, card_bytes, epoch, nonce, expires_at = _LAYOUT.unpack(payload)
    if version != VERSION:
        raise ForgedToken("unknown code version")
    return Claims(card_id=uuid.UUID(bytes=card_bytes), epoch=epoch, nonce=nonce, expires_at=expires_at)
