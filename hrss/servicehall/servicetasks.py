"""The service hall's own service-task handler: a decision recorded, for items no domain app handles yet.

The registry (``register_handler``, ``handler_for``, ``ServiceTaskContext``...) is
``hrss.core.servicetasks``; each domain app registers its handlers there in its
``AppConfig.ready()`` (``insurance.*`` in ``hrss.insurance.servicetasks``, ``card.apply``
in ``hrss.card.servicetasks``). The hall names none of them.

A process whose domain app does not exist yet (unemployment registration, labour
arbitration) ends in ``servicehall.record_decision``, which writes what was decided into
the application's result and nothing else. The BPMN file says what to record through
the operator's parameters (expressions, so text is quoted)::

    <spiffworkflow:serviceTaskOperator id="servicehall.record_decision" resultVariable="result">
      <spiffworkflow:parameters>
        <spiffworkflow:parameter id="what" type="str" value="'registered as unemployed'" />
        <spiffworkflow:parameter id="fields" type="list" value="['unemployed_since']" />
      </spiffworkflow:parameters>
    </spiffworkflow:serviceTaskOperator>

``what`` describes the decision; ``fields`` names form answers copied into the result.
When the domain app arrives, its process names its own handler instead.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hrss.core.servicetasks import ServiceTaskContext, register_handler

RECORD_DECISION = "servicehall.record_decision"


@register_handler(RECORD_DECISION)
def record_decision(context: ServiceTaskContext) -> dict[str, Any]:
    fields = context.params.get("fields") or []
    return {
        "handled_by": "servicehall.recording",
        "what": str(context.params.get("what") or ""),
        "recorded_at": timezone.now().isoformat(timespec="seconds"),
        **{str(name): context.form_data.get(str(name)) for name in fields},
    }
