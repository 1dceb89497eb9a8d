"""The hall's scheduled jobs (declared in ``ServicehallConfig.scheduled_jobs``, run by ``hrss.core.schedule``)."""

from __future__ import annotations

from hrss.servicehall import services


def escalate_overdue_work() -> dict[str, int]:
    """Daily: raise overdue work items, flag late applications. Idempotent: once per level."""
    return services.escalate_overdue()
