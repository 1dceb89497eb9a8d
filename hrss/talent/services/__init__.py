"""Writes of public-institution personnel (R3): every one atomic and audited, scoped to its
caller (callers write ``services.plan_submit(...)``)."""

from hrss.talent.services.changes import (
    post_change_decide,
    post_change_submit,
    wage_decide,
    wage_submit,
)
from hrss.talent.services.green_cards import green_card_benefit_apply, green_card_benefit_decide, green_card_issue
from hrss.talent.services.institutions import institution_register, post_set, quota_set, staff_add, staff_leave
from hrss.talent.services.plans import plan_decide, plan_submit

__all__ = [
    "green_card_benefit_apply",
    "green_card_benefit_decide",
    "green_card_issue",
    "institution_register",
    "plan_decide",
    "plan_submit",
    "post_change_decide",
    "post_change_submit",
    "post_set",
    "quota_set",
    "staff_add",
    "staff_leave",
    "wage_decide",
    "wage_submit",
]
