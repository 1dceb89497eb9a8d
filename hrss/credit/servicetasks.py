"""The 信用信息异议申请 step of the service hall (SH-XY-001 for persons, SH-XY-002 for
employers, A7): ``credit.objection_uphold``.

The hall runs ``processes/credit_objection.bpmn``; once staff have upheld the objection, it
calls the handler here, which corrects the event and re-rates the subject. A rejection ends
the application and the subscriber (``subscribers.py``) records the objection as rejected.
The hall application's reference is the retry key.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from hrss.core.errors import Conflict, DomainError
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.credit import services
from hrss.credit.models import Objection

OBJECTION_UPHOLD = "credit.objection_uphold"


def _objection_id(form_data: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str((form_data or {}).get("objection") or ""))
    except ValueError:
        return None


def hall_submission_check(*, item_code: str, person: Any, employer: Any, form_data: Any) -> None:
    """An objection is raised from the credit page, which names the record; an application
    typed into the hall must name an objection of this applicant that is under review."""
    if form_data is None:
        return
    objection_id = _objection_id(form_data)
    found = (
        Objection.objects.filter(pk=objection_id, status=Objection.Status.SUBMITTED)
        .filter(**({"event__employer": employer} if employer is not None else {"event__person": person}))
        .exists()
        if objection_id
        else False
    )
    if not found:
        raise Conflict(
            _("Raise an objection from the record on your credit page; this number names none of yours."),
            code="credit_objection_unknown",
        )


@register_handler(OBJECTION_UPHOLD)
def objection_uphold(context: ServiceTaskContext) -> dict[str, Any]:
    objection_id = _objection_id(context.form_data)
    if objection_id is None:
        raise ServiceTaskRefused(_("The application names no objection."), code="objection_missing")
    try:
        objection = services.objection_decide(
            scope=Scope.system(context.actor), objection_id=objection_id, upheld=True, reference=context.reference
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "handled_by": OBJECTION_UPHOLD,
        "what": "credit event corrected",
        "objection_id": str(objection.pk),
        "event_id": str(objection.event_id),
    }
