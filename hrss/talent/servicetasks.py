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

- 人才绿卡申领 SH-RC-001 (``talent_green_card.bpmn``, R1): ``talent.green_card_check`` shows the
  reviewer the category's thresholds in force against the registry wage and employer and the
  declared degree, title and award (refused with ``green_card_ineligible`` when nothing
  qualifies); ``talent.green_card_issue`` issues the card after approval (``green_card_held``
  when a valid card exists). ``green_card_submission_check`` refuses a second card at once.

A rejection ends the application and ``subscribers.py`` marks the record rejected. The hall
application's reference is the retry key: a second run answers as the first did.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.talent import rules, selectors, services
from hrss.talent.errors import GreenCardHeld

PLAN_PREVIEW = "talent.plan_preview"
PLAN_APPROVE = "talent.plan_approve"
POST_CHANGE_APPROVE = "talent.post_change_approve"
WAGE_PREVIEW = "talent.wage_preview"
WAGE_APPROVE = "talent.wage_approve"
GREEN_CARD_CHECK = "talent.green_card_check"
GREEN_CARD_ISSUE = "talent.green_card_issue"

# Names of the green card's figures, for the workbench (hrss.servicehall.computed_figures
# humanises a key and looks it up in this context; the form's choice fields use their labels).
FIGURE_NAMES = (
    pgettext_lazy("computed figure", "Green card check"),
    pgettext_lazy("computed figure", "On"),
    pgettext_lazy("computed figure", "Employer"),
    pgettext_lazy("computed figure", "Employer type"),
    pgettext_lazy("computed figure", "Employer admitted"),
    pgettext_lazy("computed figure", "Annual salary"),
    pgettext_lazy("computed figure", "Annual salary min"),
    pgettext_lazy("computed figure", "Declared"),
    pgettext_lazy("computed figure", "Registered title"),
    pgettext_lazy("computed figure", "Routes met"),
    pgettext_lazy("computed figure", "To verify"),
    pgettext_lazy("computed figure", "Salary"),
    pgettext_lazy("computed figure", "Eligible"),
    pgettext_lazy("computed figure", "Number"),
    pgettext_lazy("computed figure", "Issued on"),
    pgettext_lazy("computed figure", "Valid until"),
)


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


def _applicant(context: ServiceTaskContext) -> uuid.UUID:
    try:
        return uuid.UUID(str(context.person_id or ""))
    except ValueError as error:
        raise ServiceTaskRefused(_("The green card is for citizens: the application names no person.")) from error


def green_card_submission_check(*, item_code: str, person: Any, employer: Any, form_data: Any) -> None:
    """What ``talent.green_card_issue`` would refuse, checked when 人才绿卡申领 (SH-RC-001) is
    submitted (``TalentConfig.submission_checks``): a holder of a valid card is told at once."""
    if person is not None and selectors.green_card_valid(person_id=person.pk, on=timezone.localdate()) is not None:
        raise GreenCardHeld()


@register_handler(GREEN_CARD_CHECK)
def green_card_check(context: ServiceTaskContext) -> dict[str, Any]:
    person_id = _applicant(context)
    form = context.form_data

    def run() -> dict[str, Any]:
        eligibility, answer = selectors.green_card_check(
            person_id=person_id,
            category=str(form.get("category") or ""),
            degree=str(form.get("degree") or "none"),
            title=str(form.get("title") or "none"),
            award=str(form.get("award") or "none"),
            on=timezone.localdate(),
        )
        if not eligibility.employer_ok:
            raise ServiceTaskRefused(
                _("Your current employer in the registry is not of a type this green card category admits."),
                code="green_card_ineligible",
                result=answer,
            )
        if not eligibility.eligible:
            raise ServiceTaskRefused(
                _(
                    "Neither the declared degree, title and awards nor the registered wage meet this category's conditions."
                ),
                code="green_card_ineligible",
                result=answer,
            )
        return answer

    return _refusing(run)


@register_handler(GREEN_CARD_ISSUE)
def green_card_issue(context: ServiceTaskContext) -> dict[str, Any]:
    person_id = _applicant(context)

    def run() -> dict[str, Any]:
        card = services.green_card_issue(
            scope=Scope.system(context.actor),
            person_id=person_id,
            category=str(context.form_data.get("category") or ""),
            reference=context.reference,
        )
        return {
            "handled_by": GREEN_CARD_ISSUE,
            "what": _("Talent green card issued"),
            "number": card.number,
            "category": card.category,
            "issued_on": card.issued_on.isoformat(),
            "valid_until": card.valid_until.isoformat(),
        }

    return _refusing(run)
