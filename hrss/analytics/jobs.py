"""The analytics platform's scheduled jobs (declared on AnalyticsConfig.scheduled_jobs)."""

from __future__ import annotations

from hrss.analytics import lake


def lake_export() -> dict[str, int]:
    """Bring the lake up to date: the rows each table wrote (all 0 when nothing changed)."""
    return {result.name: result.rows for result in lake.export()}
