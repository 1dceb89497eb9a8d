"""The analytics platform's scheduled jobs (declared on AnalyticsConfig.scheduled_jobs)."""

from __future__ import annotations

from hrss.analytics import lake


def lake_export() -> dict[str, int]:
    """Bring the lake up to date: the rows each table wrote (all 0 when nothing changed)."""
    return {result.name: result.rows for result in lake.export()}


def early_warning() -> dict[str, int]:
    """Monthly: the unemployment early warning for the last complete month, city-wide.
    Idempotent: a second run of the month raises and sends nothing (counts 0)."""
    from django.utils import timezone

    from hrss.analytics import services
    from hrss.core.scope import Scope

    result = services.warnings_run(
        scope=Scope.system("schedule:analytics.early_warning"), period=services.default_period(timezone.localdate())
    )
    return {"raised": result.raised, "notified": result.notified}
