"""Reads of the monthly assessment runs (staff only)."""

from __future__ import annotations

import datetime as dt

from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.insurance.models import AssessmentRun


def assessment_runs(*, scope: Scope, limit: int = 24) -> list[AssessmentRun]:
    if not scope.is_staff:
        raise PermissionDenied()
    return list(AssessmentRun.objects.order_by("-period")[:limit])


def assessment_run(*, scope: Scope, period: dt.date) -> AssessmentRun:
    if not scope.is_staff:
        raise PermissionDenied()
    run = AssessmentRun.objects.filter(period=period).first()
    if run is None:
        raise NotFound()
    return run
