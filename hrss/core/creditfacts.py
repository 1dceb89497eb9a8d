"""What an app reports to the credit system (A7), without importing it.

An app declares ``credit_facts = "hrss.<app>.credit_facts"`` on its AppConfig; that module
has ``facts(*, on: date) -> Iterable[CreditFact]``, every fact the app's records hold as of
a day, read set-based. The credit app collects from every declaring app (``hrss credit
collect``, nightly): a fact already recorded (same ``source`` and ``source_ref``) is not
recorded again, so a source simply reports all it knows each time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class CreditFact:
    kind: str  # a credit event kind's code, e.g. "contribution_arrears"
    source_ref: str  # unique within the source app, e.g. "arrears:<employer>:2026-09"
    occurred_on: dt.date
    summary: str  # one line, in the bureau's language (data, shown as is)
    person_id: uuid.UUID | None = None
    employer_id: uuid.UUID | None = None
