"""The 信用信息异议申请 step of the service hall (SH-XY-001 for persons, SH-XY-002 for
employers, A7): ``credit.objection_uphold``, and the check at submission.

The hall runs ``processes/credit_objection.bpmn``; once staff have upheld the objection, it
calls the handler here, which corrects the record and re-rates the subject. A rejection ends
the application and the subscriber (``subscribers.py``) records the objection as rejected.
The hall application's reference is the retry key.
"""

from __future__ import annotations

from typing import Any

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.credit import services

OBJECTION_UPHOLD = "credit.objection_uphold"


def hall_submission_check(*, item_code: str, person: Any, employer: Any, form_data: Any) -> None:
    """The record objected to is the applicant's, not corrected, and not already under review."""
    if form_data is None:
        return
    refusal = services.objection_refusal(event_id=form_data.get("record"), person=person, employer=employer)
    if refusal is not None:
        raise refusal


@register_handler(OBJECTION_UPHOLD)
def objection_uphold(context: ServiceTaskContext) -> dict[str, Any]:
    try:
        objection = services.objection_decide(
            scope=Scope.system(context.actor),
            reference=context.reference,
            upheld=True,
            form_data=dict(context.form_data or {}),
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "handled_by": OBJECTION_UPHOLD,
        "what": "credit record corrected",
        "objection_id": str(objection.pk),
        "event_id": str(objection.event_id),
    }
