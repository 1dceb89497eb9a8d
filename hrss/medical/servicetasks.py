"""The 异地就医备案 step of the service hall (SH-YB-001, S5): ``medical.filing_record``.

The hall runs ``processes/medical_filing.bpmn`` (accept, review, a second review when risk
flags are raised); once staff have approved, the process calls the handler here, which
records the filing (``services.filing_record``). The hall application's reference is the retry
key. A person not insured here, a region that is not a GB/T 2260 code or is the insuring
region itself, or bad dates end the application rejected with the reason."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils.translation import gettext as _

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.medical import services

FILING_RECORD = "medical.filing_record"


def _date(value: Any) -> dt.date | None:
    text = str(value or "").strip()
    return dt.date.fromisoformat(text) if text else None


@register_handler(FILING_RECORD)
def filing_record(context: ServiceTaskContext) -> dict[str, Any]:
    try:
        person_id = uuid.UUID(str(context.person_id))
    except ValueError as error:
        raise ServiceTaskRefused(_("This service is for citizens: the application names no person.")) from error
    form = context.form_data
    try:
        valid_from, valid_to = _date(form.get("valid_from")), _date(form.get("valid_to"))
    except ValueError as error:
        raise ServiceTaskRefused(_("The filing's dates are not valid."), code="filing_dates_invalid") from error
    if valid_from is None:
        raise ServiceTaskRefused(_("The filing's dates are not valid."), code="filing_dates_invalid")
    try:
        filing = services.filing_record(
            scope=Scope.system(context.actor),
            person_id=person_id,
            kind=str(form.get("filing_type") or ""),
            region=str(form.get("region") or ""),
            valid_from=valid_from,
            valid_to=valid_to,
            reference=context.reference,
            hospital=str(form.get("hospital") or ""),
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "handled_by": FILING_RECORD,
        "what": "cross-region filing recorded",
        "filing_id": str(filing.pk),
        "region": filing.region,
        "valid_from": filing.valid_from.isoformat(),
    }
