"""The self-service kiosk's card reader (自助一体机读卡器): an adapter to the terminal's device.

A kiosk terminal has a contact/contactless reader for the social security card. Asked
"which card is in terminal T?", the reader answers with a ``CardRead``: the card number
printed on the card and the chip's serial (written by the card factory and kept on the
card record, so a card cloned from a printed number does not match), plus the chip's own
record of the holder's social security number and the issuing region, which the sign-in
compares with the registry. ``HRSS_CARD_READER_BACKEND`` chooses the backend:

- ``RecordingCardReader`` (development, tests, the demo): cards are "inserted" with
  ``card_insert`` (the kiosk page's development panel does this) and kept in the shared
  cache, so every process sees them; every read is recorded in ``reads``. Production
  settings refuse it: it believes whatever was inserted.
- ``HttpCardReader``: the terminal's reader agent over HTTPS, requests signed with a shared
  key (``HRSS_CARD_READER_URL``, ``HRSS_CARD_READER_SECRET``):
  ``GET {url}/terminals/{terminal}/card`` answers ``{"present": false}`` or
  ``{"present": true, "card_number", "chip_serial", "social_security_number"?, "region"?}``;
  ``POST {url}/terminals/{terminal}/eject`` returns the card to the holder.
- empty: no reader; the kiosk's card way says so and the other ways still work.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from hrss.core.errors import DomainError

SETTING = "HRSS_CARD_READER_BACKEND"
DEFAULT_BACKEND = "hrss.identity.cardreader.RecordingCardReader"
SIGNATURE_HEADER = "X-Hrss-Signature"
TIMESTAMP_HEADER = "X-Hrss-Timestamp"
MIN_SECRET_LENGTH = 32
# A terminal's name as the kiosk's start address gives it (``/accounts/kiosk/?terminal=...``).
TERMINAL_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_INSERTED_SECONDS = 3600  # a card left in the development reader is forgotten after an hour


class ReaderUnavailable(DomainError):
    status = 503
    code = "card_reader_unavailable"
    default_message = _("The card reader is not working. Please use your electronic card or your ID number instead.")


@dataclass(frozen=True)
class CardRead:
    """What the reader took from the card in the slot."""

    card_number: str
    chip_serial: str = ""
    social_security_number: str = ""  # the holder's ID number as the chip records it (社会保障号码)
    region: str = ""  # GB/T 2260 code of the issuing region

    @classmethod
    def from_answer(cls, answer: Mapping[str, Any]) -> CardRead:
        return cls(
            card_number=str(answer.get("card_number") or "")[:20],
            chip_serial=str(answer.get("chip_serial") or "")[:40],
            social_security_number=str(answer.get("social_security_number") or "")[:18],
            region=str(answer.get("region") or "")[:6],
        )


class CardReader(Protocol):
    name: str

    def read(self, *, terminal: str) -> CardRead | None:
        """The card in the terminal's slot, None when the slot is empty; ReaderUnavailable on failure."""
        ...

    def eject(self, *, terminal: str) -> None:
        """Give the card back (after sign-out or a refusal); never raises for an empty slot."""
        ...


# Reads the recording reader answered, newest last (like django.core.mail.outbox).
reads: list[tuple[str, CardRead | None]] = []


def _slot_key(terminal: str) -> str:
    return f"hrss:kiosk:card-slot:{terminal}"


class RecordingCardReader:
    """Development and tests: the slot is a cache entry; ``card_insert`` puts a card in it."""

    name = "recording"

    def read(self, *, terminal: str) -> CardRead | None:
        stored = cache.get(_slot_key(terminal))
        card = CardRead(**stored) if isinstance(stored, dict) else None
        reads.append((terminal, card))
        return card

    def eject(self, *, terminal: str) -> None:
        cache.delete(_slot_key(terminal))


def card_insert(*, terminal: str, card: CardRead) -> None:
    """Put a card in a development reader's slot (tests, the demo's simulation panel)."""
    cache.set(_slot_key(terminal), asdict(card), _INSERTED_SECONDS)


def sign(secret: str, timestamp: str, message: bytes) -> str:
    """Hex HMAC-SHA256 over ``timestamp + "." + message`` (the request's method, path and body)."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + message, hashlib.sha256).hexdigest()


class HttpCardReader:
    """The terminal's reader agent: signed requests, JSON answers (see the module docstring)."""

    name = "http"

    def __init__(
        self,
        *,
        url: str | None = None,
        secret: str | None = None,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url: str = (url or getattr(settings, "HRSS_CARD_READER_URL", "") or "").rstrip("/")
        self.secret: str = secret or getattr(settings, "HRSS_CARD_READER_SECRET", "") or ""
        self.client = httpx.Client(timeout=timeout, transport=transport)

    def _call(self, method: str, terminal: str, action: str) -> Any:
        if not self.url or not TERMINAL_PATTERN.match(terminal):
            raise ReaderUnavailable()
        path = f"/terminals/{terminal}/{action}"
        timestamp = str(int(time.time()))
        headers = {
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self.secret, timestamp, f"{method} {path}".encode()),
        }
        try:
            response = self.client.request(method, self.url + path, headers=headers)
            response.raise_for_status()
            return response.json() if response.content else {}
        except (httpx.HTTPError, ValueError) as error:
            raise ReaderUnavailable() from error

    def read(self, *, terminal: str) -> CardRead | None:
        answer = self._call("GET", terminal, "card")
        if not isinstance(answer, dict):
            raise ReaderUnavailable()
        if not answer.get("present"):
            return None
        card = CardRead.from_answer(answer)
        if not card.card_number:
            raise ReaderUnavailable()
        return card

    def eject(self, *, terminal: str) -> None:
        self._call("POST", terminal, "eject")


def reader() -> CardReader | None:
    """The configured reader, or None when this installation has none."""
    path = getattr(settings, SETTING, DEFAULT_BACKEND)
    if not path:
        return None
    return import_string(path)()  # type: ignore[no-any-return]


def reader_is_recording() -> bool:
    return str(getattr(settings, SETTING, DEFAULT_BACKEND) or "").rsplit(".", 1)[-1] == "RecordingCardReader"


def production_reader_problems(backend: str, url: str, secret: str) -> list[str]:
    """Why a card-reader configuration is unfit for production (empty: fit). Read from the
    settings' values alone, so production settings check before any app is loaded."""
    if not backend:
        return []
    name = backend.rsplit(".", 1)[-1]
    if name == "RecordingCardReader":
        return [f"{SETTING} is the recording card reader, which believes any inserted card"]
    problems: list[str] = []
    if name == "HttpCardReader":
        if not url.startswith("https://"):
            problems.append("HRSS_CARD_READER_URL must be an https:// address")
        if len(secret) < MIN_SECRET_LENGTH or secret.startswith("dev"):
            problems.append(f"HRSS_CARD_READER_SECRET must be at least {MIN_SECRET_LENGTH} characters")
    return problems


def answer_json(card: CardRead | None) -> bytes:
    """A reader agent's answer for ``card`` (what ``HttpCardReader.read`` expects): for tests and agents."""
    body: dict[str, Any] = {"present": False} if card is None else {"present": True, **asdict(card)}
    return json.dumps(body).encode()
