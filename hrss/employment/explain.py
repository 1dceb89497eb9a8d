"""Why a vacancy was ranked for a seeker, in words (the reasons of ``rules.match``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hrss.employment import rules


def reason_text(reason: rules.Reason) -> str:
    if reason.code == "words":
        return _("matches the words you searched for")
    if reason.code == "same_occupation":
        return _("the occupation you want")
    if reason.code == "same_group":
        return _("same occupation group")
    if reason.code == "district":
        return _("in a district you want")
    if reason.code == "nearby_district":
        return _("near a district you want")
    if reason.code == "wage":
        return _("wage within your range")
    if reason.code == "skills":
        return _("%(matched)d of %(wanted)d skills") % {"matched": reason.matched, "wanted": reason.wanted}
    return reason.code


def reasons_text(match: rules.Match) -> list[str]:
    return [reason_text(reason) for reason in match.reasons]


def seeker_reason_text(reason: rules.Reason) -> str:
    """A reason of ``rules.match`` as the employer reads it about a seeker."""
    if reason.code == "same_occupation":
        return _("wants this occupation")
    if reason.code == "same_group":
        return _("wants an occupation of the same group")
    if reason.code == "district":
        return _("wants to work in this district")
    if reason.code == "nearby_district":
        return _("wants to work in a district nearby")
    if reason.code == "wage":
        return _("the wage meets what they ask")
    if reason.code == "skills":
        return _("has %(matched)d of the %(wanted)d skills wanted") % {
            "matched": reason.matched,
            "wanted": reason.wanted,
        }
    return reason.code


def seeker_reasons_text(match: rules.Match) -> list[str]:
    return [seeker_reason_text(reason) for reason in match.reasons]


def _yuan(fen: object) -> str:
    return f"{int(str(fen)) / 100:.2f}"


def policy_reason_text(reason: dict[str, Any]) -> str:
    """One reason of a policy verdict (``rules.Verdict.reasons``), in words."""
    code = reason.get("code")
    if code == "unemployed_months":
        return _("unemployed %(months)s months before being hired (at least %(needed)s)") % reason
    if code == "subsidy_month":
        return _("month %(month)s of at most %(of)s of the subsidy") % reason
    if code == "employer_share":
        return _("the employer's share of insurance this month: %(yuan)s yuan") % {"yuan": _yuan(reason["fen"])}
    if code == "months_insured":
        return _("insured against unemployment %(months)s of %(needed)s months") % reason
    if code == "layoff_rate":
        return _("layoff rate %(rate)s: %(leavers)s left of %(headcount)s insured (at most %(limit)s)") % reason
    if code == "refund":
        return _("%(ratio)s of the %(yuan)s yuan of unemployment insurance paid") % {
            "ratio": reason["ratio"],
            "yuan": _yuan(reason["paid_fen"]),
        }
    # the person policies' reasons (support_rules): their own module
    from hrss.employment.support_explain import reason_text

    return reason_text(reason)
