"""Background work of the kernel: a scheduled job, enqueued by the scheduler, run by the db_worker."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from hrss.core import schedule


@task()
def scheduled_job_run(name: str, trigger: str = "schedule") -> dict[str, Any]:
    """Run one job of ``hrss.core.schedule`` and record it; a failing job fails the task."""
    return schedule.job_run(name, trigger=trigger).counts
