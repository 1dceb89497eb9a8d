"""Escalation of overdue work by working days (X2)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.events import publish
from hrss.core.scope import Scope
from hrss.core.workdays import workdays_between
from hrss.servicehall import engine, rules
from hrss.servicehall.events import WorkItemEscalated
from hrss.servicehall.models import Application, WorkItem
from hrss.servicehall.services.dispatch import work_item_dispatch
from hrss.servicehall.services.history import audit_application, log_step


def escalate_overdue(*, today: dt.date | None = None) -> dict[str, int]:
    """Escalate overdue work by working days; flag applications past their statutory deadline.

    Level 1 (overdue): the assignee and supervisors are told. Level 2 (three working days
    over): the item goes back to dispatch, to someone other than its assignee.
    """
    today = today or timezone.localdate()
    escalated = redispatched = 0
    system = Scope.system("servicehall.escalation")
    for work_item in (
        WorkItem.objects.filter(state=WorkItem.State.OPEN, due_date__lt=today)
        .exclude(role=engine.APPLICANT_LANE)
        .select_related("application", "assignee")
    ):
        level = rules.escalation_level(workdays_between(work_item.due_date, today))
        if level <= work_item.escalation_level:
            continue
        with transaction.atomic():
            # Locked and read again: a run that started at the same moment (the scheduled
            # one and ``hrss schedule run``) escalates a level once, and tells people once.
            current = (
                WorkItem.objects.select_for_update().filter(pk=work_item.pk).values_list("escalation_level", "state")
            )
            if list(current) != [(work_item.escalation_level, WorkItem.State.OPEN)]:
                continue
            work_item.escalation_level = level
            work_item.escalated_at = timezone.now()
            work_item.save(update_fields=["escalation_level", "escalated_at", "updated_at"])
            previous = work_item.assignee
            if level >= 2:
                work_item.assignee = None
                work_item.assigned_at = None
                work_item.save(update_fields=["assignee", "assigned_at", "updated_at"])
                work_item_dispatch(work_item=work_item, actor=system.actor, exclude={previous.pk} if previous else None)
                redispatched += 1
            escalated += 1
            audit_application(
                system, "servicehall.work_item.escalate", work_item.application, step=work_item.step, level=level
            )
            log_step(
                work_item.application,
                step="escalated",
                message=_("Step %(step)s is overdue (level %(level)s).")
                % {"step": work_item.step_name, "level": level},
                actor=system.actor,
                visible=False,
            )
            publish(
                WorkItemEscalated(
                    work_item_id=work_item.pk,
                    application_id=work_item.application_id,
                    reference=work_item.application.reference,
                    level=level,
                    assignee=previous.username if previous else "",
                )
            )
    overdue = Application.objects.filter(
        status__in=[Application.Status.SUBMITTED, Application.Status.IN_PROGRESS], deadline__lt=today, overdue=False
    ).update(overdue=True)
    return {"escalated": escalated, "redispatched": redispatched, "applications_overdue": overdue}
