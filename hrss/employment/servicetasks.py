"""The 失业登记 step of the service hall (SH-JY-001, E1): ``employment.unemployment_register``.

The hall runs ``processes/unemployment_registration.bpmn`` (accept, first review, a second
review when risk flags are raised or credit is poor); once staff have approved, the process
calls the handler here, which registers the person as unemployed and opens their
job-seeker profile (``services.unemployment_register``). The registry of handlers is
``hrss.core.servicetasks``: the hall and this app never import each other.

The hall application's reference is the retry key: the engine may run a service task again,
and a second run answers with the registration the first one made. A person already
registered, a date in the future or an application naming no person end the application
rejected with the reason (``ServiceTaskRefused``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils.translation import gettext as _

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.employment import services

UNEMPLOYMENT_REGISTER = "employment.unemployment_register"


@register_handler(UNEMPLOYMENT_REGISTER)
def unemployment_register(context: ServiceTaskContext) -> dict[str, Any]:
    try:
        person_id = uuid.UUID(str(context.person_id))
    except ValueError as error:
        raise ServiceTaskRefused(_("This service is for citizens: the application names no person.")) from error
    try:
        since = dt.date.fromisoformat(str(context.form_data.get("unemployed_since") or ""))
    except ValueError as error:
        raise ServiceTaskRefused(
            _("The application gives no valid date of becoming unemployed."), code="unemployed_since_missing"
        ) from error
    try:
        registration = services.unemployment_register(
            scope=Scope.system(context.actor),
            person_id=person_id,
            unemployed_since=since,
            reference=context.reference,
            last_employer=str(context.form_data.get("last_employer") or ""),
            wants_training=bool(context.form_data.get("wants_training")),
        )
    except DomainError as error:
        raise ServiceTaskRefused.from_error(error) from error
    return {
        "handled_by": UNEMPLOYMENT_REGISTER,
        "what": "registered as unemployed",  # what the hall's page says was done (as before the move)
        "registration_id": str(registration.pk),
        "unemployed_since": registration.unemployed_since.isoformat(),
        "registered_on": registration.registered_on.isoformat(),
    }
