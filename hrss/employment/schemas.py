"""API schemas of employment services; every request body carries a valid example."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.codes import examples


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class RegistrationOut(Schema):
    id: uuid.UUID
    status: str
    unemployed_since: dt.date
    registered_on: dt.date
    ended_on: dt.date | None
    hall_reference: str
    wants_training: bool


class ProfileIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "occupations": ["4-01", "2-02"],
                    "districts": [examples.DISTRICT],
                    "wage_min": "6000",
                    "education": "21",
                    "skills": ["Python", "数据分析"],
                    "available_from": "2026-12-01",
                    "visible_to_employers": True,
                }
            ]
        }
    )

    occupations: list[str] = Field(default_factory=list, max_length=5)
    districts: list[str] = Field(default_factory=list, max_length=5)
    wage_min: Decimal | None = Field(None, ge=0, le=1_000_000, max_digits=10, decimal_places=2)
    education: str | None = Field(None, max_length=4)
    skills: list[str] = Field(default_factory=list, max_length=20)
    available_from: dt.date | None = None
    visible_to_employers: bool = False


class ProfileOut(Schema):
    occupations: list[str]
    districts: list[str]
    wage_min: Decimal | None
    education: str | None = Field(None, alias="education_id")
    skills: list[str]
    available_from: dt.date | None
    visible_to_employers: bool


class VacancyIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "软件开发工程师",
                    "description": "负责政务服务系统的开发与维护，熟悉 Python 与数据库。",
                    "occupation": "2-02",
                    "district": examples.DISTRICT,
                    "address": "天津市和平区南京路100号",
                    "wage_min": "8000",
                    "wage_max": "15000",
                    "education": "21",
                    "skills": ["Python", "SQL"],
                    "headcount": 2,
                    # a quarter ahead of the day the schema was built: an example never expires
                    "valid_until": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
                    "idempotency_key": "vacancy-2026-12-001",
                }
            ]
        }
    )

    title: str = Field(..., min_length=1, max_length=100)
    description: str = Field(..., min_length=1, max_length=4000)
    occupation: str = Field(..., max_length=20)
    district: str = Field(..., max_length=12)
    address: str = Field("", max_length=200)
    wage_min: Decimal = Field(..., gt=0, le=1_000_000, max_digits=10, decimal_places=2)
    wage_max: Decimal = Field(..., gt=0, le=1_000_000, max_digits=10, decimal_places=2)
    education: str | None = Field(None, max_length=4)
    skills: list[str] = Field(default_factory=list, max_length=20)
    headcount: int = Field(..., ge=1, le=10_000)
    valid_until: dt.date
    idempotency_key: str = Field("", max_length=64)


class VacancyOut(Schema):
    id: uuid.UUID
    employer: str = Field(..., alias="employer.name")
    title: str
    description: str
    occupation: str = Field(..., alias="occupation_id")
    occupation_name: str = Field(..., alias="occupation.name")
    district: str = Field(..., alias="district_id")
    district_name: str = Field(..., alias="district.name")
    address: str
    wage_min: Decimal
    wage_max: Decimal
    education: str | None = Field(None, alias="education_id")
    skills: list[str]
    headcount: int
    valid_until: dt.date
    status: str


class MatchOut(Schema):
    vacancy: VacancyOut
    points: int
    reasons: list[str]
    relevance: float | None = None  # the text relevance (BM25) when searched by words


class JobApplicationIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"note": "三年 Python 开发经验，可随时到岗。"}]})

    note: str = Field("", max_length=500)


class InvitationOut(Schema):
    at: dt.datetime
    place: str
    note: str
    created_at: dt.datetime


class MyApplicationOut(Schema):
    id: uuid.UUID
    vacancy: VacancyOut
    note: str
    status: str
    created_at: dt.datetime
    invitation: InvitationOut | None = None


class ApplicantProfileOut(Schema):
    occupations: list[str]
    districts: list[str]
    wage_min: Decimal | None
    education: str | None = Field(None, alias="education_id")
    skills: list[str]
    available_from: dt.date | None


class ApplicantOut(Schema):
    id: uuid.UUID
    name: str
    note: str
    status: str
    created_at: dt.datetime
    profile: ApplicantProfileOut | None = None  # only when the seeker lets employers see it
    invitation: InvitationOut | None = None


class InvitationIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    # a week ahead of the day the schema was built, at ten: never in the past
                    "at": (dt.date.today() + dt.timedelta(days=7)).isoformat() + "T10:00:00+08:00",
                    "place": "和平区南京路100号三楼人事部",
                    "note": "请携带身份证和学历证书。",
                }
            ]
        }
    )

    at: dt.datetime
    place: str = Field(..., min_length=1, max_length=200)
    note: str = Field("", max_length=500)


class PolicyOut(Schema):
    code: str
    name: str
    legal_basis: str
    beneficiary: str
    period: str
    free_apply: bool


class PolicyRunIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"policy": "job_stabilisation_refund", "period": f"{dt.date.today().year - 1}-01-01"}]
        }
    )

    policy: str = Field(..., max_length=40)
    period: dt.date


class PolicyRunOut(Schema):
    id: uuid.UUID
    policy: str
    period: dt.date
    found: int
    proposed: int
    started_by: str
    created_at: dt.datetime


class PolicyPaymentOut(Schema):
    id: uuid.UUID
    policy: str
    period: dt.date
    employer: str | None
    person: str | None
    amount: Decimal
    reasons: list[str]
    status: str


class ApprovedOut(Schema):
    approved: int


class StartupLoanOut(Schema):
    """A start-up guaranteed loan approved through the hall, with the assessment it was decided on."""

    id: uuid.UUID
    person_name: str
    business_name: str
    amount: str  # yuan
    term_months: int
    contract_rate: Decimal
    borrower_rate: Decimal
    monthly_instalment: str  # yuan
    interest_subsidy: str  # yuan, over the term
    score: int
    assessment: dict[str, Any]
    status: str
    hall_reference: str
    decided_by: str
    decided_on: dt.date


# --- licensed HR agencies ---------------------------------------------------------------------


class AgencyLicenceIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "licence_number": "津人服证字〔2026〕第0101000123号",
                    "agency_name": "天津和平人力资源服务有限公司",
                    "client_name": "和平人力资源服务系统",
                    "districts": [examples.DISTRICT],
                    "valid_from": f"{dt.date.today().year}-01-01",
                    "valid_until": f"{dt.date.today().year + 4}-12-31",
                }
            ]
        }
    )

    licence_number: str = Field(..., min_length=1, max_length=40)
    agency_name: str = Field(..., min_length=1, max_length=200)
    client_name: str = Field(..., min_length=1, max_length=200)
    districts: list[str] = Field(..., min_length=1, max_length=30)
    valid_from: dt.date
    valid_until: dt.date


class AgencyLicenceRevokeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "许可证被吊销：违规收取求职者费用。"}]})

    reason: str = Field(..., min_length=1, max_length=500)


class AgencyLicenceOut(Schema):
    id: uuid.UUID
    licence_number: str
    agency_name: str
    client_name: str
    districts: list[str]
    valid_from: dt.date
    valid_until: dt.date
    revoked_at: dt.datetime | None
    revoke_reason: str
    in_force: bool

    @staticmethod
    def resolve_in_force(obj: Any) -> bool:
        from django.utils import timezone

        from hrss.employment.agencies import in_force

        return in_force(obj, timezone.localdate())


class AgencyVacancyIn(VacancyIn):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "credit_code": examples.CREDIT_CODE,
                    "title": "门店销售专员",
                    "description": "负责门店商品销售与顾客服务。",
                    "occupation": "4-01",
                    "district": examples.DISTRICT,
                    "address": "天津市和平区南京路100号",
                    "wage_min": "4500",
                    "wage_max": "6500",
                    "skills": ["沟通"],
                    "headcount": 3,
                    "valid_until": (dt.date.today() + dt.timedelta(days=60)).isoformat(),
                    "idempotency_key": "agency-2026-12-001",
                }
            ]
        }
    )

    credit_code: str = Field(..., min_length=1, max_length=30)


class AgencyVacancyOut(VacancyOut):
    employer_credit_code: str = Field(..., alias="employer.credit_code")
    licence_number: str | None = Field(None, alias="licence.licence_number")


# --- shortlists and seekers for a vacancy (E4) -------------------------------------------------


class ApplicationDecisionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"decision": "shortlisted"}]})

    decision: Literal["shortlisted", "declined"]


class ApplicationDecisionOut(Schema):
    id: uuid.UUID
    status: str


class SeekerFitOut(Schema):
    """A seeker who lets employers see their profile, ranked for the vacancy, with the reasons."""

    name: str
    profile: ApplicantProfileOut
    points: int
    reasons: list[str]
    applied: bool  # has already applied for this vacancy
