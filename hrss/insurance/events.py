"""Facts this app publishes for others (notify, analytics, the service hall) to act on."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from hrss.core.events import Event


@dataclass(frozen=True)
class EnrolmentStarted(Event):
    person_id: uuid.UUID
    insurance_type: str
    start_month: dt.date
    employer_id: uuid.UUID | None


@dataclass(frozen=True)
class EnrolmentStopped(Event):
    person_id: uuid.UUID
    insurance_type: str
    last_month: dt.date
    reason: str
    employer_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ContributionsAssessed(Event):
    """A month's 征缴核定 finished: statements can be sent and payments expected."""

    period: dt.date
    rows_inserted: int


@dataclass(frozen=True)
class EnrolmentReminderDue(Event):
    """全民参保: a working-age person with no insurance should be reminded (notify sends it)."""

    person_id: uuid.UUID
    district: str
    period: dt.date


@dataclass(frozen=True)
class BenefitAwarded(Event):
    award_id: uuid.UUID
    person_id: uuid.UUID
    kind: str
    monthly_amount: str  # yuan, as text: events carry plain data


@dataclass(frozen=True)
class BenefitSuspended(Event):
    award_id: uuid.UUID
    person_id: uuid.UUID
    kind: str
    reason: str


@dataclass(frozen=True)
class RecoveryCaseOpened(Event):
    case_id: uuid.UUID
    person_id: uuid.UUID | None  # None: a designated institution owes it (medical monitoring)
    reason: str
    overpaid: str
