"""Schemas of the labour API (L1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.codes import examples
from hrss.labor import rules
from hrss.labor.case_schemas import SignatureOut
from hrss.labor.register_schemas import RegisterEntryOut


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
    tribunal: str
    claim_type: str
    settlement_text: str
    amount_settled: Decimal | None
    settled_on: dt.date | None

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
    panel: list[str] = Field(default_factory=list, description="a panel's two members beside the chief arbitrator")
    signature: SignatureOut | None = None


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


class RecusalIn(Schema):
    source: str = Field(..., description="party (a party asked) or arbitrator (the arbitrator's own)", max_length=10)
    reason: str = Field(..., min_length=1, max_length=2000)
    member: str = Field(
        "", max_length=150, description="a panel member to withdraw; empty: the sole or chief arbitrator"
    )

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"source": "party", "reason": "仲裁员与被申请人法定代表人系近亲属"}]}
    )


class ArbitratorOut(Schema):
    username: str
    name: str
    kind: str
    district: str | None = Field(None, alias="district_id")
    qualification: str
    capacity: int
    active: bool
    load: int

    @staticmethod
    def resolve_load(obj: object) -> int:
        return int(getattr(obj, "load", None) or 0)


class OrganisationOut(Schema):
    id: str
    name: str
    kind: str
    district: str = Field(..., alias="district_id")
    address: str

    @staticmethod
    def resolve_id(obj: object) -> str:
        return str(obj.pk)  # type: ignore[attr-defined]


class MediationIn(Schema):
    organisation: str = Field(..., description="the mediation organisation's id", max_length=36)
    respondent: str = Field(..., min_length=1, max_length=200, description="the employer's credit code or name")
    claims: str = Field(..., min_length=1, max_length=4000)
    amount: Decimal | None = Field(None, ge=0, le=100_000_000, description="amount claimed, yuan")
    idempotency_key: str = Field(..., min_length=1, max_length=64)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "organisation": "00000000-0000-0000-0000-000000000000",
                    "respondent": examples.CREDIT_CODE,
                    "claims": "支付2026年9月至10月拖欠工资",
                    "amount": "8600.00",
                    "idempotency_key": "mediation-2026-11-03-1",
                }
            ]
        }
    )


class MediationOut(Schema):
    reference: str
    organisation: str
    respondent_name: str
    claims: str
    amount_claimed: Decimal | None
    applied_on: dt.date
    due_on: dt.date
    status: str
    mediator: str
    agreement: str
    amount_agreed: Decimal | None
    failure_reason: str
    closed_on: dt.date | None
    may_go_to_arbitration: bool

    @staticmethod
    def resolve_organisation(obj: object) -> str:
        return str(obj.organisation.name)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_may_go_to_arbitration(obj: object) -> bool:
        from django.utils import timezone

        return rules.may_go_to_arbitration(
            status=obj.status,  # type: ignore[attr-defined]
            due_on=obj.due_on,  # type: ignore[attr-defined]
            today=timezone.localdate(),
        )


class MediationSessionOut(Schema):
    held_at: dt.datetime
    mode: str
    mediator: str
    note: str


class MediationDetailOut(Schema):
    mediation: MediationOut
    sessions: list[MediationSessionOut]


class SessionIn(Schema):
    held_at: dt.datetime = Field(..., description="when the session was held (local time)")
    mode: str = Field(..., description="online or in_person", max_length=10)
    note: str = Field(..., min_length=1, max_length=20000)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "held_at": "2026-11-03T10:00:00+08:00",
                    "mode": "online",
                    "note": "双方视频调解，被申请人同意分两期支付。",
                }
            ]
        }
    )


class AgreementIn(Schema):
    text: str = Field(..., min_length=1, max_length=20000)
    amount: Decimal | None = Field(None, ge=0, le=100_000_000, description="amount agreed, yuan")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"text": "被申请人于2026年11月30日前支付申请人工资8600元。", "amount": "8600.00"}]
        }
    )


class FailureIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "被申请人拒绝调解"}]})


class ComplaintIn(Schema):
    credit_code: str = Field(..., min_length=1, max_length=30, description="the employer's unified social credit code")
    kind: str = Field(..., description="complaint (one's own rights) or report (a violation)", max_length=10)
    content: str = Field(..., min_length=1, max_length=8000)
    channel: str = Field("web", description="web; inspectors also 12333, letter or visit", max_length=10)
    idempotency_key: str = Field(..., min_length=1, max_length=64)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "credit_code": "91120101MA05K1230Y",
                    "kind": "complaint",
                    "content": "单位拖欠2026年9月至10月工资。",
                    "channel": "web",
                    "idempotency_key": "complaint-2026-11-03-1",
                }
            ]
        }
    )


class ComplaintOut(Schema):
    reference: str
    kind: str
    channel: str
    content: str
    received_on: dt.date
    due_on: dt.date


class LeadOut(Schema):
    status: str
    opened_on: dt.date
    reasons: list[dict[str, object]]


class EmployerLinkedOut(Schema):
    credit_code: str
    name: str
    complaints: list[ComplaintOut]
    cases: list[CaseOut]
    mediations: list[MediationOut]
    lead: LeadOut | None
    register_items: list[RegisterEntryOut] = Field(default_factory=list, description="its petitions and fraud cases")


class WarningReasonOut(Schema):
    feature: str
    value: Decimal
    threshold: Decimal
    weight: Decimal
    points: Decimal


class WarningEmployerOut(Schema):
    credit_code: str
    name: str
    district_id: str | None
    score: Decimal
    reasons: list[WarningReasonOut]


class WarningRankingOut(Schema):
    period: str
    open_lead_at: Decimal
    employers: list[WarningEmployerOut]


class WarningLeadsIn(Schema):
    period: str = Field(pattern=r"^\d{4}-\d{2}$")

    model_config = ConfigDict(json_schema_extra={"examples": [{"period": "2026-06"}]})


class InspectionPlanIn(Schema):
    district: str = Field(pattern=r"^\d{6}$")
    sample_size: int = Field(ge=1, le=500)
    inspectors_per_employer: int = Field(2, ge=1, le=5)
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description="empty: a fresh random seed, recorded")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"district": "120101", "sample_size": 5, "inspectors_per_employer": 2}]}
    )


class InspectionPlanItemOut(Schema):
    position: int
    credit_code: str
    employer_name: str
    inspectors: list[str]
    status: str
    findings: str
    violation: bool | None
    inspected_on: dt.date | None


class InspectionPlanOut(Schema):
    reference: str
    district_id: str
    seed: int
    sample_size: int
    inspectors_per_employer: int
    pool_employers: int
    pool_inspectors: int
    pool_digest: str
    drawn_on: dt.date
    items: list[InspectionPlanItemOut]
    replay_same: bool | None = None


class InspectionPlanRowOut(Schema):
    """One plan in the list of the caller's districts, with its items counted by status."""

    reference: str
    district_id: str
    district_name: str
    seed: int
    sample_size: int
    drawn_on: dt.date
    drawn: int = Field(description="items drawn, inspectors not yet dispatched")
    dispatched: int = Field(description="items dispatched, no findings yet")
    inspected: int
    violations: int

    @staticmethod
    def resolve_district_name(plan: Any) -> str:
        return str(plan.district.name)


class PlanFindingsIn(Schema):
    findings: str = Field(min_length=1, max_length=4000)
    violation: bool

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"findings": "未按月足额支付工资，已责令限期改正", "violation": True}]}
    )
