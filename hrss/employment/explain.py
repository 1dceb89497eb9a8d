"""Why a vacancy was ranked for a seeker, in words (the reasons of ``rules.match``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hrss.employment import rules


def reason_text(reason: rules.Reason) -> str:
    if reason.code == "same_occupation":
        return _("the occupation you want")
    if reason.code == "same_group":
        return _("same occupation group")
    if reason.code == "district":
        return _("in a district you want")
    if reason.code == "wage":
        return _("wage within your range")
    if reason.code == "skills":
        return _("%(matched)d of %(wanted)d skills") % {"matched": reason.matched, "wanted": reason.wanted}
    return reason.code


def reasons_text(match: rules.Match) -> list[str]:
    return [reason_text(reason) for reason in match.reasons]
