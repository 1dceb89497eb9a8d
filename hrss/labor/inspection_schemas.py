"""Schemas of labour inspection's follow-through (L3): leads, findings, rectification orders,
penalties, and the published results of random inspection plans."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class LeadRowOut(Schema):
    id: uuid.UUID
    credit_code: str
    employer_name: str
    district_id: str | None
    opened_on: dt.date
    status: str
    overdue: bool
    next_due: dt.date | None

    @staticmethod
    def resolve_credit_code(obj: Any) -> str:
        return str(obj.employer.credit_code)

    @staticmethod
    def resolve_employer_name(obj: Any) -> str:
        return str(obj.employer.name)


class PhotoOut(Schema):
    sha256: str
    content_type: str
    size: int


class FindingOut(Schema):
    id: uuid.UUID
    found_on: dt.date
    text: str
    violation: bool
    recorded_by: str
    photos: list[PhotoOut]

    @staticmethod
    def resolve_photos(obj: Any) -> list[Any]:
        return list(obj.photos.all())


class OrderOut(Schema):
    reference: str
    requirement: str
    issued_on: dt.date
    due_on: dt.date
    basis: str
    status: str
    issued_by: str
    complied_on: dt.date | None
    compliance_note: str
    penalty_amount: Decimal | None
    penalty_basis: str
    penalised_on: dt.date | None


class OrderRowOut(OrderOut):
    """An order in the inspectors' list, with its lead and employer."""

    lead_id: uuid.UUID
    credit_code: str
    employer_name: str
    overdue: bool

    @staticmethod
    def resolve_credit_code(obj: Any) -> str:
        return str(obj.lead.employer.credit_code)

    @staticmethod
    def resolve_employer_name(obj: Any) -> str:
        return str(obj.lead.employer.name)

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.late)


class LeadEventOut(Schema):
    action: str
    actor: str
    at: dt.datetime
    note: str


class LeadComplaintOut(Schema):
    reference: str
    kind: str
    received_on: dt.date
    content: str


class LeadPlanItemOut(Schema):
    plan: str
    position: int
    status: str

    @staticmethod
    def resolve_plan(obj: Any) -> str:
        return str(obj.plan.reference)


class LeadDetailOut(Schema):
    id: uuid.UUID
    credit_code: str
    employer_name: str
    district_id: str | None
    status: str
    opened_on: dt.date
    reasons: list[dict[str, Any]]
    closed_on: dt.date | None
    result: str
    result_note: str
    overdue: bool
    complaints: list[LeadComplaintOut]
    plan_items: list[LeadPlanItemOut]
    findings: list[FindingOut]
    orders: list[OrderOut]
    events: list[LeadEventOut]


class OrderIn(Schema):
    requirement: str = Field(min_length=1, max_length=4000)
    finding: uuid.UUID | None = Field(None, description="the finding of a violation; empty: the latest one")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"requirement": "于限期内足额支付2026年10月、11月拖欠的工资"}]}
    )


class ComplianceIn(Schema):
    note: str = Field(min_length=1, max_length=4000)

    model_config = ConfigDict(json_schema_extra={"examples": [{"note": "用人单位已补发拖欠工资，提交银行代发凭证"}]})


class PenaltyIn(Schema):
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2, description="the fine in yuan")
    basis: str = Field(min_length=1, max_length=4000)

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"amount": "20000.00", "basis": "《劳动保障监察条例》第二十六条、第三十条"}]}
    )


class LeadCloseIn(Schema):
    result: str = Field(description="no_violation, rectified or penalised", max_length=20)
    note: str = Field("", max_length=4000)

    model_config = ConfigDict(json_schema_extra={"examples": [{"result": "rectified", "note": "整改到位，结案"}]})


class PublishedItemOut(Schema):
    credit_code: str
    employer_name: str
    result: str = Field(description="no_problem, rectification or penalised")
    result_label: str
    inspected_on: dt.date | None


class PublishedPlanOut(Schema):
    reference: str
    district_id: str
    drawn_on: dt.date
    completed_on: dt.date | None
    items: list[PublishedItemOut]


class DistrictLoadOut(Schema):
    """One district's inspection work on the dispatch board."""

    code: str
    name: str
    open_leads: int
    overdue_leads: int = Field(description="open leads with a rectification order past its day")
    to_dispatch: int = Field(description="plan items drawn, inspectors not yet dispatched")
    to_inspect: int = Field(description="plan items dispatched, no findings yet")
    inspected: int
    waiting: int = Field(description="open leads and plan items not dispatched")
