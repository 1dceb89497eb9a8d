"""Service-task handlers: what a BPMN ``serviceTask`` does, keyed by name.

A process names its handler in ``<spiffworkflow:serviceTaskOperator id="card.apply"/>``.
Domain apps register their own handlers here at start-up (``register_handler("card.apply")``
in their ``apps.ready``), so the service hall never imports them. Until a domain app
exists, the service hall ships a *recording* handler under the same name: it writes the
decision into the application's result and nothing else. A domain registration always
replaces a recording default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class ServiceTaskContext:
    """What a handler is given: the application and the workflow data at that point."""

    application_id: Any
    reference: str
    item_code: str
    person_id: Any
    employer_id: Any
    form_data: dict[str, Any]
    workflow_data: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[ServiceTaskContext], dict[str, Any]]


@dataclass
class _Registration:
    handler: Handler
    default: bool


_handlers: dict[str, _Registration] = {}


def register_handler(name: str, *, default: bool = False) -> Callable[[Handler], Handler]:
    """Decorator registering a service-task handler; a non-default one replaces a default."""

    def decorate(handler: Handler) -> Handler:
        current = _handlers.get(name)
        if current is None or current.default or not default:
            _handlers[name] = _Registration(handler, default)
        return handler

    return decorate


def handler_for(name: str) -> Handler | None:
    registration = _handlers.get(name)
    return registration.handler if registration else None


def handler_names() -> set[str]:
    return set(_handlers)


def is_recording_default(name: str) -> bool:
    registration = _handlers.get(name)
    return bool(registration and registration.default)


def _recorded(context: ServiceTaskContext, what: str, **extra: Any) -> dict[str, Any]:
    return {
        "handled_by": "servicehall.recording",
        "what": what,
        "recorded_at": timezone.now().isoformat(timespec="seconds"),
        **extra,
    }


# Recording defaults for domains that are not there yet (see the module docstring).


@register_handler("insurance.flexible_worker_enrol", default=True)
def _flexible_worker_enrol(context: ServiceTaskContext) -> dict[str, Any]:
    return _recorded(
        context,
        "flexible worker enrolled in basic pension insurance",
        base_level=context.form_data.get("base_level"),
        work_type=context.form_data.get("work_type"),
    )


@register_handler("insurance.employer_register", default=True)
def _employer_register(context: ServiceTaskContext) -> dict[str, Any]:
    return _recorded(context, "employer registered for social insurance", headcount=context.form_data.get("headcount"))


@register_handler("card.apply", default=True)
def _card_apply(context: ServiceTaskContext) -> dict[str, Any]:
    return _recorded(context, "card application passed to card production", delivery=context.form_data.get("delivery"))


@register_handler("employment.unemployment_register", default=True)
def _unemployment_register(context: ServiceTaskContext) -> dict[str, Any]:
    return _recorded(context, "registered as unemployed", unemployed_since=context.form_data.get("unemployed_since"))


@register_handler("labor.arbitration_case_file", default=True)
def _arbitration_case_file(context: ServiceTaskContext) -> dict[str, Any]:
    # Handed over to the labour domain when it registers this handler; until then recorded.
    return _recorded(context, "arbitration application accepted for filing (立案)")


@register_handler("insurance.contribution_certificate", default=True)
def _contribution_certificate(context: ServiceTaskContext) -> dict[str, Any]:
    digest = hashlib.sha256(f"{context.reference}:{context.person_id}".encode()).hexdigest()[:12].upper()
    return _recorded(
        context,
        "certificate of contributions issued",
        certificate_number=f"JFZM-{dt.date.today():%Y%m%d}-{digest}",
        purpose=context.form_data.get("purpose"),
    )
