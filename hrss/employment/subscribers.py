"""What employment does on other apps' events: an employer's 增员 and 减员 in insurance open
and close the person's employment spell (``startup.hired`` / ``startup.left``).

The events are insurance's, declared on its AppConfig (``enrolment_events``: dotted paths)
and subscribed to here from ``EmploymentConfig.ready()``, so this app never imports
insurance (the layers forbid it) and every process subscribes at start-up.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string

from hrss.core.events import subscribe
from hrss.employment import startup

ACTOR = "insurance:enrolment"


def employee_hired(event: Any) -> None:
    """增员: only an enrolment through an employer is a job (a flexible worker's is not)."""
    if getattr(event, "employer_id", None) is None:
        return
    startup.hired(person_id=event.person_id, employer_id=event.employer_id, start_month=event.start_month, actor=ACTOR)


def employee_left(event: Any) -> None:
    """减员: the spell with the employer that stopped the enrolment ends (death, retirement or leaving)."""
    if getattr(event, "employer_id", None) is None:
        return
    startup.left(person_id=event.person_id, employer_id=event.employer_id, last_month=event.last_month, actor=ACTOR)


def enrolment_events_subscribe() -> None:
    """Subscribe to the enrolment events the installed apps declare (``enrolment_events``)."""
    for config in apps.get_app_configs():
        declared = getattr(config, "enrolment_events", None) or {}
        if declared.get("started"):
            subscribe(import_string(declared["started"]))(employee_hired)
        if declared.get("stopped"):
            subscribe(import_string(declared["stopped"]))(employee_left)
