"""Writes of the service hall: processes, applications, work items, supplements, escalation (A1, A3, X2).

Every state change goes through one function here: atomic, audited, and announced with
a domain event after commit (notifications subscribe to those events; the event classes
are in ``hrss.servicehall.events``). One module per sub-domain:

- ``processes``: BPMN definitions and their versions
- ``submission``: applications submitted and withdrawn
- ``workflow``: the workflow mirrored as work items, the status derived
- ``dispatch``: who does a work item
- ``decisions``: a step done (approve, reject, supplement)
- ``supplements``: materials uploaded, supplement requests answered
- ``escalation``: overdue work raised
- ``history``: the applicant's log and the audit record of every change
"""

from hrss.servicehall.services.decisions import work_item_complete
from hrss.servicehall.services.dispatch import (
    dispatch_candidates,
    staff_is_supervisor,
    work_item_assign,
    work_item_dispatch,
    work_item_take_next,
)
from hrss.servicehall.services.escalation import escalate_overdue
from hrss.servicehall.services.processes import process_current, process_load
from hrss.servicehall.services.submission import application_submit, application_withdraw
from hrss.servicehall.services.supplements import (
    MATERIAL_SIGNATURES,
    MAX_MATERIAL_BYTES,
    material_upload,
    supplement_answer,
)

__all__ = [
    "MATERIAL_SIGNATURES",
    "MAX_MATERIAL_BYTES",
    "application_submit",
    "application_withdraw",
    "dispatch_candidates",
    "escalate_overdue",
    "material_upload",
    "process_current",
    "process_load",
    "staff_is_supervisor",
    "supplement_answer",
    "work_item_assign",
    "work_item_complete",
    "work_item_dispatch",
    "work_item_take_next",
]
