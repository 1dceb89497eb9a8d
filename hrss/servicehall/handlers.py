"""Service-task handlers: the registry the hall's engine reads, and recording defaults.

The registry itself (``ServiceTaskContext``, ``register_handler``, ``handler_for``,
``ServiceTaskRefused``...) lives in ``hrss.core.servicetasks``, below the domain apps, so
that a domain app registers its handlers without importing the service hall (siblings
never import each other). It is re-exported here for the hall's own code.

Until a domain app exists, the service hall ships a *recording* handler under the name
its processes use: it writes the decision into the application's result and nothing
else. A domain registration always replaces a recording default. The insurance app
registers ``insurance.flexible_worker_enrol``, ``insurance.contribution_certificate``,
``insurance.pension_award*``, ``insurance.unemployment_claim*`` and ``insurance.transfer*``
(``hrss.insurance.servicetasks``), so no recording default stands in for those.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hrss.core.servicetasks import (
    Handler,
    ServiceTaskContext,
    ServiceTaskRefused,
    handler_for,
    handler_names,
    is_recording_default,
    register_handler,
    unregister_handler,
)

__all__ = [
    "Handler",
    "ServiceTaskContext",
    "ServiceTaskRefused",
    "handler_for",
    "handler_names",
    "is_recording_default",
    "register_handler",
    "unregister_handler",
]


def _recorded(context: ServiceTaskContext, what: str, **extra: Any) -> dict[str, Any]:
    return {
        "handled_by": "servicehall.recording",
        "what": what,
        "recorded_at": timezone.now().isoformat(timespec="seconds"),
        **extra,
    }


# Recording defaults for domains that are not there yet (see the module docstring).


@register_handler("insurance.employer_register", default=True)
def _employer_register(context: ServiceTaskContext) -> dict[str, Any]:
    # The insurance app has no employer-registration service yet (employers come from the
    # registry's market-regulation feed); until it does, the decision is recorded.
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
