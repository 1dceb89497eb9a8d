"""The talent app's steps of the service hall (R3):

- 公开招聘计划备案 SH-RS-001 (``processes/talent_recruitment_plan.bpmn``): after acceptance
  ``talent.plan_preview`` shows the reviewer the quota with the plan; after approval
  ``talent.plan_approve`` checks the quota again and records the plan (refused with
  ``quota_exceeded`` when it no longer fits).
- 岗位变动 SH-RS-002 (``talent_post_change.bpmn``): ``talent.post_change_approve`` moves the
  staff member to the new post (``post_full`` when no position is free any more).
- 工资审批 SH-RS-003 (``talent_wage_approval.bpmn``): ``talent.wage_preview`` computes the wage
  from the tables in force on the effective date for the reviewer; ``talent.wage_approve``
  computes it again and stores it.

A rejection ends the application and ``subscribers.py`` marks the record rejected. The hall
application's reference is the retry key: a second run answers as the first did.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.talent import rules, selectors, services

PLAN_PREVIEW = "talent.plan_preview"
PLAN_APPROVE = "talent.plan_approve"
POST_CHANGE_APPROVE = "talent.post_change_approve"
WAGE_PREVIEW = "talent.wage_preview"
WAGE_APPROVE = "talent.wage_approve"


def _record_id(context: ServiceTaskContext, field: str, message: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(context.form_data.get(field) or ""))
    except ValueError as error:
        raise ServiceTaskRefused(message, code=f"{field}_missing") from error


def _refusing(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return run()
    except ServiceTaskRefused:
        raise
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error


@register_handler(PLAN_PREVIEW)
def plan_preview(context: ServiceTaskContext) -> dict[str, Any]:
    plan_id = _record_id(context, "plan", _("The application names no recruitment plan."))
    return _refusing(lambda: selectors.plan_preview(plan_id=plan_id, reference=context.reference))


@register_handler(PLAN_APPROVE)
def plan_approve(context: ServiceTaskContext) -> dict[str, Any]:
    plan_id = _record_id(context, "plan", _("The application names no recruitment plan."))

    def run() -> dict[str, Any]:
        plan = services.plan_decide(
            scope=Scope.system(context.actor), plan_id=plan_id, approved=True, reference=context.reference
        )
        return {
            "handled_by": PLAN_APPROVE,
            "what": _("Recruitment plan filed"),
            "plan_id": str(plan.pk),
            "year": plan.year,
            "numbers": plan.numbers,
        }

    return _refusing(run)


@register_handler(POST_CHANGE_APPROVE)
def post_change_approve(context: ServiceTaskContext) -> dict[str, Any]:
    change_id = _record_id(context, "change", _("The application names no post change."))

    def run() -> dict[str, Any]:
        change = services.post_change_decide(
            scope=Scope.system(context.actor), change_id=change_id, approved=True, reference=context.reference
        )
        return {
            "handled_by": POST_CHANGE_APPROVE,
            "what": _("Post changed"),
            "post": selectors.post_label(change.to_post),
            "effective_on": change.effective_on.isoformat(),
        }

    return _refusing(run)


@register_handler(WAGE_PREVIEW)
def wage_preview(context: ServiceTaskContext) -> dict[str, Any]:
    wage_id = _record_id(context, "wage", _("The application names no wage approval."))
    return _refusing(lambda: selectors.wage_preview(wage_id=wage_id, reference=context.reference))


@register_handler(WAGE_APPROVE)
def wage_approve(context: ServiceTaskContext) -> dict[str, Any]:
    wage_id = _record_id(context, "wage", _("The application names no wage approval."))

    def run() -> dict[str, Any]:
        wage = services.wage_decide(
            scope=Scope.system(context.actor), wage_id=wage_id, approved=True, reference=context.reference
        )
        return {
            "handled_by": WAGE_APPROVE,
            "what": _("Wage approved"),
            "effective_on": wage.effective_on.isoformat(),
            "post_wage": rules.yuan(wage.post_wage_fen),
            "scale_wage": rules.yuan(wage.scale_wage_fen),
            "allowance": rules.yuan(wage.allowance_fen),
            "monthly_wage": rules.yuan(wage.total_fen),
        }

    return _refusing(run)
