"""The 职业培训补贴申领 step of the service hall (SH-PX-001, T1): ``training.subsidy_approve``.

The hall runs ``processes/training_subsidy_claim.bpmn`` (accept, first review, a second
review on risk flags); once staff have approved, it calls the handler here, which approves
the claim so its lines are paid by the next payment run. A rejection ends the application
and the subscriber (``subscribers.py``) releases the claim's lines. The hall application's
reference is the retry key: a second run answers with the claim the first one approved.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.training import services

SUBSIDY_APPROVE = "training.subsidy_approve"


@register_handler(SUBSIDY_APPROVE)
def subsidy_approve(context: ServiceTaskContext) -> dict[str, Any]:
    try:
        claim_id = uuid.UUID(str(context.form_data.get("claim") or ""))
    except ValueError as error:
        raise ServiceTaskRefused(_("The application names no subsidy claim."), code="claim_missing") from error
    try:
        claim = services.claim_decide(
            scope=Scope.system(context.actor), claim_id=claim_id, approved=True, reference=context.reference
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "handled_by": SUBSIDY_APPROVE,
        "what": "training subsidy claim approved",
        "claim_id": str(claim.pk),
        "amount": f"{claim.amount_fen / 100:.2f}",
    }
