"""The kernel's scheduled jobs (declared on ``CoreConfig.scheduled_jobs``)."""

from __future__ import annotations

from typing import Any

from hrss.core import audit


def audit_seal() -> dict[str, Any]:
    """Seal every committed audit entry appended since the last run."""
    return {"sealed": audit.audit_seal()}
