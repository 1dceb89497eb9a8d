"""Benefits as service items: 退休申请 (SH-YL-004) and 失业保险金申领 (SH-SY-001) (S1, S3).

Each item computes right after acceptance (a *preview*, stored in the workflow data under
the service task's ``resultVariable`` for the reviewer, nothing written) and grants after
approval. A case that does not qualify is refused at the preview, with the figures, so no
one reviews it; the grant computes again, since the record may have changed meanwhile.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.errors import InvalidInput
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.insurance import rules, services
from hrss.insurance.models import BenefitAward, BenefitKind, Enrolment
from hrss.insurance.services.benefits import PensionComputation, UnemploymentAssessment
from hrss.insurance.servicetasks.task_context import (
    acting_scope,
    earlier_result,
    form_date,
    money,
    month_text,
    payment_schedule,
    payment_target,
    person_id_of,
    record_result,
    refusing,
)

# 非因本人意愿中断就业 (失业保险金申领发放办法 第4条): the reasons on the claim form that qualify.
INVOLUNTARY_SEPARATIONS = frozenset({"contract_ended", "dismissed", "employer_fault"})
# The workflow variable the pension preview is stored under (``resultVariable`` in pension_award.bpmn).
PENSION_PREVIEW = "pension_preview"
SCHEDULE_MONTHS = 12  # how many pension payments the result lists (a display length)


# --- pension award (退休申请 / 养老金待遇核定) -------------------------------------------------


def _pension_compute(context: ServiceTaskContext, scope: Scope) -> tuple[PensionComputation, list[str]]:
    computation = services.pension_award_compute(
        scope=scope,
        person_id=person_id_of(context),
        category=str(context.form_data.get("retirement_category") or "") or None,
        retirement_month=form_date(context, "retirement_month"),
    )
    reasons = list(computation.reasons)
    current = BenefitAward.objects.filter(
        person_id=computation.person_id,
        kind=BenefitKind.PENSION,
        status__in=[BenefitAward.Status.ACTIVE, BenefitAward.Status.SUSPENDED],
    ).first()
    if current is not None:
        reasons.append(_("A pension is already awarded from %(month)s.") % {"month": month_text(current.start_month)})
    if computation.retirement_month > rules.month_start(timezone.localdate()):
        # The computation estimates a future retirement; an award waits until the age is reached.
        reasons.insert(
            0,
            _("Not at retirement age yet: the age of %(age)s is reached in %(month)s.")
            % {"age": computation.retirement_age, "month": month_text(computation.retirement_month)},
        )
    return computation, reasons


def _pension_figures(computation: PensionComputation, reasons: list[str]) -> dict[str, Any]:
    return {
        "eligible": not reasons,
        "reasons": reasons,
        "category": computation.category,
        "statutory_age": computation.statutory_age,
        "retirement_age": computation.retirement_age,
        "retirement_month": month_text(computation.retirement_month),
        "start_month": month_text(computation.start_month),
        "contribution_months": computation.contribution_months,
        "minimum_years": rules.plain(computation.minimum_years),
        "average_wage": money(computation.average_wage),
        "average_index": str(computation.average_index),
        "account_balance": money(computation.account_balance),
        "divisor": str(computation.divisor),
        "monthly_benefit": money(computation.total),
        "parts": {
            "basic": money(computation.basic),
            "account": money(computation.account),
            "transitional": money(computation.transitional),
        },
        "notes": [str(note) for note in computation.notes],
    }


@register_handler("insurance.pension_award_preview")
@refusing
def pension_award_preview(context: ServiceTaskContext) -> dict[str, Any]:
    """After acceptance: the award as it would be granted, for the reviewer; nothing is written.

    A person who is not eligible (not at retirement age, too few contribution years) is
    refused here, with the figures, before anyone spends time reviewing.
    """
    computation, reasons = _pension_compute(context, acting_scope(context))
    figures = {"what": _("Basic pension computed for review"), **_pension_figures(computation, reasons)}
    if reasons:
        raise ServiceTaskRefused(" ".join(reasons), result=figures)
    return figures


@register_handler("insurance.pension_award")
@refusing
def pension_award(context: ServiceTaskContext) -> dict[str, Any]:
    """After approval: compute again (the record may have changed) and grant the pension.

    A person who already draws a pension is refused (the award is one per person), so a
    second application for the same retirement never grants twice; the task run again for
    the same application answers with the award it made.
    """
    earlier = earlier_result(context, "pension_award", person_id_of(context))
    if earlier is not None:
        return earlier
    scope = acting_scope(context)
    computation, reasons = _pension_compute(context, scope)
    figures = _pension_figures(computation, reasons)
    if reasons:
        raise ServiceTaskRefused(" ".join(reasons), result={"granted": False, **figures})
    award = services.pension_award_grant(scope=scope, computation=computation)
    result: dict[str, Any] = {
        "what": _("Basic pension awarded: %(amount)s yuan a month from %(month)s.")
        % {"amount": figures["monthly_benefit"], "month": figures["start_month"]},
        "granted": True,
        "award_id": str(award.pk),
        **figures,
        "schedule": payment_schedule(award, SCHEDULE_MONTHS),
        **payment_target(context),
    }
    reviewed = (context.workflow_data.get(PENSION_PREVIEW) or {}).get("monthly_benefit")
    if reviewed and reviewed != figures["monthly_benefit"]:
        # The record changed between review and approval (a month assessed, a correction):
        # the grant follows the record, and the difference stays visible.
        result["reviewed_monthly_benefit"] = reviewed
    return record_result(context, scope, "pension_award", computation.person_id, result)


# --- unemployment benefit (失业保险金申领) ---------------------------------------------------------


def _unemployment_assess(
    context: ServiceTaskContext, scope: Scope
) -> tuple[UnemploymentAssessment, list[str], dt.date]:
    separation = form_date(context, "separation_date")
    if separation is None:
        raise InvalidInput(fields={"separation_date": _("required")})
    person_id = person_id_of(context)
    assessment = services.unemployment_claim_assess(
        scope=scope,
        person_id=person_id,
        separation_date=separation,
        involuntary=context.form_data.get("separation_reason") in INVOLUNTARY_SEPARATIONS,
        registered_unemployed=bool(context.form_data.get("registered_unemployed")),
    )
    reasons = list(assessment.reasons)
    today = timezone.localdate()
    if separation > today:
        reasons.insert(0, _("The job has not ended yet (the separation date is in the future)."))
    current = (
        Enrolment.objects.filter(
            person_id=person_id,
            insurance_type=rules.UNEMPLOYMENT,
            employer__isnull=False,
            end_month__isnull=True,
        )
        .select_related("employer")
        .first()
    )
    if current is not None:
        reasons.append(
            _("The person is still insured through %(employer)s since %(month)s.")
            % {"employer": current.employer.name if current.employer else "", "month": month_text(current.start_month)}
        )
    # Paid from the month after the job ended, or from this month when the claim comes later.
    start = max(rules.add_months(rules.month_start(separation), 1), rules.month_start(today))
    return assessment, reasons, start


def _unemployment_figures(
    assessment: UnemploymentAssessment, reasons: list[str], start: dt.date, context: ServiceTaskContext
) -> dict[str, Any]:
    return {
        "eligible": not reasons,
        "reasons": reasons,
        "separation_date": assessment.separation_date.isoformat(),
        "separation_reason": context.form_data.get("separation_reason"),
        "contribution_months": assessment.contribution_months,
        "tier_months": assessment.tier_months,
        "carried_over_months": assessment.carried_over_months,
        "months": assessment.total_months,
        "capped": assessment.capped,
        "monthly_amount": money(assessment.monthly_amount),
        "amount_basis": assessment.amount_basis,
        "start_month": month_text(start),
        "end_month": month_text(rules.add_months(start, assessment.total_months - 1))
        if assessment.total_months
        else None,
    }


@register_handler("insurance.unemployment_claim_preview")
@refusing
def unemployment_claim_preview(context: ServiceTaskContext) -> dict[str, Any]:
    """After acceptance: entitlement months and amount for the reviewer; a claim that does not
    qualify is refused here with the reasons."""
    assessment, reasons, start = _unemployment_assess(context, acting_scope(context))
    figures = {
        "what": _("Unemployment benefit assessed for review"),
        **_unemployment_figures(assessment, reasons, start, context),
    }
    if reasons:
        raise ServiceTaskRefused(" ".join(reasons), result=figures)
    return figures


@register_handler("insurance.unemployment_claim")
@refusing
def unemployment_claim(context: ServiceTaskContext) -> dict[str, Any]:
    """After approval: assess again and grant the benefit months, paid monthly.

    A benefit already being paid refuses the claim (one current award per person); the task
    run again for the same application answers with the award it made.
    """
    earlier = earlier_result(context, "unemployment_claim", person_id_of(context))
    if earlier is not None:
        return earlier
    scope = acting_scope(context)
    assessment, reasons, start = _unemployment_assess(context, scope)
    figures = _unemployment_figures(assessment, reasons, start, context)
    if reasons:
        raise ServiceTaskRefused(" ".join(reasons), result={"granted": False, **figures})
    award = services.unemployment_award_grant(scope=scope, assessment=assessment, start_month=start)
    result = {
        "what": _("Unemployment benefit granted: %(months)s months of %(amount)s yuan from %(month)s.")
        % {"months": figures["months"], "amount": figures["monthly_amount"], "month": figures["start_month"]},
        "granted": True,
        "award_id": str(award.pk),
        **figures,
        "total_amount": money(assessment.monthly_amount * assessment.total_months),
        "schedule": payment_schedule(award, award.entitled_months or 0),
        **payment_target(context),
    }
    return record_result(context, scope, "unemployment_claim", assessment.person_id, result)
