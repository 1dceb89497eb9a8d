"""Schemas of the labour API (L1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.labor import rules


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class DeadlineIn(Schema):
    kind: str = Field(..., description="one of " + ", ".join(rules.KINDS), max_length=20)
    date: dt.date = Field(..., description="the day the period starts (for wage_claim: the end of employment)")

    model_config = ConfigDict(json_schema_extra={"examples": [{"kind": "acceptance", "date": "2026-09-28"}]})


class DeadlineOut(Schema):
    kind: str
    date: dt.date
    due: dt.date
    basis: str


class CaseOut(Schema):
    reference: str
    respondent_name: str
    claims: str
    amount_claimed: Decimal | None
    status: str
    status_label: str
    received_on: dt.date
    acceptance_due: dt.date
    accepted_on: dt.date | None
    award_due: dt.date | None
    extended: bool
    due_on: dt.date | None
    clock: str
    arbitrator: str
    hearing_at: dt.datetime | None
    hearing_room: str
    hearing_notified_on: dt.date | None
    outcome: str
    amount_awarded: Decimal | None
    award_text: str
    final_award: bool
    awarded_on: dt.date | None
    refusal_reasons: str

    @staticmethod
    def resolve_status_label(obj: object) -> str:
        return str(obj.get_status_display())  # type: ignore[attr-defined]


class CaseEventOut(Schema):
    action: str
    actor: str
    at: dt.datetime
    note: str


class CaseDetailOut(Schema):
    case: CaseOut
    events: list[CaseEventOut]


class HearingIn(Schema):
    at: dt.datetime = Field(..., description="when the hearing starts (local time)")
    room: str = Field(..., min_length=1, max_length=40)

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"at": "2026-12-21T09:30:00+08:00", "room": "第一仲裁庭"}]}
    )


class HearingRecordIn(Schema):
    record: str = Field(..., min_length=1, max_length=20000)

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"record": "双方到庭。申请人陈述拖欠工资事实，被申请人认可欠付金额。"}]}
    )


class ExtendIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "案情复杂，需调取考勤记录"}]})


class AwardIn(Schema):
    outcome: str = Field(..., description="upheld, partly_upheld or dismissed", max_length=20)
    text: str = Field(..., min_length=1, max_length=20000)
    amount: Decimal | None = Field(None, ge=0, le=100_000_000, description="amount awarded, yuan")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "outcome": "upheld",
                    "text": "被申请人于本裁决生效之日起十日内支付拖欠工资8600元。",
                    "amount": "8600.00",
                }
            ]
        }
    )
