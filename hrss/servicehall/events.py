"""The service hall's domain events, published after commit (notifications and other apps subscribe)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hrss.core.events import Event


@dataclass(frozen=True)
class ApplicationSubmitted(Event):
    application_id: Any
    reference: str
    item_code: str


@dataclass(frozen=True)
class ApplicationStepNotified(Event):
    """Something the applicant should hear about (SMS / WeChat / in-app via notify)."""

    application_id: Any
    reference: str
    person_id: Any
    employer_id: Any
    step: str
    status: str
    message: str


@dataclass(frozen=True)
class ApplicationDecided(Event):
    application_id: Any
    reference: str
    item_code: str
    outcome: str
    person_id: Any
    employer_id: Any


@dataclass(frozen=True)
class WorkItemEscalated(Event):
    work_item_id: Any
    application_id: Any
    reference: str
    level: int
    assignee: str
