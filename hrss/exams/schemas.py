"""Request and response shapes of the exams API (R4); every request body carries an example."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class ExamPostOut(Schema):
    code: str
    name: str
    hires: int
    min_age: int
    max_age: int
    districts: list[str]
    certificate_kind: str


class ExamOut(Schema):
    code: str
    name: str
    district: str
    status: str
    fee: Decimal
    registration_opens: dt.date
    registration_closes: dt.date
    held_on: dt.date
    posts: list[ExamPostOut]


class ExamRegistrationIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"post": "P01", "certificate_number": ""}]})

    post: str = Field(..., min_length=1, max_length=20)
    certificate_number: str = Field("", max_length=40)


class ExamSeatOut(Schema):
    ticket: str
    site: str
    address: str
    room: str
    number: int


class ExamScoreOut(Schema):
    objective: Decimal
    written: Decimal
    total: Decimal
    rank: int


class ExamRegistrationOut(Schema):
    id: uuid.UUID
    exam: str
    exam_name: str
    post: str
    status: str
    review_note: str
    fee_due: Decimal | None
    seat: ExamSeatOut | None
    score: ExamScoreOut | None  # once the results are published
    appeal: str | None


class ExamFeeOut(Schema):
    reference: str
    amount: Decimal
    status: str
    redirect_url: str


class ExamAppealIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "客观题得分与我核对的答案不符，申请复核"}]})

    reason: str = Field(..., min_length=1, max_length=500)


class ExamAppealOut(Schema):
    id: uuid.UUID
    status: str
    total_before: Decimal
    total_after: Decimal | None


class OfficeExamOut(Schema):
    code: str
    name: str
    status: str
    held_on: dt.date
    registered: int
    to_review: int
    confirmed: int
    sealed: bool


class OfficeRegistrationOut(Schema):
    id: uuid.UUID
    post: str
    name: str
    id_number: str
    status: str
    eligibility: list[Any]
    created_at: dt.datetime


class ExamReviewIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"approve": True, "note": ""}]})

    approve: bool
    note: str = Field("", max_length=200)


class ExamStepIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"step": "close"}]})

    step: Literal["open", "close", "paper", "seats", "score", "publish"]


class ExamStepOut(Schema):
    code: str
    status: str
    count: int


class ExamItemOut(Schema):
    code: str
    version: int
    kind: str
    tag: str
    difficulty: int
    points: Decimal


class ExamItemIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "single",
                    "tag": "labour-law",
                    "difficulty": 2,
                    "points": "2",
                    "stem": "劳动合同期限三个月以上不满一年的，试用期不得超过几个月？",
                    "options": ["一个月", "二个月", "三个月", "六个月"],
                    "key": "A",
                }
            ]
        }
    )

    kind: Literal["single", "multiple", "judge", "essay"]
    tag: str = Field(..., min_length=1, max_length=40)
    difficulty: int = Field(..., ge=1, le=5)
    points: Decimal = Field(..., ge=Decimal("0.5"), le=Decimal("100"), max_digits=5, decimal_places=1)
    stem: str = Field(..., min_length=1, max_length=4000)
    options: list[str] = Field(default_factory=list, max_length=4)
    key: str = Field(..., min_length=1, max_length=4000)


class ExamMarkIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"score": "12.5"}]})

    score: Decimal = Field(..., ge=Decimal("0"), le=Decimal("100"), max_digits=4, decimal_places=1)


class ExamScriptOut(Schema):
    code: str
    round: int
    question: str
    guide: str
    points: Decimal
    text: str


class ExamMarkOut(Schema):
    code: str
    status: str


class ExamTicketOut(Schema):
    ticket: str
    valid: bool
    name: str
    exam: str
    held_on: dt.date
    site: str
    address: str
    room: str
    seat: int


class ExamSheetsIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"sheets": {"EX2026010000001": "1248124812"}, "scripts": {"EX2026010000001": {"10": "答：……"}}}
            ]
        }
    )

    # What the answer-sheet reader read: ticket -> one hex digit per objective question.
    sheets: dict[str, str] = Field(default_factory=dict, max_length=5000)
    # The written answers: ticket -> {paper position: text}.
    scripts: dict[str, dict[int, str]] = Field(default_factory=dict, max_length=5000)
