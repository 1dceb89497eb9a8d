"""Work items done: approve, reject, or ask for a supplement (补正)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.models import User
from hrss.servicehall import engine, rules
from hrss.servicehall.models import Application, Decision, SupplementRequest, WorkItem
from hrss.servicehall.services.history import audit_application, log_step
from hrss.servicehall.services.workflow import application_workflow, workflow_sync


def work_item_complete(
    *,
    scope: Scope,
    user: User,
    work_item: WorkItem,
    decision: str,
    reasons: str = "",
    missing_materials: list[str] | None = None,
) -> Application:
    """Do a step: approve (pass to the next tier), reject with reasons, or ask for a supplement (补正)."""
    from hrss.servicehall.selectors import application_queryset, separation_of_duties_refusal

    if decision not in rules.DECISIONS:
        raise InvalidInput(fields={"decision": _("Choose approve, reject or ask for a supplement.")})
    reasons = (reasons or "").strip()
    if decision in ("reject", "supplement") and not reasons:
        message = _("Give the reasons, so the applicant knows what to do.")
        raise InvalidInput(message, fields={"reasons": message})
    if not scope.has_role(work_item.role):
        raise PermissionDenied(_("This step needs the %(role)s role.") % {"role": work_item.role})
    with transaction.atomic():
        locked = WorkItem.objects.select_for_update().get(pk=work_item.pk)
        application = (
            application_queryset(scope=scope).select_for_update(of=("self",)).filter(pk=locked.application_id).first()
        )
        if application is None:
            raise NotFound()
        if locked.state != WorkItem.State.OPEN:
            raise Conflict(_("This step has already been done."), code="already_done")
        if locked.assignee_id not in (None, user.pk):
            raise PermissionDenied(_("This work item is assigned to someone else."), code="assigned_elsewhere")
        locked.application = application
        refusal = separation_of_duties_refusal(work_item=locked, user=user)
        if refusal is not None:
            raise refusal
        workflow = application_workflow(application)
        data = {"decision": decision, "reasons": reasons, "supplement_from": locked.step, "decided_by": scope.actor}
        engine.workflow_complete_step(workflow, task_id=locked.task_id, data=data)
        locked.state = WorkItem.State.DONE
        locked.assignee = locked.assignee or user
        locked.completed_at = timezone.now()
        locked.completed_by = scope.actor
        locked.decision = decision
        locked.reasons = reasons
        locked.save()
        if locked.step == "accept" and not application.accepted_office:
            application.accepted_office = sorted(scope.districts)[0] if scope.districts else "city"
        if decision == "supplement":
            SupplementRequest.objects.create(
                application=application,
                requested_by=scope.actor,
                requested_at_step=locked.step,
                missing_materials=[m for m in (missing_materials or []) if m],
                message=reasons,
            )
            log_step(
                application,
                step="supplement_requested",
                message=_("More is needed for %(reference)s: %(reasons)s")
                % {"reference": application.reference, "reasons": reasons},
                actor=scope.actor,
            )
        else:
            log_step(
                application,
                step=locked.step,
                message=_("Step done: %(step)s (%(decision)s).")
                % {"step": locked.step_name, "decision": Decision(decision).label},
                actor=scope.actor,
                visible=decision != "reject",
            )
        audit_application(scope, "servicehall.work_item.complete", application, step=locked.step, decision=decision)
        workflow_sync(application, workflow, actor=scope.actor)
    return application
