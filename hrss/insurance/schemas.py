"""Request and response shapes of the insurance API (money as decimal strings in yuan)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.codes import examples
from hrss.core.logging import mask_id_number
from hrss.identity.auth import request_scope
from hrss.insurance import rules


def _month(obj: Any) -> str:
    return f"{obj.period:%Y-%m}"


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class PensionEstimateIn(Schema):
    """养老金测算: the inputs of the statutory formula (国发〔2005〕38号)."""

    # Request examples (the house rule), checked by tests/reliability/test_openapi_examples.py.
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "average_wage": "8540.00",
                    "average_index": "1.20",
                    "contribution_months": 360,
                    "account_balance": "186000.00",
                    "retirement_age_years": 60,
                    "retirement_age_months": 3,
                },
                {
                    "average_wage": "8540.00",
                    "average_index": "0.85",
                    "contribution_months": 420,
                    "account_balance": "98000.00",
                    "retirement_age_years": 60,
                    "retirement_age_months": 0,
                    "deemed_contribution_months": 96,
                    "deemed_index": "1.00",
                },
            ]
        }
    )

    average_wage: Decimal = Field(..., gt=0, le=1_000_000, description="计发基数 C, yuan per month")
    average_index: Decimal = Field(..., ge=0, le=10, description="average contribution index Ī")
    contribution_months: int = Field(..., ge=0, le=720, description="N in months, deemed months included")
    account_balance: Decimal = Field(..., ge=0, le=100_000_000, description="personal account balance B, yuan")
    retirement_age_years: int = Field(..., ge=40, le=70)
    retirement_age_months: int = Field(0, ge=0, le=11)
    deemed_contribution_months: int | None = Field(
        None, ge=0, le=720, description="视同缴费 months before the 1990s reform, for the transitional pension"
    )
    deemed_index: Decimal = Field(Decimal(1), ge=0, le=10, description="index of the deemed years (often 1)")


class PensionEstimateOut(Schema):
    basic_pension: Decimal
    account_pension: Decimal
    transitional_pension: Decimal | None
    total: Decimal
    months_divisor: Decimal
    contribution_years: Decimal
    notes: list[str]


class PensionPrefillOut(Schema):
    """A citizen's own inputs, read from their record, and the estimate they give."""

    inputs: PensionEstimateIn
    retirement_category: str
    retirement_month: dt.date
    minimum_contribution_years: Decimal
    minimum_met: bool
    estimate: PensionEstimateOut


class EnrolmentIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id_number": examples.ID_NUMBER,
                    "insurance_types": ["pension_enterprise", "medical_employee", "unemployment", "work_injury"],
                    "start_month": "2026-12-01",
                }
            ]
        }
    )

    id_number: str
    insurance_types: list[str]
    start_month: dt.date


class EnrolmentStopIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id_number": examples.ID_NUMBER,
                    "insurance_types": ["pension_enterprise", "medical_employee", "unemployment", "work_injury"],
                    "last_month": "2026-12-01",
                    "reason": "left_employer",
                }
            ]
        }
    )

    id_number: str
    insurance_types: list[str]
    last_month: dt.date
    reason: str


class EnrolmentOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    employer_id: uuid.UUID | None
    insurance_type: str
    category: str
    start_month: dt.date
    end_month: dt.date | None
    stop_reason: str


class FlexibleEnrolmentIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"start_month": "2026-12-01", "base": "5124.00"}]})

    start_month: dt.date
    base: Decimal = Field(..., gt=0)


class DeclarationLineIn(Schema):
    id_number: str
    average_monthly_wage: Decimal = Field(..., ge=0)


class DeclarationIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"year": 2026, "lines": [{"id_number": examples.ID_NUMBER, "average_monthly_wage": "9800.00"}]}
            ]
        }
    )

    year: int = Field(..., ge=2000, le=2100)
    lines: list[DeclarationLineIn]


class DeclarationLineOut(Schema):
    person_id: uuid.UUID
    declared_wage: Decimal
    base: Decimal
    clamped: str


class ContributionMonthOut(Schema):
    period: str
    insurance_type: str
    employer_id: uuid.UUID | None
    base: Decimal
    employer_amount: Decimal
    individual_amount: Decimal
    account_amount: Decimal
    corrected: bool

    resolve_period = staticmethod(_month)


class AccountEntryOut(Schema):
    posted_on: dt.date
    kind: str
    amount: Decimal
    balance: Decimal
    months: int
    note: str


class AccountOut(Schema):
    balance: Decimal
    contribution_months: int
    entries: list[AccountEntryOut]


class StatementLineOut(Schema):
    person_id: uuid.UUID
    name: str
    insurance_type: str
    base: Decimal
    employer_amount: Decimal
    individual_amount: Decimal


