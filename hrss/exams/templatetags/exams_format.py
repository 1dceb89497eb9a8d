"""The exams pages' formatting: scores through ``rules.score_text`` (one decimal everywhere)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from hrss.exams import rules

register = template.Library()


@register.filter
def score(value: Decimal | int | float | str | None) -> str:
    return rules.score_text(value)
