"""Public code-table API: form helpers for ID numbers and credit codes, districts, policy figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from hrss.codes import selectors
from hrss.codes.identifiers import parse_credit_code, parse_id_number
from hrss.core.errors import NotFound

router = Router(tags=["codes"])


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class IdNumberOut(Schema):
    value: str
    birth_date: dt.date
    sex: str
    district_code: str
    district_name: str | None
    current_district_code: str | None
    kind: str
    converted_from: str | None


class CreditCodeOut(Schema):
    value: str
    registration_authority_code: str
    registration_authority: str
    category_code: str
    category: str
    district_code: str
    district_name: str | None
    organisation_code: str


class DistrictOut(Schema):
    code: str
    name: str


class ParameterOut(Schema):
    name: str
    value: Decimal
    on: dt.date


@router.get(
    "/id-number/{value}",
    response={200: IdNumberOut, 422: ErrorOut},
    auth=None,
    summary="Check a citizen ID number and say what it encodes",
)
def id_number_check(request: HttpRequest, value: str) -> IdNumberOut:
    parsed = parse_id_number(value)
    return IdNumberOut(
        value=parsed.value,
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        district_code=parsed.address_code,
        district_name=selectors.district_name(parsed.address_code),
        current_district_code=selectors.district_current_code(parsed.address_code),
        kind=parsed.kind,
        converted_from=parsed.converted_from,
    )


@router.get(
    "/credit-code/{value}",
    response={200: CreditCodeOut, 422: ErrorOut},
    auth=None,
    summary="Check a unified social credit code and say what it encodes",
)
def credit_code_check(request: HttpRequest, value: str) -> CreditCodeOut:
    parsed = parse_credit_code(value)
    return CreditCodeOut(
        value=parsed.value,
        registration_authority_code=parsed.authority_code,
        registration_authority=parsed.authority,
        category_code=parsed.category_code,
        category=parsed.category,
        district_code=parsed.district_code,
        district_name=selectors.district_name(parsed.district_code),
        organisation_code=parsed.organisation_code,
    )


@router.get("/districts", response=list[DistrictOut], auth=None, summary="The city's current districts")
def districts(request: HttpRequest) -> list[DistrictOut]:
    return [DistrictOut(code=code, name=name) for code, name in selectors.districts_current()]


@router.get(
    "/parameters/{name}",
    response={200: ParameterOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="A policy figure in force on a date (published policy, no sign-in)",
)
def parameter(request: HttpRequest, name: str, on: dt.date | None = None) -> ParameterOut:
    day = on or dt.date.today()
    try:
        value = selectors.parameter_value(name, on=day)
    except selectors.ParameterMissing as missing:
        raise NotFound(missing.message, code="parameter_not_found", fields=missing.fields) from None
    return ParameterOut(name=name, value=value, on=day)
