"""Scheduled jobs of the labour app (L1)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db import transaction
from django.utils import timezone

from hrss.labor import deadlines, rules
from hrss.labor.models import OPEN_STATUSES, ArbitrationCase
from hrss.labor.services import rectification

logger = logging.getLogger(__name__)


def deadlines_check(today: dt.date | None = None) -> dict[str, int]:
    """Set each open case's clock (on time, at risk, overdue) against its statutory deadline
    and log a warning per overdue case, so the workbench and supervisors see them."""
    today = today or timezone.localdate()
    warn = deadlines.warning_days(on=today)
    counts = {rules.ON_TIME: 0, rules.AT_RISK: 0, rules.OVERDUE: 0}
    changed: dict[str, list[uuid.UUID]] = {state: [] for state in counts}
    for pk, reference, due, clock in (
        ArbitrationCase.objects.filter(status__in=OPEN_STATUSES, due_on__isnull=False)
        .values_list("pk", "reference", "due_on", "clock")
        .iterator()
    ):
        if due is None:  # excluded by the filter; for the type checker
            continue
        state = rules.clock_state(due=due, today=today, warn_days=warn)
        counts[state] += 1
        if state != clock:
            changed[state].append(pk)
        if state == rules.OVERDUE:
            logger.warning("arbitration case %s is overdue: its deadline was %s", reference, due)
    with transaction.atomic():
        for state, pks in changed.items():
            if pks:
                ArbitrationCase.objects.filter(pk__in=pks).update(clock=state, updated_at=timezone.now())
    return counts


def orders_overdue(today: dt.date | None = None) -> dict[str, int]:
    """Mark every rectification order past its day overdue (``labor.orders_overdue``, daily):
    each goes to the top of the inspectors' queue with its penalty offered. Idempotent."""
    return {"overdue": rectification.orders_overdue(today=today)}
