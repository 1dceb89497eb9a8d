"""The training app's domain events (published after the writing transaction commits).

A certificate issued or revoked is a fact for the person's dossier (档案): the electronic
archives (A4) subscribe when they exist."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from hrss.core.events import Event


@dataclass(frozen=True)
class CertificateIssued(Event):
    certificate_id: uuid.UUID
    person_id: uuid.UUID
    number: str
    qualification: str
    level: int


@dataclass(frozen=True)
class CertificateRevoked(Event):
    certificate_id: uuid.UUID
    person_id: uuid.UUID
    number: str
    reason: str
