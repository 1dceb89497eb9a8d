"""Citizen ID numbers (GB 11643) and unified social credit codes (GB 32100).

Validation is ``python-stdnum`` (``cn.ric``, ``cn.uscc``); this module adds what a bureau
needs around it: 15-digit legacy numbers converted, lower-case x normalised, residence
permits recognised, and errors that tell a person what to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc

from hrss.core.errors import InvalidInput

# Residence permits for Hong Kong, Macao and Taiwan residents share the format and check.
_SEPARATORS = re.compile(r"[\s\-]")
_PERMIT_PREFIXES = {"810000": "Hong Kong", "820000": "Macao", "830000": "Taiwan"}


class InvalidIdNumber(InvalidInput):
    code = "invalid_id_number"


class InvalidCreditCode(InvalidInput):
    code = "invalid_credit_code"


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    address_code: str
    kind: str  # "resident", "residence_permit", "foreign_permanent_resident"
    converted_from: str | None = None


def _fail(message: object, field: str = "id_number") -> InvalidIdNumber:
    return InvalidIdNumber(message, fields={field: message})


def _birth_date(number: str) -> dt.date:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise _fail(_("The birth date in this ID number (digits 7 to 14) is not a real date.")) from None


def parse_id_number(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Normalise and validate a citizen ID number; raise ``InvalidIdNumber`` saying why."""
    number = ric.compact(_SEPARATORS.sub("", raw or ""))
    converted_from = None
    if len(number) == 15:
        if not number.isdigit():
            raise _fail(_("A 15-digit ID number has digits only."))
        converted_from = number
        body = number[:6] + "19" + number[6:]
        number = body + ric.calc_check_digit(body + "0")
    if len(number) != 18:
        raise _fail(_("An ID number has 18 characters (or 15 digits for numbers issued before 1999)."))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise _fail(_("The first 17 characters of an ID number are digits; the last is a digit or X."))
    birth = _birth_date(number)
    if birth > (today or dt.date.today()) or birth.year < 1880:
        raise _fail(_("The birth date in this ID number (digits 7 to 14) is not possible."))
    if ric.calc_check_digit(number) != number[17]:
        raise _fail(_("The last character (check digit) does not match: please check the number for a typing error."))
    kind = "resident"
    if number[:6] in _PERMIT_PREFIXES:
        kind = "residence_permit"
    elif number[0] == "9":
        kind = "foreign_permanent_resident"
    elif not address_code_known(number[:6]):
        raise _fail(
            _("The first six digits (%(code)s) are not a known address code (GB/T 2260).") % {"code": number[:6]}
        )
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumber(number, birth, sex, number[:6], kind, converted_from)


@lru_cache(maxsize=4096)
def address_code_known(code: str) -> bool:
    """Whether a county-level code ever existed in GB/T 2260 (python-stdnum's table).

    Not tied to the birth year, unlike ``ric.get_birth_place``: the code is the household
    registration at *issuance*, so a person born before a county was created (or a
    table's first year) can validly carry its code.
    """
    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def normalise_id_number(raw: str) -> str:
    return parse_id_number(raw).value


# 登记管理部门 and 机构类别 (GB 32100-2015; list open-ended).
REGISTRATION_AUTHORITIES = {
    "1": _("institutional staffing (机构编制)"),
    "2": _("foreign affairs (外交)"),
    "3": _("justice administration (司法行政)"),
    "4": _("culture (文化)"),
    "5": _("civil affairs (民政)"),
    "6": _("tourism (旅游)"),
    "7": _("religious affairs (宗教)"),
    "8": _("trade unions (工会)"),
    "9": _("market regulation (工商/市场监管)"),
    "A": _("central military commission reform (中央军委改革)"),
    "N": _("agriculture (农业)"),
    "Y": _("other (其他)"),
}
CATEGORIES = {
    ("1", "1"): _("government agency (机关)"),
    ("1", "2"): _("public institution (事业单位)"),
    ("1", "3"): _("mass organisation (群众团体)"),
    ("5", "1"): _("social organisation (社会团体)"),
    ("5", "2"): _("private non-enterprise unit (民办非企业单位)"),
    ("5", "3"): _("foundation (基金会)"),
    ("9", "1"): _("enterprise (企业)"),
    ("9", "2"): _("individual business (个体工商户)"),
    ("9", "3"): _("farmers' cooperative (农民专业合作社)"),
}


@dataclass(frozen=True)
class CreditCode:
    value: str
    authority_code: str
    category_code: str
    district_code: str
    organisation_code: str

    @property
    def authority(self) -> str:
        return str(REGISTRATION_AUTHORITIES.get(self.authority_code, _("unknown")))

    @property
    def category(self) -> str:
        other = _("other (其他)")
        return str(CATEGORIES.get((self.authority_code, self.category_code), other))


def parse_credit_code(raw: str) -> CreditCode:
    """Normalise and validate a unified social credit code; raise ``InvalidCreditCode`` saying why."""
    value = uscc.compact(raw or "")

    def fail(message: object) -> InvalidCreditCode:
        return InvalidCreditCode(message, fields={"credit_code": message})

    if len(value) != 18:
        raise fail(_("A unified social credit code has 18 characters."))
    try:
        uscc.validate(value)
    except stdnum_errors.InvalidChecksum:
        raise fail(_("The last character (check character) does not match: please check for a typing error.")) from None
    except stdnum_errors.ValidationError:
        raise fail(
            _("Characters 3 to 8 are digits, and letters I, O, S, V and Z never appear in a credit code.")
        ) from None
    if organisation_check_character(value[8:16]) != value[16]:
        raise fail(
            _(
                "Characters 9 to 17 (the organisation code) do not pass their own check: please check for a typing error."
            )
        )
    return CreditCode(value, value[0], value[1], value[2:8], value[8:17])


def organisation_check_character(body8: str) -> str:
    """GB 11714 check character of an organisation code's first eight characters."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, weights, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)
