"""The national clearing of cross-region settlements (跨省/跨地区清算, S5): the adapter.

Each month the bureau sends every other region a statement: what that region owes us for its
insured treated by our institutions (the fund share and the personal account payments we
advanced), and what we owe it for our insured treated there. The national platform clears
the two directions.

``HRSS_MEDICAL_CLEARING_BACKEND`` names the class that sends a statement (anything with the
``send`` method of ``ClearingBackend``). Development and tests record
(``RecordingClearing``): the statement is written as JSON to ``HRSS_MEDICAL_CLEARING_DIR``
(default ``var/medical-clearing``), one file per statement id, so sending a month again
overwrites the same files, and is kept in ``sent``. Nothing leaves the machine.

Production sends (``HttpClearing``): ``POST`` of the statement's JSON to
``HRSS_MEDICAL_CLEARING_URL``, signed as the payment gateways sign (``hrss.core.payments.sign``:
hex HMAC-SHA256 with ``HRSS_MEDICAL_CLEARING_KEY`` over ``timestamp + "." + body``, in the
``X-Hrss-Timestamp`` and ``X-Hrss-Signature`` headers), with the statement's id as the
``Idempotency-Key`` (sending a month again cannot book it twice), a timeout per attempt
(``HRSS_MEDICAL_CLEARING_TIMEOUT`` seconds) and up to ``HRSS_MEDICAL_CLEARING_ATTEMPTS``
attempts: a 5xx answer, or no answer at all, is tried again after a growing pause; a 4xx is
not (the same request would be refused again). The platform answers ``{"reference": ...}``.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.core.errors import DomainError
from hrss.core.payments import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

SETTING = "HRSS_MEDICAL_CLEARING_BACKEND"
DEFAULT_BACKEND = "hrss.medical.clearing.RecordingClearing"


@dataclass(frozen=True)
class Statement:
    """One month's clearing statement between our pooling regions and one other region."""

    home: str
    other_region: str
    month: str
    receivable_claims: int
    receivable_fund: Decimal
    receivable_account: Decimal
    payable_claims: int
    payable_fund: Decimal
    payable_account: Decimal

    @property
    def statement_id(self) -> str:
        return f"CLR-{self.home}-{self.other_region}-{self.month}"

    @property
    def receivable(self) -> Decimal:
        """What the other region owes us."""
        return self.receivable_fund + self.receivable_account

    @property
    def payable(self) -> Decimal:
        """What we owe the other region."""
        return self.payable_fund + self.payable_account

    @property
    def net(self) -> Decimal:
        """Positive: the other region pays us the balance."""
        return self.receivable - self.payable


def statement_body(statement: Statement) -> bytes:
    """The statement as sent: canonical JSON, amounts as strings of yuan."""
    data = {
        "statement_id": statement.statement_id,
        **{key: str(value) for key, value in asdict(statement).items()},
        "receivable": str(statement.receivable),
        "payable": str(statement.payable),
        "net": str(statement.net),
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False).encode()


class ClearingBackend(Protocol):
    def send(self, statement: Statement, body: bytes) -> str:
        """Deliver the statement; return the platform's reference or raise."""
        ...


# Statements the recording backend has "sent", newest last (like django.core.mail.outbox).
sent: list[Statement] = []


def clearing_dir() -> Path:
    configured = getattr(settings, "HRSS_MEDICAL_CLEARING_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "medical-clearing"


class RecordingClearing:
    """Development and tests: writes what would be sent, sends nothing. Never in production."""

    def send(self, statement: Statement, body: bytes) -> str:
        directory = clearing_dir()
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{statement.statement_id}.json").write_bytes(body)
        sent.append(statement)
        return f"recorded-{statement.statement_id}"


class ClearingUnavailable(DomainError):
    status = 502
    code = "medical_clearing_unavailable"
    default_message = gettext_lazy(
        "The national clearing platform did not take the statement. Statements sent before it stand; send the month again later."
    )


IDEMPOTENCY_HEADER = "Idempotency-Key"


class HttpClearing:
    """Production: the national clearing platform's HTTP API (see the module's docstring)."""

    def __init__(
        self,
        *,
        url: str | None = None,
        key: str | None = None,
        timeout: float | None = None,
        attempts: int | None = None,
        backoff: float | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url if url is not None else str(getattr(settings, "HRSS_MEDICAL_CLEARING_URL", ""))
        self.key = key if key is not None else str(getattr(settings, "HRSS_MEDICAL_CLEARING_KEY", ""))
        if not self.url or not self.key:
            raise ImproperlyConfigured("HttpClearing needs HRSS_MEDICAL_CLEARING_URL and HRSS_MEDICAL_CLEARING_KEY")
        self.attempts = max(
            1, attempts if attempts is not None else int(getattr(settings, "HRSS_MEDICAL_CLEARING_ATTEMPTS", 3))
        )
        self.backoff = (
            backoff if backoff is not None else float(getattr(settings, "HRSS_MEDICAL_CLEARING_BACKOFF", 1.0))
        )
        seconds = timeout if timeout is not None else float(getattr(settings, "HRSS_MEDICAL_CLEARING_TIMEOUT", 10.0))
        self.client = httpx.Client(timeout=seconds, transport=transport)

    def send(self, statement: Statement, body: bytes) -> str:
        for attempt in range(1, self.attempts + 1):
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                IDEMPOTENCY_HEADER: statement.statement_id,
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: sign(self.key, timestamp, body),
            }
            try:
                response = self.client.post(self.url, content=body, headers=headers)
            except httpx.TransportError as error:  # no answer: the idempotency key makes a retry safe
                if attempt == self.attempts:
                    raise ClearingUnavailable() from error
            else:
                if response.status_code < 500:
                    return self._reference(response)
                if attempt == self.attempts:
                    raise ClearingUnavailable()
            time.sleep(self.backoff * 2 ** (attempt - 1))
        raise ClearingUnavailable()  # pragma: no cover - the loop returns or raises

    @staticmethod
    def _reference(response: httpx.Response) -> str:
        if not response.is_success:  # a 4xx: refused, not tried again
            raise ClearingUnavailable(
                _("The national clearing platform refused the statement (HTTP %(status)s).")
                % {"status": response.status_code},
                code="medical_clearing_refused",
            )
        try:
            data = response.json()
        except ValueError:
            raise ClearingUnavailable() from None
        reference = data.get("reference") if isinstance(data, dict) else None
        if not reference:
            raise ClearingUnavailable()
        return str(reference)


def backend() -> ClearingBackend:
    path = str(getattr(settings, SETTING, "") or DEFAULT_BACKEND)
    return import_string(path)()  # type: ignore[no-any-return]


def home_prefix() -> str:
    """Our pooling regions are the GB/T 2260 codes under ``HRSS_CITY_REGION`` (120000 → 12…)."""
    code = str(settings.HRSS_CITY_REGION)
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code
