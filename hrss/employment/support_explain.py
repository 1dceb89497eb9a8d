"""The reasons of the person policies' verdicts (``support_rules``) in words, for the staff's
payment list (``explain.policy_reason_text`` falls back to these)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from hrss.employment import support_rules


def reason_text(reason: dict[str, Any]) -> str:
    code = reason.get("code")
    if code == "not_in_special_group":
        return _("not identified as one of a special group")
    if code == "special_group":
        group = support_rules.special_groups().get(reason["group"])
        return _("identified as %(group)s") % {"group": group.name if group else reason["group"]}
    if code == "flexible_paid":
        return _("paid %(yuan)s yuan of flexible workers' contributions this month") % {
            "yuan": f"{Decimal(reason['fen']) / 100:.2f}"
        }
    if code == "business_months":
        return _("business started %(months)s months ago (less than %(max)s)") % reason
    if code == "already_granted":
        return _("the one-time start-up subsidy was granted before")
    return str(code)
