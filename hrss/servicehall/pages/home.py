"""The hall's panels on the signed-in home (declared in ``ServicehallConfig.home_panels``).

Each is called as ``panel(request=..., scope=...)`` by the portal's home and reuses the
selectors of the hall's own pages, a fixed handful of queries each.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core import scope as roles
from hrss.core.scope import Scope
from hrss.servicehall import selectors, services
from hrss.servicehall.models import Application

RECENT = 5


def applications_panel(*, request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """A citizen's or employer's latest applications, and those waiting for their material (补正)."""
    if scope.person_id is None and scope.employer_id is None:
        return None
    recent = selectors.application_list(scope=scope, limit=RECENT)
    waiting = list(
        selectors.application_queryset(scope=scope)
        .filter(status=Application.Status.SUPPLEMENT)
        .select_related("item")
        .order_by("-submitted_at")[:RECENT]
    )
    todo = [
        (
            _("%(service)s (%(reference)s): more material is needed")
            % {"service": application.item.name, "reference": application.reference},
            reverse("servicehall:application", args=[application.reference]),
        )
        for application in waiting
    ]
    open_count = selectors.application_queryset(scope=scope).filter(status__in=Application.OPEN_STATUSES).count()
    return {"applications": recent, "open_count": open_count, "todo": todo}


def messages_panel(*, request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if scope.person_id is None and scope.employer_id is None:
        return None
    return {"messages": selectors.applicant_messages(scope=scope, limit=3)}


def work_panel(*, request: HttpRequest, scope: Scope) -> dict[str, Any]:
    """A clerk's, reviewer's or approver's queue, the pool they may take from and what is overdue."""
    queue = selectors.my_queue(scope=scope, user=request.user)
    today = timezone.localdate()
    overdue = [work for work in queue if work.due_date < today]
    todo = []
    if overdue:
        todo.append(
            (
                _("%(count)s items in your queue are overdue") % {"count": len(overdue)},
                reverse("servicehall:workbench"),
            )
        )
    is_supervisor = services.staff_is_supervisor(scope, request.user)  # type: ignore[arg-type]
    return {
        "queue": queue[:RECENT],
        "queue_count": len(queue),
        "overdue": overdue[:RECENT],
        "overdue_count": len(overdue),
        "pool": selectors.work_pool(scope=scope, user=request.user).count(),
        "walk_in": scope.has_role(roles.COUNTER_CLERK),
        "is_supervisor": is_supervisor,
        "district_overdue": selectors.overdue_work_count(scope=scope) if is_supervisor else None,
        "todo": todo,
    }
