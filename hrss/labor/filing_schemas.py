"""Schemas of the employment filing's API (用工备案, L3)."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.codes import examples


class FilingSpellOut(Schema):
    person_id: uuid.UUID
    person_name: str
    start_month: dt.date = Field(..., description="first month insured with the employer (增员)")
    end_month: dt.date | None = Field(
        None, description="last month insured with the employer (减员); null while employed"
    )
    stop_reason: str
    stop_reason_label: str
    unsigned: bool = Field(..., description="employed beyond the grace month without a written contract (未签劳动合同)")


class LabourContractOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    contract_type: str
    contract_type_label: str
    start_date: dt.date
    end_date: dt.date | None
    signed_on: dt.date

    @staticmethod
    def resolve_person_name(obj: object) -> str:
        return obj.person.name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_contract_type_label(obj: object) -> str:
        return str(obj.get_contract_type_display())  # type: ignore[attr-defined]


class FilingOut(Schema):
    credit_code: str
    name: str
    on: dt.date
    since: dt.date
    hires: list[FilingSpellOut]
    leavers: list[FilingSpellOut]
    contracts: list[LabourContractOut]
    unsigned: list[FilingSpellOut]


class LabourContractIn(Schema):
    id_number: str = Field(..., min_length=15, max_length=18, description="the worker's ID number")
    contract_type: str = Field(..., max_length=12, description="fixed_term, open_ended or task")
    start_date: dt.date
    end_date: dt.date | None = Field(None, description="required for a fixed term; none for an open-ended contract")
    signed_on: dt.date
    idempotency_key: str = Field(..., min_length=1, max_length=64)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id_number": examples.ID_NUMBER,
                    "contract_type": "fixed_term",
                    "start_date": "2026-03-01",
                    "end_date": "2029-02-28",
                    "signed_on": "2026-02-25",
                    "idempotency_key": "contract-2026-03-01-1",
                }
            ]
        }
    )


class ProjectIn(Schema):
    credit_code: str = Field(..., min_length=1, max_length=30, description="the general contractor's credit code")
    name: str = Field(..., min_length=1, max_length=200)
    district: str = Field(..., min_length=6, max_length=6, description="GB/T 2260 code of the project's district")
    wage_bank: str = Field(..., min_length=1, max_length=100)
    wage_account: str = Field(..., min_length=8, max_length=40, description="the special wage account's number")
    started_on: dt.date
    ended_on: dt.date | None = None
    idempotency_key: str = Field(..., min_length=1, max_length=64)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "credit_code": examples.CREDIT_CODE,
                    "name": "和平区示范小学改扩建工程",
                    "district": "120101",
                    "wage_bank": "中国建设银行天津和平支行",
                    "wage_account": "12050162510800000123",
                    "started_on": "2026-03-01",
                    "ended_on": None,
                    "idempotency_key": "project-2026-03-01-1",
                }
            ]
        }
    )


class ProjectOut(Schema):
    reference: str
    name: str
    contractor_credit_code: str
    contractor_name: str
    district_id: str
    wage_bank: str
    wage_account: str
    started_on: dt.date
    ended_on: dt.date | None

    @staticmethod
    def resolve_contractor_credit_code(obj: object) -> str:
        return obj.contractor.credit_code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_contractor_name(obj: object) -> str:
        return obj.contractor.name  # type: ignore[attr-defined]


class ProjectWorkerIn(Schema):
    id_number: str = Field(..., min_length=15, max_length=18)
    team: str = Field(..., min_length=1, max_length=100, description="the worker's team (班组)")
    start_date: dt.date
    end_date: dt.date | None = None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id_number": examples.ID_NUMBER, "team": "钢筋班组", "start_date": "2026-03-02", "end_date": None}
            ]
        }
    )


class ProjectWorkerOut(Schema):
    person_id: uuid.UUID
    person_name: str
    team: str
    start_date: dt.date
    end_date: dt.date | None

    @staticmethod
    def resolve_person_name(obj: object) -> str:
        return obj.person.name  # type: ignore[attr-defined]


class WageEntryIn(Schema):
    kind: str = Field(..., max_length=8, description="deposit (received into the account) or wage (paid to a worker)")
    period: dt.date = Field(..., description="the month (any day of it) the money is for")
    amount_fen: int = Field(..., gt=0)
    booked_on: dt.date
    bank_reference: str = Field(..., min_length=1, max_length=64, description="the bank's reference; once per project")
    id_number: str = Field("", max_length=18, description="the worker paid (wages only)")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "wage",
                    "period": "2026-03-01",
                    "amount_fen": 650000,
                    "booked_on": "2026-04-10",
                    "bank_reference": "CCB20260410000123",
                    "id_number": examples.ID_NUMBER,
                }
            ]
        }
    )


class WageEntryOut(Schema):
    kind: str
    person_id: uuid.UUID | None
    period: dt.date
    amount_fen: int
    booked_on: dt.date
    reference: str


class UnpaidOut(Schema):
    person_id: uuid.UUID
    person_name: str
    month: dt.date


class ProjectDetailOut(Schema):
    project: ProjectOut
    workers: list[ProjectWorkerOut]
    entries: list[WageEntryOut]
    months: list[dt.date]
    unpaid: list[UnpaidOut] = Field(..., description="roster workers with no wage paid through the account in a month")
    months_without_deposit: list[dt.date] = Field(..., description="months the wage account received nothing")
