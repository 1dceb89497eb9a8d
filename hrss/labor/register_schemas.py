"""Schemas of the rights-protection register's API (L2): petitions, fraud cases, the register's
entries, transfers with receipts, duplicates."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.codes import examples


class RegisterEntryOut(Schema):
    kind: str
    kind_label: str
    reference: str
    person_id: uuid.UUID | None
    person_name: str
    employer_name: str
    district_id: str
    subject: str
    received_on: dt.date
    due_on: dt.date | None
    overdue: bool
    status: str
    status_label: str
    unit: str
    merged_into: str


class RegisterEventOut(Schema):
    action: str
    actor: str
    at: dt.datetime
    note: str


class RegisterTransferOut(Schema):
    id: int
    item_kind: str
    item_reference: str
    from_unit: str
    to_unit: str
    reason: str
    sent_by: str
    sent_on: dt.date
    receipt_due: dt.date
    received_by: str
    received_at: dt.datetime | None
    overdue: bool


class RegisterItemOut(Schema):
    entry: RegisterEntryOut
    events: list[RegisterEventOut]
    transfers: list[RegisterTransferOut]
    merged_from: list[str]


class PersonRegisterOut(Schema):
    person_id: uuid.UUID
    name: str
    entries: list[RegisterEntryOut]


class RegisterDuplicateOut(Schema):
    kind: str
    reference: str
    candidate_of: str
    days_apart: int


class PetitionIn(Schema):
    channel: str = Field(..., description="letter, visit, online or 12333", max_length=10)
    subject: str = Field(..., min_length=1, max_length=200)
    content: str = Field("", max_length=8000)
    id_number: str = Field("", description="the petitioner's ID number, when in the registry", max_length=18)
    petitioner_name: str = Field("", description="else the petitioner's name", max_length=100)
    petitioner_phone: str = Field("", description="and phone", max_length=20)
    credit_code: str = Field("", description="the employer concerned, if any", max_length=30)
    district: str = Field("", description="GB/T 2260 code, when neither person nor employer gives one", max_length=6)
    idempotency_key: str = Field(..., min_length=1, max_length=64)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "channel": "letter",
                    "subject": "反映单位拖欠工资",
                    "content": "来信反映单位拖欠2026年9月至10月工资。",
                    "id_number": examples.ID_NUMBER,
                    "credit_code": examples.CREDIT_CODE,
                    "district": examples.DISTRICT,
                    "idempotency_key": "petition-2026-11-03-1",
                }
            ]
        }
    )


class PetitionDecisionIn(Schema):
    accept: bool
    reason: str = Field("", description="why it is not accepted", max_length=4000)

    model_config = ConfigDict(json_schema_extra={"examples": [{"accept": True, "reason": ""}]})


class PetitionAnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=8000)

    model_config = ConfigDict(json_schema_extra={"examples": [{"answer": "已责令单位于十日内支付拖欠工资。"}]})


class RegisterReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=4000)

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "涉及多个部门，情况复杂"}]})


class FraudCaseIn(Schema):
    kind: str = Field(..., description="impersonation, false_enrolment, benefit_fraud or other", max_length=20)
    found_by: str = Field(..., description="inspection, cross_check or report", max_length=12)
    amount: Decimal = Field(..., ge=0, le=Decimal("999999999999.99"), decimal_places=2, description="yuan")
    description: str = Field(..., min_length=1, max_length=8000)
    id_number: str = Field("", description="the person concerned", max_length=18)
    credit_code: str = Field("", description="the employer concerned", max_length=30)
    district: str = Field("", max_length=6)
    idempotency_key: str = Field(..., min_length=1, max_length=64)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "impersonation",
                    "found_by": "cross_check",
                    "amount": "12000.00",
                    "description": "参保人死亡后继续领取基本养老金。",
                    "id_number": examples.ID_NUMBER,
                    "credit_code": examples.CREDIT_CODE,
                    "district": examples.DISTRICT,
                    "idempotency_key": "fraud-2026-11-03-1",
                }
            ]
        }
    )


class FraudStatusIn(Schema):
    status: str = Field(..., description="confirmed, dismissed or closed", max_length=10)
    note: str = Field("", max_length=4000)

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "confirmed", "note": "经核查属实"}]})


class RecoveryLinkIn(Schema):
    recovery_case: uuid.UUID = Field(..., description="the insurance app's recovery case")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"recovery_case": "3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c"}]}
    )


class TransferIn(Schema):
    to_unit: str = Field(..., description="the receiving unit's code", max_length=40)
    reason: str = Field(..., min_length=1, max_length=4000)
    idempotency_key: str = Field(..., min_length=1, max_length=64)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"to_unit": "city-inspection", "reason": "属地监察办理", "idempotency_key": "transfer-1"}]
        }
    )


class MergeIn(Schema):
    into: str = Field(..., min_length=1, max_length=24, description="the surviving item's reference")

    model_config = ConfigDict(json_schema_extra={"examples": [{"into": "XF261103000123"}]})
