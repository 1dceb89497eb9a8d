from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from ninja import Schema

from hrss.core.logging import mask_id_number, mask_phone
from hrss.core.scope import Scope
from hrss.registry.models import Employer, Employment, Person


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class CodeName(Schema):
    code: str
    name: str


class PersonOut(Schema):
    id: uuid.UUID
    id_number: str
    name: str
    sex: str
    birth_date: dt.date
    household_district: CodeName | None
    residence_district: CodeName | None
    phone: str
    death_date: dt.date | None
    status: str
    sources: dict[str, Any]

    @classmethod
    def build(cls, person: Person, scope: Scope) -> PersonOut:
        """Full ID number and phone only for the person themself and staff whose work needs them."""
        clear = scope.sees_personal_data or scope.person_id == person.pk
        return cls(
            id=person.pk,
            id_number=person.id_number if clear else mask_id_number(person.id_number),
            name=person.name,
            sex=person.sex,
            birth_date=person.birth_date,
            household_district=_code_name(person.household_district),
            residence_district=_code_name(person.residence_district),
            phone=person.phone if clear else mask_phone(person.phone),
            death_date=person.death_date,
            status=person.status,
            sources=person.sources,
        )


class EmployerOut(Schema):
    id: uuid.UUID
    credit_code: str
    name: str
    industry: CodeName | None
    district: CodeName | None
    size: str

    @classmethod
    def build(cls, employer: Employer) -> EmployerOut:
        return cls(
            id=employer.pk,
            credit_code=employer.credit_code,
            name=employer.name,
            industry=_code_name(employer.industry),
            district=_code_name(employer.district),
            size=employer.size,
        )


class EmploymentOut(Schema):
    employer_credit_code: str
    employer_name: str
    start_date: dt.date
    end_date: dt.date | None
    occupation: CodeName | None
    monthly_wage: Decimal | None

    @classmethod
    def build(cls, spell: Employment) -> EmploymentOut:
        return cls(
            employer_credit_code=spell.employer.credit_code,
            employer_name=spell.employer.name,
            start_date=spell.start_date,
            end_date=spell.end_date,
            occupation=_code_name(spell.occupation),
            monthly_wage=spell.monthly_wage,
        )


class PersonHistoryOut(Schema):
    person: PersonOut
    employments: list[EmploymentOut]


class ImportRowOut(Schema):
    row: int
    key: str
    code: str
    message: str
    fields: dict[str, str]


class ImportBatchOut(Schema):
    id: uuid.UUID
    kind: str
    source: str
    filename: str
    sha256: str
    status: str
    rows_total: int
    rows_created: int
    rows_updated: int
    rows_unchanged: int
    rows_conflict: int
    rows_invalid: int
    report: list[ImportRowOut]


def _code_name(entry: Any) -> CodeName | None:
    return CodeName(code=entry.code, name=entry.name) if entry is not None else None
