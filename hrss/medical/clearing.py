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
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

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


def backend() -> ClearingBackend:
    path = str(getattr(settings, SETTING, "") or DEFAULT_BACKEND)
    return import_string(path)()  # type: ignore[no-any-return]


def home_prefix() -> str:
    """Our pooling regions are the GB/T 2260 codes under ``HRSS_CITY_REGION`` (120000 → 12…)."""
    code = str(settings.HRSS_CITY_REGION)
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code
