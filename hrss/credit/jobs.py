"""Scheduled jobs of the credit system (A7)."""

from __future__ import annotations

import datetime as dt
import logging

from hrss.credit import services

logger = logging.getLogger(__name__)


def collect_and_rate(today: dt.date | None = None) -> dict[str, int]:
    """Nightly: record what every source reports, then re-rate every subject with an event so
    that events which expired stop counting (and leave the lists)."""
    added = services.collect(on=today)
    changed = services.rerate_all(on=today)
    logger.info("credit: %s new events, %s ratings changed", sum(added.values()), changed)
    return {**{f"added_{label}": count for label, count in added.items()}, "ratings_changed": changed}
