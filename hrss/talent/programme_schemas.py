"""API schemas of the talent programmes and their expert review (R1). Every class name starts
with ``Talent`` (OpenAPI components are keyed by class name across the whole API) and every
request body carries a valid example (the demo's records where one is named)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, JsonValue

from hrss.codes import examples
from hrss.talent.programme_selectors import appeal_of, current_assignments

_CRITERIA: list[JsonValue] = [
    {"name": "创新性", "max_points": 40},
    {"name": "可行性", "max_points": 30},
    {"name": "预期效益", "max_points": 30},
]


class TalentCriterionOut(Schema):
    name: str
    max_points: int


class TalentProgrammeIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "HHYC-2026-01",
                    "name": "海河英才青年科技人才创新项目",
                    "level": "municipal",
                    "district": "",
                    "speciality": "工程技术",
                    "description": "支持40岁以下青年科技人才开展应用研究",
                    "opens_on": "2026-03-01",
                    "closes_on": "2026-04-30",
                    "funding_per_project": "200000.00",
                    "awards": 20,
                    "criteria": _CRITERIA,
                    "experts_per_declaration": 5,
                    "notice_days": 7,
                }
            ]
        }
    )

    code: str = Field(..., min_length=1, max_length=30)
    name: str = Field(..., min_length=1, max_length=200)
    level: str = Field(..., max_length=10, description="national, provincial, municipal or district")
    district: str = Field("", max_length=6, description="A district programme's district (GB/T 2260)")
    speciality: str = Field("", max_length=50, description="The experts' speciality it needs (blank: any)")
    description: str = Field("", max_length=4000)
    opens_on: dt.date
    closes_on: dt.date
    funding_per_project: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)
    awards: int = Field(..., ge=1, le=10000, description="How many projects are funded")
    criteria: list[TalentCriterionOut] = Field(..., min_length=1, max_length=12)
    experts_per_declaration: int | None = Field(
        None, ge=3, le=25, description="Default: the dated parameter talent.programme.experts_per_declaration"
    )
    notice_days: int | None = Field(
        None, ge=1, le=60, description="Default: the dated parameter talent.programme.notice_days"
    )


class TalentProgrammeOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    district: str | None = Field(None, alias="district_id")
    speciality: str
    description: str
    opens_on: dt.date
    closes_on: dt.date
    funding_per_project: Decimal
    awards: int
    criteria: list[TalentCriterionOut]
    max_points: int
    experts_per_declaration: int
    notice_days: int
    published_at: dt.datetime | None
    notice_ends_on: dt.date | None
    finalised_at: dt.datetime | None

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display())


class TalentProgrammeOfficeOut(TalentProgrammeOut):
    declared: int = 0
    waiting: int = 0
    scored: int = 0


class TalentProgrammeResultOut(Schema):
    name: str = Field(..., description="Masked: the family name's first character")
    employer: str
    title: str
    score: Decimal | None
    rank: int | None
    funded: bool


class TalentProgrammeAppealOut(Schema):
    id: uuid.UUID
    reason: str
    status: str
    status_label: str
    decision_reason: str
    score_before: Decimal | None
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class TalentDeclarationIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "programme": "HHYC-2026-01",
                    "title": "新型固态储能材料的制备与应用",
                    "summary": "研究目标、技术路线与预期成果",
                    "requested_amount": "150000.00",
                }
            ]
        }
    )

    programme: str = Field(..., min_length=1, max_length=30, description="The programme's code")
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=4000)
    requested_amount: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)


class TalentDeclarationOut(Schema):
    """A declaration as its applicant sees it."""

    id: uuid.UUID
    programme: str = Field(..., alias="programme.code")
    programme_name: str = Field(..., alias="programme.name")
    title: str
    summary: str
    requested_amount: Decimal
    employer: str
    status: str
    status_label: str
    refusal_reason: str
    score: Decimal | None
    rank: int | None
    funded: bool
    notice_ends_on: dt.date | None = Field(None, alias="programme.notice_ends_on")
    appeal: TalentProgrammeAppealOut | None
    created_at: dt.datetime

    @staticmethod
    def resolve_employer(obj: Any) -> str:
        return obj.employer.name if obj.employer is not None else ""

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_appeal(obj: Any) -> Any:
        return appeal_of(obj)


class TalentReviewerOut(Schema):
    expert: uuid.UUID = Field(..., alias="expert_id")
    name: str = Field(..., alias="expert.person.name")
    status: str
    recusal_reason: str
    total: Decimal | None
    seed: int

    @staticmethod
    def resolve_total(obj: Any) -> Decimal | None:
        sheet = getattr(obj, "sheet", None) if obj.status == "submitted" else None
        return sheet.total if sheet is not None else None


class TalentDeclarationOfficeOut(TalentDeclarationOut):
    """A declaration as the programme office sees it (an audited read): the applicant, the
    round and its experts."""

    applicant: str = Field(..., alias="person.name")
    review_round: int
    reviewers: list[TalentReviewerOut]

    @staticmethod
    def resolve_reviewers(obj: Any) -> list[Any]:
        return current_assignments(obj)


class TalentDeclarationCheckIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"accepted": False, "reason": "缺少所在单位推荐意见，请补齐后重新申报"}]}
    )

    accepted: bool
    reason: str = Field("", max_length=500, description="Required when refused: the applicant reads it")


class TalentExpertIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id_number": examples.ID_NUMBER,
                    "name": examples.PERSON_NAME,
                    "specialities": ["工程技术", "信息技术"],
                    "title": "正高级工程师",
                    "active": True,
                }
            ]
        }
    )

    id_number: str = Field(..., min_length=15, max_length=18)
    name: str = Field(..., min_length=1, max_length=50, description="As in the registry")
    specialities: list[str] = Field(..., min_length=1, max_length=10)
    title: str = Field("", max_length=50)
    active: bool = True


class TalentExpertConflictOut(Schema):
    id: uuid.UUID
    person: str
    employer: str
    reason: str

    @staticmethod
    def resolve_person(obj: Any) -> str:
        return obj.person.name if obj.person is not None else ""

    @staticmethod
    def resolve_employer(obj: Any) -> str:
        return obj.employer.name if obj.employer is not None else ""


class TalentExpertOut(Schema):
    id: uuid.UUID
    name: str = Field(..., alias="person.name")
    specialities: list[str]
    title: str
    active: bool
    employer: str
    conflicts: list[TalentExpertConflictOut]

    @staticmethod
    def resolve_employer(obj: Any) -> str:
        employer = getattr(obj, "employer", None)
        return employer.name if employer is not None else ""

    @staticmethod
    def resolve_conflicts(obj: Any) -> list[Any]:
        return list(obj.conflicts.all())


class TalentExpertConflictIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id_number": "", "credit_code": examples.CREDIT_CODE, "reason": "曾在该单位兼职，近三年有合作"}
            ]
        }
    )

    id_number: str = Field("", max_length=18, description="The person of the conflict, or")
    credit_code: str = Field("", max_length=18, description="the employer of the conflict")
    reason: str = Field(..., min_length=1, max_length=300)


class TalentScoreSheetOut(Schema):
    scores: dict[str, str]
    total: Decimal
    comment: str
    submitted_at: dt.datetime


class TalentAssignmentOut(Schema):
    """A review task as the expert sees it (an audited read of the applicant)."""

    id: uuid.UUID
    programme: str = Field(..., alias="declaration.programme.code")
    programme_name: str = Field(..., alias="declaration.programme.name")
    criteria: list[TalentCriterionOut] = Field(..., alias="declaration.programme.criteria")
    declaration: uuid.UUID = Field(..., alias="declaration_id")
    title: str = Field(..., alias="declaration.title")
    summary: str = Field(..., alias="declaration.summary")
    requested_amount: Decimal = Field(..., alias="declaration.requested_amount")
    applicant: str = Field(..., alias="declaration.person.name")
    employer: str
    status: str
    status_label: str
    recusal_reason: str
    sheet: TalentScoreSheetOut | None

    @staticmethod
    def resolve_employer(obj: Any) -> str:
        employer = obj.declaration.employer
        return employer.name if employer is not None else ""

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_sheet(obj: Any) -> Any:
        return getattr(obj, "sheet", None) if obj.status == "submitted" else None


class TalentScoreSheetIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "scores": {"创新性": "35", "可行性": "24.5", "预期效益": "26"},
                    "comment": "研究基础扎实，技术路线清晰，建议立项",
                }
            ]
        }
    )

    scores: dict[str, Decimal] = Field(..., description="Points per criterion of the programme, in half points")
    comment: str = Field(..., min_length=1, max_length=2000)


class TalentRecusalIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "申报人系本人指导的博士研究生"}]})

    reason: str = Field(..., min_length=1, max_length=300)


class TalentRecusalOut(Schema):
    assignment: TalentAssignmentOut
    replaced: bool


class TalentProgrammeAppealIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "专家评分明显偏离，申请对评分过程进行复核"}]})

    reason: str = Field(..., min_length=1, max_length=2000)


class TalentProgrammeAppealDecisionIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"upheld": False, "reason": "经复核，评审程序合规，评分无误，维持原结果"}]}
    )

    upheld: bool
    reason: str = Field(..., min_length=1, max_length=500, description="The applicant reads it")


class TalentProgrammeAppealOfficeOut(TalentProgrammeAppealOut):
    declaration: uuid.UUID = Field(..., alias="declaration_id")
    programme: str = Field(..., alias="declaration.programme.code")
    applicant: str = Field(..., alias="declaration.person.name")
    title: str = Field(..., alias="declaration.title")
    score: Decimal | None = Field(None, alias="declaration.score")
    rank: int | None = Field(None, alias="declaration.rank")


class TalentAggregationOut(Schema):
    scored: int
    waiting: int
