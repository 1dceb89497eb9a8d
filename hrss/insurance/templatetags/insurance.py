"""Template filters of the insurance pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from hrss.codes.selectors import insurance_type_name as _insurance_type_name
from hrss.insurance import rules

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def fen(value: int | None) -> Decimal:
    """Whole fen as yuan with two decimals."""
    return rules.from_fen(value)


@register.filter
def insurance_type_name(code: str) -> str:
    """An insurance type's name from the codes table, in the active language."""
    return _insurance_type_name(code)
