"""Background work of the service hall (django-tasks).

``escalate_overdue_work`` is the same work as ``hrss servicehall escalate``; the scheduler
runs it daily as the job ``servicehall.escalate`` (``ServicehallConfig.scheduled_jobs``,
``hrss.core.schedule``). It is idempotent: a work item is escalated once per level.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from hrss.servicehall import services


@task()
def escalate_overdue_work(today: str | None = None) -> dict[str, int]:
    return services.escalate_overdue(today=dt.date.fromisoformat(today) if today else None)
