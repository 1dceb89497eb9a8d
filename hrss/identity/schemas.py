from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class SignedInAccountOut(Schema):
    username: str
    roles: list[str]
    person_name: str | None
    id_number_masked: str | None
    phone_masked: str | None
    employer_name: str | None
    employer_credit_code: str | None
    second_factor: bool


class BiometricCheckIn(Schema):
    person_id: uuid.UUID
    kind: str
    reference: str
    purpose: str


class BiometricCheckOut(Schema):
    id: uuid.UUID
    matched: bool
    score: Decimal
    evidence_id: str
    provider: str
    created_at: dt.datetime
