"""API schemas of the bureau's support for people (E1, E2); every request body carries a
valid example. Names start with ``Support`` so they stay unique in the OpenAPI document."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.codes import examples
from hrss.core.logging import mask_id_number


class SupportGroupOut(Schema):
    code: str
    name: str
    basis: str
    identified_by: str


class SupportPersonOut(Schema):
    name: str
    id_number: str

    @staticmethod
    def resolve_id_number(obj: Any) -> str:
        return mask_id_number(obj.id_number)


class SupportMeasureOut(Schema):
    id: uuid.UUID
    kind: str
    given_on: dt.date
    notes: str
    given_by: str


class SupportFollowUpOut(Schema):
    id: uuid.UUID
    on: dt.date
    way: str
    notes: str
    next_due: dt.date | None
    recorded_by: str


class SupportMemberOut(Schema):
    id: uuid.UUID
    person: SupportPersonOut
    category: str
    basis: list[dict[str, Any]]
    evidence: str
    evidence_date: dt.date | None
    identified_by: str
    identified_on: dt.date
    status: str
    end_reason: str
    ended_on: dt.date | None
    next_follow_up: dt.date | None


class SupportMemberDetailOut(SupportMemberOut):
    measures: list[SupportMeasureOut]
    follow_ups: list[SupportFollowUpOut]

    @staticmethod
    def resolve_measures(obj: Any) -> list[Any]:
        return list(obj.measures.all())

    @staticmethod
    def resolve_follow_ups(obj: Any) -> list[Any]:
        return list(obj.follow_ups.all())


class SupportIdentifyIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id_number": examples.ID_NUMBER,
                    "category": "disabled",
                    "evidence": "残疾人证 第12010119900307321442号",
                    "evidence_date": None,
                }
            ]
        }
    )

    id_number: str = Field(..., min_length=15, max_length=18)
    category: str = Field(..., max_length=40)
    evidence: str = Field("", max_length=200)
    evidence_date: dt.date | None = None


class SupportEndIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "employed"}]})

    reason: str = Field(..., max_length=10)


class SupportMeasureIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "skills_training", "given_on": "2026-11-20", "notes": "电工培训班"}]}
    )

    kind: str = Field(..., max_length=30)
    given_on: dt.date
    notes: str = Field("", max_length=500)


class SupportFollowUpIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"on": "2026-11-20", "way": "phone", "notes": "已报名培训", "next_due": "2026-12-20"}]
        }
    )

    on: dt.date
    way: str = Field(..., max_length=10)
    notes: str = Field("", max_length=1000)
    next_due: dt.date | None = None


class SupportReviewOut(Schema):
    employed: int
    expired: int


class SupportSlotIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "starts_at": "2027-01-15T10:00:00+08:00",
                    "minutes": 45,
                    "online": False,
                    "place": "和平区人力资源市场三楼职业指导室",
                    "district": examples.DISTRICT,
                }
            ]
        }
    )

    starts_at: dt.datetime
    minutes: int = Field(45, ge=15, le=240)
    online: bool = False
    place: str = Field(..., min_length=1, max_length=200)
    district: str = Field(..., max_length=6)


class SupportSlotOut(Schema):
    id: uuid.UUID
    counsellor_name: str
    starts_at: dt.datetime
    minutes: int
    online: bool
    place: str
    district: str = Field(..., alias="district_id")
    status: str


class SupportBookingIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"topic": "想转行做数据分析，需要哪些培训"}]})

    topic: str = Field("", max_length=300)


class SupportBookingOut(Schema):
    id: uuid.UUID
    slot: SupportSlotOut
    topic: str
    status: str
    outcome: str


class SupportSlotBookingOut(Schema):
    id: uuid.UUID
    person: SupportPersonOut
    topic: str
    status: str
    outcome: str


class SupportCounsellorSlotOut(SupportSlotOut):
    bookings: list[SupportSlotBookingOut]

    @staticmethod
    def resolve_bookings(obj: Any) -> list[Any]:
        return list(getattr(obj, "live_bookings", []))


class SupportOutcomeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"attended": True, "outcome": "建议参加电工培训"}]})

    attended: bool
    outcome: str = Field("", max_length=1000)


class SupportStartupIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "business_name": "和平区小张早餐店",
                    "credit_code": examples.CREDIT_CODE,
                    "started_on": "2026-09-01",
                    "industry": "H",
                    "district": examples.DISTRICT,
                    "employees": 3,
                    "id_number": None,
                }
            ]
        }
    )

    business_name: str = Field(..., min_length=1, max_length=200)
    credit_code: str = Field("", max_length=18)
    started_on: dt.date
    industry: str = Field(..., max_length=4)
    district: str = Field(..., max_length=6)
    employees: int = Field(0, ge=0, le=100_000)
    id_number: str | None = Field(None, max_length=18, description="Staff: the owner's ID number")


class SupportGuidanceOut(Schema):
    id: uuid.UUID
    on: dt.date
    adviser: str
    topics: list[str]
    notes: str


class SupportStartupOut(Schema):
    id: uuid.UUID
    business_name: str
    credit_code: str
    started_on: dt.date
    industry: str = Field(..., alias="industry_id")
    district: str = Field(..., alias="district_id")
    employees: int
    registered_by: str
    guidance: list[SupportGuidanceOut]

    @staticmethod
    def resolve_guidance(obj: Any) -> list[Any]:
        return list(obj.guidance.all())


class SupportStaffStartupOut(SupportStartupOut):
    person: SupportPersonOut


class SupportGuidanceIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "on": "2026-11-20",
                    "adviser": "王建国",
                    "topics": ["财务管理", "市场营销"],
                    "notes": "建议申请创业担保贷款",
                }
            ]
        }
    )

    on: dt.date
    adviser: str = Field(..., min_length=1, max_length=100)
    topics: list[str] = Field(..., min_length=1, max_length=10)
    notes: str = Field("", max_length=1000)
