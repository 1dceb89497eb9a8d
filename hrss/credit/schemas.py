"""Request and response shapes of the credit API (A7); every request body carries an example."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema
from pydantic import ConfigDict


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class EventKindOut(Schema):
    code: str
    name: str
    subject_kind: str
    direction: str
    severe: bool
    legal_basis: str
    source: str
    points: int
    months: int


class EventOut(Schema):
    id: uuid.UUID
    kind: str
    kind_name: str
    direction: str
    severe: bool
    legal_basis: str
    source: str
    summary: str
    occurred_on: dt.date
    expires_on: dt.date
    points: int
    in_force: bool
    corrected: bool
    correction: str
    objection: str
    objection_reference: str


class CreditOut(Schema):
    subject_kind: str
    name: str
    code: str
    rated: bool
    score: int
    grade: str
    base: int
    on: dt.date
    events: list[EventOut]


class ObjectionIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason": "该月社会保险费已于缴费期内足额缴纳，附银行回单。",
                    "idempotency_key": "objection-2026-12-001",
                }
            ]
        }
    )

    reason: str = Field(..., min_length=1, max_length=500)
    idempotency_key: str = Field(..., min_length=1, max_length=64)


class ObjectionOut(Schema):
    id: uuid.UUID
    event: uuid.UUID = Field(..., alias="event_id")
    status: str
    hall_reference: str


class ListEntryOut(Schema):
    name: str
    credit_code: str
    district: str
    grade: str
    score: int
    rated_on: dt.date
    reasons: list[str]
