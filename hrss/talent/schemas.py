"""API schemas of public-institution personnel (R3). Every class name starts with ``Talent``
(django-ninja keys OpenAPI components by class name across the whole API), and every request
body carries a valid example (the demo institution's records where one is named)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.core.logging import mask_id_number
from hrss.talent import rules
from hrss.talent.demo import DEMO_CREDIT_CODE

_POST = "00000000-0000-4000-8000-000000000011"
_STAFF = "00000000-0000-4000-8000-000000000012"


def _today() -> str:
    return dt.date.today().isoformat()


class TalentErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class TalentInstitutionIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"credit_code": DEMO_CREDIT_CODE, "supervisor": "和平区教育局"}]}
    )

    credit_code: str = Field(..., min_length=18, max_length=18)
    supervisor: str = Field("", max_length=200)


class TalentInstitutionOut(Schema):
    id: uuid.UUID
    name: str
    credit_code: str = Field(..., alias="employer.credit_code")
    district: str = Field(..., alias="district_id")
    supervisor: str
    quota_total: int = 0
    staff_count: int = 0

    @staticmethod
    def resolve_quota_total(obj: object) -> int:
        return int(getattr(obj, "quota_total", 0) or 0)

    @staticmethod
    def resolve_staff_count(obj: object) -> int:
        return int(getattr(obj, "staff_count", 0) or 0)


class TalentQuotaOut(Schema):
    kind: str
    label: str
    quota: int
    staff: int
    reserved: int
    free: int


class TalentPostOut(Schema):
    id: uuid.UUID
    category: str
    grade: int
    count: int
    taken: int = 0


class TalentInstitutionDetailOut(Schema):
    institution: TalentInstitutionOut
    quotas: list[TalentQuotaOut]
    posts: list[TalentPostOut]


class TalentQuotaIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "full", "count": 60, "document": "和编〔2024〕12号"}]}
    )

    kind: str = Field(..., pattern="^(full|partial|self)$")
    count: int = Field(..., ge=0, le=100_000)
    document: str = Field("", max_length=100)


class TalentPostIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"category": "professional", "grade": 10, "count": 12}]})

    category: str = Field(..., pattern="^(management|professional|support)$")
    grade: int = Field(..., ge=1, le=13)
    count: int = Field(..., ge=0, le=100_000)


class TalentStaffIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id_number": "120101199003073214",
                    "name": "张伟",
                    "post": _POST,
                    "kind": "full",
                    "scale_step": 20,
                    "entered_on": "2024-09-01",
                }
            ]
        }
    )

    id_number: str = Field(..., min_length=15, max_length=18)
    name: str = Field(..., min_length=1, max_length=50)
    post: uuid.UUID
    kind: str = Field(..., pattern="^(full|partial|self)$")
    scale_step: int = Field(..., ge=rules.SCALE_STEPS.start, le=rules.SCALE_STEPS.stop - 1)
    entered_on: dt.date
    plan: uuid.UUID | None = None


class TalentStaffLeaveIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"left_on": "2026-08-31"}]})

    left_on: dt.date


class TalentStaffOut(Schema):
    id: uuid.UUID
    name: str = Field(..., alias="person.name")
    id_number: str
    post: uuid.UUID = Field(..., alias="post_id")
    post_category: str = Field(..., alias="post.category")
    post_grade: int = Field(..., alias="post.grade")
    kind: str
    scale_step: int
    entered_on: dt.date
    monthly_wage: Decimal | None

    @staticmethod
    def resolve_id_number(obj: object) -> str:
        return mask_id_number(obj.person.id_number)  # type: ignore[attr-defined]


class TalentRecruitmentLineIn(Schema):
    post: uuid.UUID
    numbers: int = Field(..., ge=1, le=1000)
    conditions: str = Field("", max_length=500)


class TalentRecruitmentPlanIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "year": dt.date.today().year,
                    "kind": "full",
                    "posts": [{"post": _POST, "numbers": 2, "conditions": "本科及以上学历，具有相应教师资格"}],
                    "conditions": "面向社会公开招聘",
                    "idempotency_key": "plan-2026-001",
                }
            ]
        }
    )

    year: int = Field(..., ge=2000, le=2100)
    kind: str = Field(..., pattern="^(full|partial|self)$")
    posts: list[TalentRecruitmentLineIn] = Field(..., min_length=1, max_length=50)
    conditions: str = Field("", max_length=2000)
    idempotency_key: str = Field(..., min_length=1, max_length=64)


class TalentRecruitmentLineOut(Schema):
    post: uuid.UUID = Field(..., alias="post_id")
    post_category: str = Field(..., alias="post.category")
    post_grade: int = Field(..., alias="post.grade")
    numbers: int
    conditions: str


class TalentRecruitmentPlanOut(Schema):
    id: uuid.UUID
    institution: str = Field(..., alias="institution.name")
    year: int
    kind: str
    status: str
    hall_reference: str
    conditions: str
    numbers: int
    posts: list[TalentRecruitmentLineOut]

    @staticmethod
    def resolve_posts(obj: object) -> list[object]:
        return list(obj.lines.all())  # type: ignore[attr-defined]


class TalentPostChangeIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "staff": _STAFF,
                    "to_post": _POST,
                    "effective_on": _today(),
                    "reason": "取得中级职称，聘任专业技术九级岗位",
                    "idempotency_key": "change-2026-001",
                }
            ]
        }
    )

    staff: uuid.UUID
    to_post: uuid.UUID
    effective_on: dt.date
    reason: str = Field(..., min_length=1, max_length=500)
    idempotency_key: str = Field(..., min_length=1, max_length=64)


class TalentPostChangeOut(Schema):
    id: uuid.UUID
    staff: uuid.UUID = Field(..., alias="staff_id")
    name: str = Field(..., alias="staff.person.name")
    from_post: uuid.UUID = Field(..., alias="from_post_id")
    to_post: uuid.UUID = Field(..., alias="to_post_id")
    effective_on: dt.date
    reason: str
    status: str
    hall_reference: str


class TalentWageIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "staff": _STAFF,
                    "effective_on": _today(),
                    "scale_step": 21,
                    "allowances": ["teaching_age_10"],
                    "idempotency_key": "wage-2026-001",
                }
            ]
        }
    )

    staff: uuid.UUID
    effective_on: dt.date
    scale_step: int = Field(..., ge=rules.SCALE_STEPS.start, le=rules.SCALE_STEPS.stop - 1)
    allowances: list[str] = Field(default_factory=list, max_length=20)
    idempotency_key: str = Field(..., min_length=1, max_length=64)


class TalentWageOut(Schema):
    id: uuid.UUID
    staff: uuid.UUID = Field(..., alias="staff_id")
    name: str = Field(..., alias="staff.person.name")
    effective_on: dt.date
    scale_step: int
    allowances: list[str]
    post_wage: Decimal
    scale_wage: Decimal
    allowance: Decimal
    monthly_wage: Decimal
    status: str
    hall_reference: str

    @staticmethod
    def resolve_post_wage(obj: object) -> Decimal:
        return Decimal(obj.post_wage_fen) / 100  # type: ignore[attr-defined]

    @staticmethod
    def resolve_scale_wage(obj: object) -> Decimal:
        return Decimal(obj.scale_wage_fen) / 100  # type: ignore[attr-defined]

    @staticmethod
    def resolve_allowance(obj: object) -> Decimal:
        return Decimal(obj.allowance_fen) / 100  # type: ignore[attr-defined]

    @staticmethod
    def resolve_monthly_wage(obj: object) -> Decimal:
        return Decimal(obj.total_fen) / 100  # type: ignore[attr-defined]


class TalentAllowanceOut(Schema):
    code: str
    name: str
    source: str


# --- The talent green card (人才绿卡, R1): class names start with TalentGreenCard ---------------


class TalentGreenCardOut(Schema):
    number: str
    category: str
    category_label: str
    issued_on: dt.date
    valid_until: dt.date
    hall_reference: str

    @staticmethod
    def resolve_category_label(obj: object) -> str:
        return str(obj.get_category_display())  # type: ignore[attr-defined]


class TalentGreenCardMineOut(Schema):
    card: TalentGreenCardOut | None
    apply_item: str = Field(..., description="The hall item to apply for the card (人才绿卡申领)")


class TalentGreenCardBenefitIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "housing",
                    "details": "在和平区租房居住，申请住房补贴",
                    "idempotency_key": "green-card-housing-1",
                }
            ]
        }
    )

    kind: str = Field(..., max_length=10, description="housing (住房补贴), school (子女入学) or medical (就医绿色通道)")
    details: str = Field("", max_length=500)
    idempotency_key: str = Field(..., min_length=1, max_length=64)


class TalentGreenCardBenefitDecisionIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"approved": False, "reason": "该学区学位已满，请改报其他学校"}]}
    )

    approved: bool
    reason: str = Field("", max_length=500, description="Required when refusing: the holder reads it")


class TalentGreenCardBenefitOut(Schema):
    id: uuid.UUID
    card_number: str = Field(..., alias="card.number")
    holder: str = Field(..., alias="card.person.name")
    kind: str
    kind_label: str
    details: str
    status: str
    reason: str
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj: object) -> str:
        return str(obj.get_kind_display())  # type: ignore[attr-defined]


# --- Professional titles (职称, R1) -----------------------------------------------------------


class TalentTitleIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id_number": "120101198507150012",
                    "name": "王建国",
                    "number": "ZC2026GC000123",
                    "series": "工程",
                    "speciality": "土木工程",
                    "title": "高级工程师",
                    "level": "deputy_senior",
                    "committee": "天津市工程系列高级职称评审委员会",
                    "issued_on": "2026-06-30",
                }
            ]
        }
    )

    id_number: str = Field(..., min_length=15, max_length=18, description="The holder's ID number")
    name: str = Field(..., min_length=1, max_length=50, description="The holder's name, as in the registry")
    number: str = Field(..., min_length=1, max_length=30, description="The title certificate's number")
    series: str = Field(..., min_length=1, max_length=50, description="The title series (工程, 卫生, 教育 …)")
    speciality: str = Field("", max_length=100)
    title: str = Field(..., min_length=1, max_length=50, description="The title awarded (高级工程师 …)")
    level: str = Field(..., max_length=15, description="junior, intermediate, deputy_senior or senior")
    committee: str = Field(..., min_length=1, max_length=200, description="The evaluation committee that awarded it")
    issued_on: dt.date


class TalentTitleRevokeIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "经查，申报材料中的论文系伪造，依规撤销该职称"}]}
    )

    reason: str = Field(..., min_length=1, max_length=500, description="Why the title is revoked: the holder reads it")


class TalentTitleOut(Schema):
    id: uuid.UUID
    holder: str = Field(..., alias="person.name")
    number: str
    series: str
    speciality: str
    name: str
    level: str
    level_label: str
    committee: str
    issued_on: dt.date
    status: str
    revoked_reason: str

    @staticmethod
    def resolve_level_label(obj: object) -> str:
        return str(obj.get_level_display())  # type: ignore[attr-defined]
