"""API schemas of vocational training and skill appraisal; every request body carries a valid example."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.codes import examples
from hrss.training import rules


def _ahead(days: int, hour: int = 9) -> str:
    """A time ``days`` ahead of the day the schema was built, so an example never goes stale."""
    day = dt.date.today() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour)).isoformat()


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class TrainingPolicyOut(Schema):
    code: str
    title: str
    summary: str
    issued_by: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None


class QualificationOut(Schema):
    code: str
    name: str
    occupation: str = Field(..., alias="occupation_id")
    occupation_name: str = Field(..., alias="occupation.name")
    kind: str
    levels: list[int]
    source: str
    valid_from: dt.date
    valid_to: dt.date | None


class ShortageOut(Schema):
    qualification: str = Field(..., alias="qualification.code")
    name: str = Field(..., alias="qualification.name")
    edition: str
    rank: int
    source: str
    valid_from: dt.date
    valid_to: dt.date | None


class SiteOut(Schema):
    id: uuid.UUID
    name: str
    district: str = Field(..., alias="district_id")
    district_name: str = Field(..., alias="district.name")
    address: str
    room: str
    capacity: int


class InstitutionOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    licence_number: str
    licence_valid_until: dt.date
    capacity: int
    rating: Decimal | None
    scope: list[str]
    sites: list[SiteOut]

    @staticmethod
    def resolve_scope(obj: object) -> list[str]:
        return sorted(q.code for q in obj.scope.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_sites(obj: object) -> list[object]:
        return list(obj.sites.all())  # type: ignore[attr-defined]


class CourseOut(Schema):
    id: uuid.UUID
    title: str
    institution: str = Field(..., alias="institution.name")
    qualification: str = Field(..., alias="qualification.code")
    qualification_name: str = Field(..., alias="qualification.name")
    level: int
    mode: str
    site: str | None = None
    hours: int
    capacity: int
    enrolled: int
    starts_on: dt.date
    ends_on: dt.date
    subsidy_eligible: bool
    status: str

    @staticmethod
    def resolve_site(obj: object) -> str | None:
        site = obj.site  # type: ignore[attr-defined]
        return f"{site.name} {site.room}" if site else None


class TrainingSessionIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime


class CourseIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "电工（五级）实名制培训班",
                    "qualification": "6-31-01-03",
                    "level": 5,
                    "mode": "online",
                    "hours": 80,
                    "capacity": 30,
                    "starts_on": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
                    "ends_on": (dt.date.today() + dt.timedelta(days=37)).isoformat(),
                    "subsidy_eligible": True,
                    "sessions": [{"starts_at": _ahead(7), "ends_at": _ahead(7, 12)}],
                    "idempotency_key": "course-2026-12-001",
                }
            ]
        }
    )

    title: str = Field(..., min_length=1, max_length=100)
    qualification: str = Field(..., max_length=20)
    level: int = Field(..., ge=1, le=5)
    mode: str = Field(..., pattern="^(online|site)$")
    site: uuid.UUID | None = None
    hours: int = Field(..., ge=1, le=2000)
    capacity: int = Field(..., ge=1, le=10_000)
    starts_on: dt.date
    ends_on: dt.date
    subsidy_eligible: bool = True
    sessions: list[TrainingSessionIn] = Field(default_factory=list, max_length=200)
    idempotency_key: str = Field("", max_length=64)


class CourseBriefOut(Schema):
    id: uuid.UUID
    title: str
    institution: str = Field(..., alias="institution.name")
    qualification: str = Field(..., alias="qualification.code")
    level: int
    mode: str
    hours: int
    starts_on: dt.date
    ends_on: dt.date


class TrainingEnrolmentOut(Schema):
    id: uuid.UUID
    course: CourseBriefOut
    status: str
    progress_percent: int
    completed_on: dt.date | None
    survey_score: int | None
    attended: int = 0


class TraineeOut(Schema):
    """A trainee on the institution's roll: the name it enrolled, the ID number masked."""

    id: uuid.UUID
    name: str = Field(..., alias="person.name")
    status: str
    attended: int = 0
    progress_percent: int


class ProgressIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"percent": 60}]})

    percent: int = Field(..., ge=0, le=100)


class SurveyIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"score": 5, "comment": "老师讲解清楚，实操充分。"}]})

    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=500)


class SignInIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"method": "card", "credential": examples.CARD_NUMBER},
                {"method": "face", "credential": examples.ID_NUMBER, "face_reference": "capture/2026/12/0001.jpg"},
            ]
        }
    )

    method: str = Field(..., pattern="^(card|ecard|face)$")
    credential: str = Field(..., min_length=1, max_length=200)
    face_reference: str = Field("", max_length=300)


