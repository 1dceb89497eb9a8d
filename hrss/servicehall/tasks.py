"""Background work of the service hall (django-tasks).

``escalate_overdue_work`` is the same job as ``hrss servicehall escalate``: schedule either
once a working day (cron, systemd timer, or the deployment's scheduler). It is idempotent:
a work item is escalated once per level.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from hrss.servicehall import services


@task()
def escalate_overdue_work(today: str | None = None) -> dict[str, int]:
    return services.escalate_overdue(today=dt.date.fromisoformat(today) if today else None)
