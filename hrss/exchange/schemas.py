"""Request and response shapes of the exchange API (S3, A6, S7); every request body carries an example."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class SignedOut(Schema):
    """The answer and its compact JWS (RS256 with the bureau's key; the JWS payload is the
    answer, serialised with sorted keys): keep the JWS to prove what the bureau said."""

    answer: dict[str, Any]
    jws: str


class QuestionOut(Schema):
    question: str
    label: str


class ConsentIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"recipient": "市住房公积金管理中心", "purpose": "办理公积金贷款", "days": 7},
                {"recipient": "天津市第一中心医院", "purpose": "首诊病史采集", "days": 3, "use": "medical"},
            ]
        }
    )

    recipient: str = Field(..., min_length=1, max_length=100)
    purpose: str = Field(..., min_length=1, max_length=200)
    days: int = Field(7, ge=1, le=90)
    use: Literal["history", "medical"] = Field(
        "history",
        description="what the code opens: history (a department reads the employment and insurance "
        "history) or medical (a designated medical institution reads the medical visits and their costs)",
    )


class ExchangeConsentOut(Schema):
    id: uuid.UUID
    hint: str
    recipient: str
    purpose: str
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    uses: int
    use: str


class ConsentCreatedOut(ExchangeConsentOut):
    code: str  # shown once


class InquiryOut(Schema):
    id: uuid.UUID
    kind: str
    client: str
    purpose: str
    created_at: dt.datetime
    answer: dict[str, Any]


class ExchangeHolderCertificateOut(Schema):
    """One of the caller's certificates or published exam scores (R1)."""

    kind: str
    kind_label: str
    number: str
    title: str
    valid: bool
    issued_on: dt.date | None
