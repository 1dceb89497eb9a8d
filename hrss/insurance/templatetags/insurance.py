"""Template filters of the insurance pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from hrss.insurance import rules

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def fen(value: int | None) -> Decimal:
    """Whole fen as yuan with two decimals."""
    return rules.from_fen(value)
