"""The service-task handler registry: what a BPMN ``serviceTask`` does, keyed by name (A3).

The service hall runs the processes; domain apps (insurance, card, ...) do the work. Both
sit in the same layer and may not import each other, so the registry lives here, below
them: a domain app registers ``@register_handler("insurance.pension_award")`` in its
``AppConfig.ready()``, and the hall's engine looks the name up with ``handler_for``.

A handler gets a ``ServiceTaskContext`` and returns a JSON-serialisable dict, which the
process stores under the service task's ``resultVariable`` (``result`` becomes the
application's result). A handler that finds the application cannot be granted raises
``ServiceTaskRefused``: the hall then ends the application as rejected with those reasons
(a refusal is an outcome for the applicant, not an error for the staff member).

Recording defaults (``default=True``) stand in for domains that are not built yet; a
domain registration always replaces a default, whatever the import order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from hrss.core.errors import DomainError


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

    @property
    def decided_by(self) -> str:
        """The staff member whose decision led to this task ("" when it runs on submission)."""
        return str(self.workflow_data.get("decided_by") or "")

    @property
    def actor(self) -> str:
        """Whom the task's writes and audit entries name: the deciding staff member, else the hall."""
        return self.decided_by or f"servicehall:{self.reference}"


Handler = Callable[[ServiceTaskContext], dict[str, Any]]


class ServiceTaskRefused(DomainError):
    """The handler's answer that the application cannot be granted (not a fault).

    ``message`` becomes the application's decision reasons; ``result`` (the figures behind
    the refusal) is stored as the task's result so staff and applicant can see why.
    """

    status = 422
    code = "service_task_refused"
    default_message = _("The application cannot be granted.")

    def __init__(self, message: Any = None, *, result: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.result = result or {}

    @classmethod
    def from_error(cls, error: DomainError, *, result: dict[str, Any] | None = None) -> ServiceTaskRefused:
        """A domain service's refusal (bad input, a conflicting record) as the task's refusal."""
        message = str(error.message)
        if error.message is type(error).default_message and error.fields:
            # A generic message says nothing by itself: name what was wrong.
            message += " " + "; ".join(f"{name}: {value}" for name, value in error.fields.items())
        return cls(message, result=result, code=error.code, fields=error.fields)


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


def unregister_handler(name: str, handler: Handler) -> None:
    """Remove a registration (tests that register a handler of their own clean up with this)."""
    current = _handlers.get(name)
    if current is not None and current.handler is handler:
        del _handlers[name]


def handler_for(name: str) -> Handler | None:
    registration = _handlers.get(name)
    return registration.handler if registration else None


def handler_names() -> set[str]:
    return set(_handlers)


def is_recording_default(name: str) -> bool:
    registration = _handlers.get(name)
    return bool(registration and registration.default)
