"""The card app's domain events (published after the writing transaction commits)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from hrss.core.events import Event


@dataclass(frozen=True)
class CardApplied(Event):
    card_id: uuid.UUID
    person_id: uuid.UUID
    kind: str


@dataclass(frozen=True)
class CardStatusChanged(Event):
    card_id: uuid.UUID
    person_id: uuid.UUID
    action: str
    from_status: str
    to_status: str