class AttendanceOut(Schema):
    id: uuid.UUID
    method: str
    signed_at: dt.datetime


class AppraisalSessionOut(Schema):
    id: uuid.UUID
    body: str = Field(..., alias="body.name")
    qualification: str = Field(..., alias="qualification.code")
    qualification_name: str = Field(..., alias="qualification.name")
    level: int
    site: str = Field(..., alias="site.name")
    room: str = Field(..., alias="site.room")
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str


class AppraisalSessionIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "qualification": "6-31-01-03",
                    "level": 5,
                    "site": "00000000-0000-4000-8000-000000000001",
                    "starts_at": _ahead(30),
                    "ends_at": _ahead(30, 12),
                    "proctors": ["王监考", "李监考"],
                }
            ]
        }
    )

    qualification: str = Field(..., max_length=20)
    level: int = Field(..., ge=1, le=5)
    site: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    proctors: list[str] = Field(..., min_length=1, max_length=20)


class CandidateOut(Schema):
    id: uuid.UUID
    name: str = Field(..., alias="person.name")
    signed_in_at: dt.datetime | None
    theory_score: Decimal | None
    practical_score: Decimal | None
    result: str


class CandidacyOut(Schema):
    id: uuid.UUID
    session: AppraisalSessionOut
    result: str
    eligibility: dict[str, object]


class FaceIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"face_reference": "capture/2026/12/0002.jpg"}]})

    face_reference: str = Field(..., min_length=1, max_length=300)


class ProctorRecordIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "incident", "text": "考生12号携带手机，已登记并收缴。"}]}
    )

    kind: str = Field(..., pattern="^(log|incident)$")
    text: str = Field(..., min_length=1, max_length=1000)


class ProctorRecordOut(Schema):
    id: uuid.UUID
    kind: str
    text: str
    sha256: str


class ScoreIn(Schema):
    candidate: uuid.UUID
    theory: Decimal | None = Field(None, ge=0, le=100, max_digits=4, decimal_places=1)
    practical: Decimal | None = Field(None, ge=0, le=100, max_digits=4, decimal_places=1)


class ResultsIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"scores": [{"candidate": "00000000-0000-4000-8000-000000000002", "theory": "78", "practical": "85"}]}
            ]
        }
    )

    scores: list[ScoreIn] = Field(..., min_length=1, max_length=500)


class CertificateOut(Schema):
    id: uuid.UUID
    number: str
    qualification: str = Field(..., alias="qualification.code")
    qualification_name: str = Field(..., alias="qualification.name")
    level: int
    body: str = Field(..., alias="body.name")
    issued_on: dt.date
    status: str
    revoked_reason: str


class VerificationOut(Schema):
    number: str
    status: str = Field(..., description="valid, revoked or unknown")
    holder: str
    holder_masked: bool
    qualification: str
    qualification_name: str
    level: int | None
    issued_on: dt.date | None
    body: str
    revoked_on: dt.date | None
    revoked_reason: str


class ConsentOut(Schema):
    code: str
    expires_at: dt.datetime


class RevokeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "考试作弊，经调查核实，依规撤销。"}]})

    reason: str = Field(..., min_length=4, max_length=500)


class ClaimIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"course": "00000000-0000-4000-8000-000000000003", "idempotency_key": "claim-2026-12-001"}]
        }
    )

    course: uuid.UUID
    idempotency_key: str = Field(..., min_length=1, max_length=64)


class ClaimOut(Schema):
    id: uuid.UUID
    course: str = Field(..., alias="course.title")
    status: str
    hall_reference: str
    amount: Decimal
    lines: int = 0

    @staticmethod
    def resolve_amount(obj: object) -> Decimal:
        return Decimal(obj.amount_fen) / 100  # type: ignore[attr-defined]

    @staticmethod
    def resolve_lines(obj: object) -> int:
        return int(getattr(obj, "line_count", 0) or obj.lines.count())  # type: ignore[attr-defined]


class PaymentFileOut(Schema):
    id: uuid.UUID | None = None
    filename: str = ""
    rows: int = 0
    total: Decimal = Decimal(0)
    sha256: str = ""


class TrainingCaseOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    institution: str | None = None
    detail: dict[str, object]
    created_at: dt.datetime

    @staticmethod
    def resolve_institution(obj: object) -> str | None:
        institution = obj.institution  # type: ignore[attr-defined]
        return institution.name if institution else None


class SupervisedSessionOut(AppraisalSessionOut):
    candidate_count: int
    signed_in: int
    passed: int


CERTIFICATE_EXAMPLE = rules.certificate_number(region="120000", year=2026, level=5, serial=1)