class StatementTotalOut(Schema):
    insurance_type: str
    persons: int
    employer_amount: Decimal
    individual_amount: Decimal


class StatementOut(Schema):
    period: str
    employer_id: uuid.UUID
    totals: list[StatementTotalOut]
    due: Decimal
    paid: Decimal
    outstanding: Decimal
    due_date: dt.date
    late_fee: Decimal
    lines: list[StatementLineOut]

    resolve_period = staticmethod(_month)


class AwardOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    start_month: dt.date
    end_month: dt.date | None
    monthly_amount: Decimal
    entitled_months: int | None
    calculation: dict[str, object]

    @staticmethod
    def resolve_monthly_amount(award: Any) -> Decimal:
        return rules.from_fen(award.monthly_fen)


class BenefitPaymentOut(Schema):
    period: dt.date
    kind: str
    amount: Decimal

    @staticmethod
    def resolve_amount(payment: Any) -> Decimal:
        return rules.from_fen(payment.amount_fen)


class BenefitsOut(Schema):
    awards: list[AwardOut]
    payments: list[BenefitPaymentOut]


class RunOut(Schema):
    period: str
    status: str
    chunks_done: int
    chunks_total: int
    rows_inserted: int
    attempts: int
    finished_at: dt.datetime | None

    resolve_period = staticmethod(_month)


class DistrictCountOut(Schema):
    district: str
    uninsured: int


class UninsuredPersonOut(Schema):
    id: uuid.UUID
    name: str
    id_number: str
    sex: str
    birth_date: dt.date
    district: str | None

    @staticmethod
    def resolve_id_number(person: Any, context: Any) -> str:
        """In full for staff who see personal data, masked for everyone else."""
        if request_scope(context["request"]).sees_personal_data:
            return str(person.id_number)
        return mask_id_number(person.id_number)

    @staticmethod
    def resolve_district(person: Any) -> str | None:
        return person.residence_district_id


class RecoveryCaseOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID | None
    award_id: uuid.UUID | None
    debtor: str
    district: str
    reference: str
    reason: str
    status: str
    overpaid: Decimal
    first_period: dt.date
    evidence: dict[str, object]
    opened_at: dt.datetime

    @staticmethod
    def resolve_overpaid(case: Any) -> Decimal:
        return rules.from_fen(case.overpaid_fen)

    @staticmethod
    def resolve_opened_at(case: Any) -> dt.datetime:
        return case.created_at  # type: ignore[no-any-return]


class CorrectionIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period": "2026-10",
                    "insurance_type": "pension_enterprise",
                    "base": "9800.00",
                    "reason": "单位申报工资有误，按实际工资更正",
                }
            ]
        }
    )

    period: str = Field(..., description="YYYY-MM")
    insurance_type: str
    base: Decimal = Field(..., gt=0)
    reason: str = Field(..., min_length=1, max_length=300)


class CorrectionOut(Schema):
    id: uuid.UUID
    period: dt.date
    insurance_type: str
    revision: int
    old_base: Decimal
    new_base: Decimal

    @staticmethod
    def resolve_old_base(correction: Any) -> Decimal:
        return rules.from_fen(correction.old_base_fen)

    @staticmethod
    def resolve_new_base(correction: Any) -> Decimal:
        return rules.from_fen(correction.new_base_fen)


class DueMonthOut(Schema):
    period: str = Field(..., description="YYYY-MM")
    due: Decimal = Field(..., description="assessed for the month, yuan")
    paid: Decimal
    outstanding: Decimal
    pending_reference: str = Field("", description="an open online payment that covers the month")

    resolve_period = staticmethod(_month)


class OnlinePaymentOut(Schema):
    reference: str
    months: list[str]
    amount: Decimal
    status: str = Field(..., description="created | pending | paid | failed | expired")
    gateway: str
    redirect_url: str = Field("", description="where the payer confirms the payment with the provider")
    created_at: dt.datetime
    paid_at: dt.datetime | None

    @staticmethod
    def resolve_months(payment: Any) -> list[str]:
        return payment.months.split(",")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_amount(payment: Any) -> Decimal:
        return rules.from_fen(payment.amount_fen)


class MyPaymentsOut(Schema):
    """A flexible worker's months with something due, and their online payments."""

    due: list[DueMonthOut]
    total_outstanding: Decimal
    payments: list[OnlinePaymentOut]


class OnlinePaymentIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"months": ["2026-10", "2026-11"]}]})

    months: list[str] = Field(..., min_length=1, max_length=48, description="the months to pay, YYYY-MM")


class PaymentNotifiedOut(Schema):
    reference: str
    status: str


class ReminderCountsOut(Schema):
    period: str
    reminders: int
    sms_sent: int
    no_phone: int
    invalid_phone: int
    in_app: int
    undelivered: int

    resolve_period = staticmethod(_month)
