"""The application's workflow mirrored as work items, and the status derived from it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.events import publish
from hrss.core.workdays import add_workdays
from hrss.identity.models import User
from hrss.servicehall import engine, rules
from hrss.servicehall.events import ApplicationDecided
from hrss.servicehall.models import Application, Channel, WorkItem
from hrss.servicehall.services.dispatch import assign_to, work_item_dispatch
from hrss.servicehall.services.history import log_step


def application_workflow(application: Application) -> Any:
    return engine.workflow_load(application.workflow_state)


def workflow_sync(application: Application, workflow: Any, *, actor: str, walk_in_clerk: User | None = None) -> None:
    """Mirror the workflow's ready user tasks as work items, then derive the application's status."""
    ready = {step.task_id: step for step in engine.ready_steps(workflow)}
    open_items = {item.task_id: item for item in application.work_items.filter(state=WorkItem.State.OPEN)}
    now = timezone.now()
    for task_id, item in open_items.items():
        if task_id not in ready:
            item.state = WorkItem.State.CANCELLED
            item.save(update_fields=["state", "updated_at"])
    today = timezone.localdate()
    for task_id, step in ready.items():
        if task_id in open_items:
            continue
        work_item = WorkItem.objects.create(
            application=application,
            task_id=task_id,
            step=step.step,
            step_name=step.name,
            role=step.role,
            district_id=application.district_id,
            due_date=add_workdays(today, step.limit_workdays),
        )
        if step.role == engine.APPLICANT_LANE:
            work_item.assignee = application.submitted_by if application.channel != Channel.COUNTER else None
            work_item.assigned_at = now if work_item.assignee else None
            work_item.save(update_fields=["assignee", "assigned_at", "updated_at"])
        elif walk_in_clerk is not None and step.role in walk_in_clerk.role_codes():
            # Accepted at the counter where the applicant stands (全城通办).
            assign_to(work_item, walk_in_clerk, actor=actor)
        else:
            work_item_dispatch(work_item=work_item, actor=actor)

    application.workflow_state = engine.workflow_dump(workflow)
    previous = application.status
    if workflow.completed:
        data = engine.workflow_data(workflow)
        application.status = rules.outcome_status(data.get("decision"))
        application.decided_at = now
        application.result = data.get("result") or {}
        application.decided_by = str(data.get("decided_by") or actor)
        application.decision_reasons = str(data.get("reasons") or "")
        application.overdue = False
    elif any(step.role == engine.APPLICANT_LANE for step in ready.values()):
        application.status = Application.Status.SUPPLEMENT
    elif application.work_items.filter(state=WorkItem.State.DONE).exists():
        application.status = Application.Status.IN_PROGRESS
    else:
        application.status = Application.Status.SUBMITTED
    application.save()
    if workflow.completed and previous in Application.OPEN_STATUSES:
        _decided(application, actor=actor)


def _decided(application: Application, *, actor: str) -> None:
    if application.status == Application.Status.APPROVED:
        message = _("Your application %(reference)s was approved.") % {"reference": application.reference}
    else:
        message = _("Your application %(reference)s was not approved: %(reasons)s") % {
            "reference": application.reference,
            "reasons": application.decision_reasons,
        }
    log_step(application, step=application.status, message=message, actor=actor)
    publish(
        ApplicationDecided(
            application_id=application.pk,
            reference=application.reference,
            item_code=application.item.code,
            outcome=application.status,
            person_id=application.applicant_person_id,
            employer_id=application.applicant_employer_id,
        )
    )
