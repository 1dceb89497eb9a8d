"""Cached reads of code tables and policy parameters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from stdnum import numdb

from hrss.codes.models import District, Industry, InsuranceType, PolicyParameter
from hrss.core.errors import DomainError

_NATIONAL = "100000"
_PARAMS_KEY = "codes:parameters:v1"
_DISTRICTS_KEY = "codes:districts:v1"
_INSURANCE_TYPES_KEY = "codes:insurance_types:v1"


class ParameterMissing(DomainError):
    status = 503
    code = "policy_parameter_missing"
    default_message = _("A policy parameter needed for this calculation has not been configured.")


def codes_changed() -> None:
    """Drop the cached tables (called when an administrator edits them)."""
    cache.delete_many([_PARAMS_KEY, _DISTRICTS_KEY, _INSURANCE_TYPES_KEY])


def _parameters() -> dict[tuple[str, str], list[tuple[dt.date, dt.date | None, Decimal]]]:
    table = cache.get(_PARAMS_KEY)
    if table is None:
        table = {}
        for name, region, start, end, value in PolicyParameter.objects.order_by("valid_from").values_list(
            "name", "region", "valid_from", "valid_to", "value"
        ):
            table.setdefault((name, region), []).append((start, end, value))
        cache.set(_PARAMS_KEY, table, 600)
    return table


def _value_in(
    table: dict[tuple[str, str], list[tuple[dt.date, dt.date | None, Decimal]]],
    name: str,
    on: dt.date,
    region: str | None,
) -> Decimal:
    for where in (region or settings.HRSS_CITY_REGION, _NATIONAL):
        for start, end, value in table.get((name, where), ()):
            if start <= on and (end is None or on <= end):
                return value
    raise ParameterMissing(
        _("The policy parameter %(name)s has no value in force on %(date)s.") % {"name": name, "date": on.isoformat()},
        fields={"parameter": name},
    )


def parameter_value(name: str, *, on: dt.date, region: str | None = None) -> Decimal:
    """The value of a policy parameter in force on a date, for the city, else nationally."""
    return _value_in(_parameters(), name, on, region)


def parameter_series(prefix: str, *, on: dt.date, region: str | None = None) -> dict[str, Decimal]:
    """All parameters whose name starts with ``prefix`` (e.g. the months-divisor table), in
    force on a date; one read of the cached table."""
    table = _parameters()
    result: dict[str, Decimal] = {}
    for name in sorted({name for name, _region in table if name.startswith(prefix)}):
        try:
            result[name[len(prefix) :]] = _value_in(table, name, on, region)
        except ParameterMissing:
            continue
    return result


def _districts() -> dict[str, tuple[str, str, str | None]]:
    table = cache.get(_DISTRICTS_KEY)
    if table is None:
        table = {
            code: (name, status, successor)
            for code, name, status, successor in District.objects.values_list("code", "name", "status", "successor_id")
        }
        cache.set(_DISTRICTS_KEY, table, 600)
    return table


def district_name(code: str) -> str | None:
    """Name of a division: the city's own table first, then GB/T 2260 nationwide (python-stdnum)."""
    entry = _districts().get(code)
    if entry:
        return entry[0]
    return national_district_name(code)


@lru_cache(maxsize=4096)
def national_district_name(code: str) -> str | None:
    parts: dict[str, str] = {}
    for _prefix, props in numdb.get("cn/loc").info(code):
        parts.update(props)
    if "county" not in parts:
        return None
    # stdnum marks historical names with their years: "[1982-2015]宁河县,..."; keep the latest.
    latest = parts["county"].split(",")[-1]
    return latest.split("]")[-1]


def district_exists(code: str) -> bool:
    return code in _districts()


def district_current_code(code: str) -> str | None:
    """The current division for a code, following successors of retired ones."""
    table, seen = _districts(), set()
    while code in table and table[code][1] == District.Status.RETIRED and table[code][2] and code not in seen:
        seen.add(code)
        code = table[code][2]  # type: ignore[assignment]
    return code if code in table else None


def districts_current(*, parent: str | None = None) -> list[tuple[str, str]]:
    """Current county-level divisions of the city: ``[(code, name), ...]``."""
    parent = parent or settings.HRSS_CITY_REGION
    return sorted(
        (code, name)
        for code, (name, status, _successor) in _districts().items()
        if status == District.Status.CURRENT and code[:2] == parent[:2] and not code.endswith("00")
    )


def _insurance_types() -> dict[str, tuple[str, str]]:
    table = cache.get(_INSURANCE_TYPES_KEY)
    if table is None:
        table = {
            code: (name, name_en)
            for code, name, name_en in InsuranceType.objects.values_list("code", "name", "name_en")
        }
        cache.set(_INSURANCE_TYPES_KEY, table, 600)
    return table


@lru_cache(maxsize=512)
def _traditional(text: str) -> str:
    import opencc

    return str(opencc.OpenCC("s2t").convert(text))


def insurance_type_exists(code: str) -> bool:
    return code in _insurance_types()


def insurance_type_name(code: str) -> str:
    """An insurance type's name in the active language: the table's Simplified name, its
    Traditional form (OpenCC) in zh-hant, its English name in en; the code if unknown."""
    entry = _insurance_types().get(code)
    if entry is None:
        return code
    name, name_en = entry
    language = (get_language() or "zh-hans").lower()
    if language.startswith("en") and name_en:
        return name_en
    if language in {"zh-hant", "zh-tw", "zh-hk"}:
        return _traditional(name)
    return name


def industry_exists(code: str) -> bool:
    return Industry.objects.filter(code=code).exists()
