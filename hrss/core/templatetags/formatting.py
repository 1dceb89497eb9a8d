"""Template filters that show values the way people read them: ``{% load formatting %}``.

``money``: an amount in yuan, grouped, with two places and its unit ("8,540.00 元"), never
the stored ``8540.000000``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()
_CENT = Decimal("0.01")


@register.filter
def money(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    return _("%(amount)s yuan") % {"amount": f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP):,}"}
