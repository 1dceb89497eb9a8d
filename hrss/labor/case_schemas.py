"""Schemas of the case's evidence, signature, panel, settlement and the case statistics (L1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict


class EvidenceOut(Schema):
    id: int
    filename: str
    description: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    at: dt.datetime


class SignatureOut(Schema):
    signer: str
    signed_at: dt.datetime
    content_sha256: str


class SettlementIn(Schema):
    text: str = Field(..., min_length=1, max_length=20000, description="what the parties agreed (调解书)")
    amount: Decimal | None = Field(None, ge=0, le=100_000_000, description="amount agreed, yuan")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"text": "被申请人于2026年12月31日前一次性支付申请人工资8000元，双方再无争议。", "amount": "8000.00"}
            ]
        }
    )


class CaseCountOut(Schema):
    key: str
    label: str
    count: int


class CaseStatisticsOut(Schema):
    start: dt.date
    end: dt.date
    district: str
    total: int
    status: list[CaseCountOut]
    outcome: list[CaseCountOut]
    district_counts: list[CaseCountOut]
    industry: list[CaseCountOut]
    claim_type: list[CaseCountOut]
