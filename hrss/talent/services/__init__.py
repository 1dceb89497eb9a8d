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
from hrss.talent.services.programmes import (
    declaration_check,
    declaration_submit,
    expert_add,
    expert_conflict_add,
    programme_create,
)
from hrss.talent.services.reviews import (
    appeal_decide,
    appeal_lodge,
    assignment_recuse,
    experts_assign,
    programme_aggregate,
    programme_finalise,
    programme_publish,
    sheet_submit,
)
from hrss.talent.services.titles import title_record, title_revoke

__all__ = [
    "appeal_decide",
    "appeal_lodge",
    "assignment_recuse",
    "declaration_check",
    "declaration_submit",
    "expert_add",
    "expert_conflict_add",
    "experts_assign",
    "green_card_benefit_apply",
    "green_card_benefit_decide",
    "green_card_issue",
    "institution_register",
    "plan_decide",
    "plan_submit",
    "post_change_decide",
    "post_change_submit",
    "post_set",
    "programme_aggregate",
    "programme_create",
    "programme_finalise",
    "programme_publish",
    "quota_set",
    "sheet_submit",
    "staff_add",
    "staff_leave",
    "title_record",
    "title_revoke",
    "wage_decide",
    "wage_submit",
]
