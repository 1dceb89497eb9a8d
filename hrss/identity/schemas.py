from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict


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
    # Request example (the house rule). A person's id is the registry's UUID (see /registry/persons/me).
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "3f2b8c1e-6a4d-4f0e-9b7a-2d5c8e1f4a60",
                    "kind": "liveness_video",
                    "reference": "media/2026/12/04/liveness-7f3a9c.mp4",
                    "purpose": "养老金领取资格认证",
                }
            ]
        }
    )

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
