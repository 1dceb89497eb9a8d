"""The labour app's steps of the service hall's item 劳动仲裁申请 (SH-ZC-001) (L1, A3).

The process (``hrss/labor/processes/labour_arbitration_application.bpmn``) runs in the hall:
on submission ``labor.file_case`` opens the arbitration case with its acceptance deadline
(5 days, 第29条); the hall's staff review the application (受理, 初审, 复审, 审批); approval
ends in ``labor.accept_case`` (立案: the award clock starts), any refusal passes through
``labor.refuse_case`` (不予受理, with the staff's reasons) before the process ends. The hall
and this app never import each other: the handlers are found by name in
``hrss.core.servicetasks``. Every handler is keyed by the hall reference, so the engine may
run one again without a second effect.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.errors import DomainError
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.labor.services import cases


def _person_id(context: ServiceTaskContext) -> uuid.UUID:
    try:
        return uuid.UUID(str(context.person_id))
    except ValueError as error:
        raise ServiceTaskRefused(_("This service is for workers: the application names no person.")) from error


@register_handler("labor.file_case")
def file_case(context: ServiceTaskContext) -> dict[str, Any]:
    form = context.form_data
    try:
        case = cases.case_file(
            reference=context.reference,
            person_id=_person_id(context),
            respondent=str(form.get("respondent") or ""),
            claims=str(form.get("claims") or ""),
            amount=form.get("amount"),
            actor=context.actor,
            received_on=timezone.localdate(),
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {"case": case.reference, "acceptance_due": case.acceptance_due.isoformat()}


@register_handler("labor.accept_case")
def accept_case(context: ServiceTaskContext) -> dict[str, Any]:
    try:
        case = cases.case_accept(reference=context.reference, actor=context.actor, on=timezone.localdate())
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "handled_by": "labor",
        "case": case.reference,
        "accepted_on": case.accepted_on.isoformat() if case.accepted_on else None,
        "award_due": case.award_due.isoformat() if case.award_due else None,
    }


@register_handler("labor.refuse_case")
def refuse_case(context: ServiceTaskContext) -> dict[str, Any]:
    reasons = str(context.workflow_data.get("reasons") or "")
    case = cases.case_refuse(reference=context.reference, actor=context.actor, reasons=reasons)
    previous = context.workflow_data.get("result")
    return {**(previous if isinstance(previous, dict) else {}), "case": case.reference if case else None}
