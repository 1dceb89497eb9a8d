"""Writes of the analytics platform: the unemployment early warning (E5) — a run that raises
the month's warnings and tells the districts' staff, and staff acknowledging and closing them.
Atomic, audited and checked against the caller's Scope.

A run reads the contribution ledger and the unemployment registrations set-based, through
the facts modules their apps declare (``ledger_facts``, ``unemployment_facts``; found in
``AnalyticsConfig.ready()``: the layers keep this app from importing them), applies the rules
of ``hrss.analytics.rules`` with the thresholds in force (``warning_policy``), and inserts
what is not there yet: a warning is unique per rule, subject and month, so a rerun (the
scheduler's, a second click) raises nothing twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.analytics import rules, warning_policy
from hrss.analytics.declared_facts import ledger_facts, unemployment_facts
from hrss.analytics.models import EarlyWarning
from hrss.analytics.notify_templates import WARNINGS_RAISED_TEMPLATE
from hrss.analytics.selectors import WARNING_ROLES, require_warning_staff, warning_for_update
from hrss.codes.selectors import ParameterMissing
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput
from hrss.core.months import month_start
from hrss.core.scope import Scope
from hrss.identity.models import User
from hrss.notify import services as notify
from hrss.notify.links import site_url
from hrss.registry.models import Employer


@dataclass(frozen=True)
class RunResult:
    period: dt.date
    findings: int  # what the rules found this time (raised now or before)
    raised: int  # new warnings
    notified: int  # messages sent to district staff


def default_period(today: dt.date) -> dt.date:
    """The month a run looks at when none is named: the last complete month."""
    return month_start(today, 1)


def parse_period(text: str | None, *, today: dt.date) -> dt.date:
    """``YYYY-MM`` (empty: the last complete month); not a month after the last complete one."""
    if not text:
        return default_period(today)
    try:
        period = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise InvalidInput(fields={"period": _("Enter the month as YYYY-MM.")}) from None
    if period > default_period(today):
        raise InvalidInput(fields={"period": _("Choose a month that has ended.")})
    return period


def _findings(scope: Scope, period: dt.date, thresholds: rules.Thresholds) -> list[rules.Finding]:
    districts = None if scope.city_wide else sorted(scope.districts or ())
    ledger = ledger_facts.get().employer_months(
        first=month_start(period, rules.months_needed(thresholds) - 1), last=period, districts=districts
    )
    by_employer: dict[Any, dict[dt.date, dict[str, int]]] = defaultdict(dict)
    for (employer_id, month), row in ledger.items():
        by_employer[employer_id][month] = row
    registrations = unemployment_facts.get().registrations_by_district(
        first=month_start(period, thresholds.registrations_band_months), last=period, districts=districts
    )
    return [
        *rules.employer_findings(by_employer, period=period, thresholds=thresholds),
        *rules.district_findings(registrations, period=period, thresholds=thresholds),
    ]


def warnings_run(*, scope: Scope, period: dt.date) -> RunResult:
    """Raise the month's warnings for the employers and districts of the caller's scope (the
    scheduler's is the city) and send each district's staff one message about the new ones.
    Idempotent: a second run of the month raises and sends nothing."""
    require_warning_staff(scope)
    period = month_start(period)
    try:
        thresholds = warning_policy.thresholds(on=period)
    except ParameterMissing:  # a month before the thresholds were first set (or after they end)
        raise InvalidInput(fields={"period": _("No warning thresholds are in force for that month.")}) from None
    findings = _findings(scope, period, thresholds)
    employer_districts = dict(
        Employer.objects.filter(pk__in={f.key for f in findings if f.subject == rules.EMPLOYER}).values_list(
            "pk", "district_id"
        )
    )
    candidates = [
        EarlyWarning(
            rule=finding.rule,
            subject=finding.subject,
            employer_id=finding.key if finding.subject == rules.EMPLOYER else None,
            district_id=employer_districts.get(finding.key) if finding.subject == rules.EMPLOYER else finding.key,
            period=period,
            figures=finding.figures,
        )
        for finding in findings
        if finding.subject == rules.DISTRICT or finding.key in employer_districts
    ]
    with transaction.atomic():
        existing = {
            (rule, employer_id or district_id)
            for rule, employer_id, district_id in EarlyWarning.objects.filter(period=period).values_list(
                "rule", "employer_id", "district_id"
            )
        }
        new = [w for w in candidates if (w.rule, w.employer_id or w.district_id) not in existing]
        # a concurrent run of the same month may have inserted some meanwhile: those stay theirs
        EarlyWarning.objects.bulk_create(new, ignore_conflicts=True)
        raised = list(EarlyWarning.objects.filter(pk__in=[w.pk for w in new]).order_by())
        if raised:
            EarlyWarning.history.bulk_history_create(raised, default_change_reason="raised")  # type: ignore[attr-defined]
        notified = _notify_districts(raised, period)
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="analytics.warning.run",
            object_type="analytics.EarlyWarning",
            purpose="unemployment_early_warning",
            detail={
                "period": f"{period:%Y-%m}",
                "findings": len(findings),
                "raised": len(raised),
                "districts": None if scope.city_wide else sorted(scope.districts or ()),
            },
        )
    return RunResult(period=period, findings=len(findings), raised=len(raised), notified=notified)


def _notify_districts(raised: list[EarlyWarning], period: dt.date) -> int:
    """One in-app message to each active staff member of a warning role whose data scope
    names a district of the new warnings, counting the new warnings of their districts."""
    by_district: dict[str, int] = defaultdict(int)
    for warning in raised:
        if warning.district_id:
            by_district[warning.district_id] += 1
    if not by_district:
        return 0
    through = User.districts.through
    rows = (
        through.objects.filter(
            district_id__in=list(by_district), user__is_active=True, user__roles__code__in=sorted(WARNING_ROLES)
        )
        .values_list("user_id", "district_id")
        .distinct()
    )
    counts: dict[Any, int] = defaultdict(int)
    for user_id, district_id in rows:
        counts[user_id] += by_district[district_id]
    url = site_url("analytics:warnings")
    for user_id, count in sorted(counts.items(), key=lambda item: str(item[0])):
        notify.send_in_app(
            user_id=user_id,
            template=WARNINGS_RAISED_TEMPLATE,
            params={"count": count, "period": f"{period:%Y-%m}", "url": url},
        )
    return len(counts)


def _audit(scope: Scope, action: str, warning: EarlyWarning, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type="analytics.EarlyWarning",
        object_id=str(warning.pk),
        purpose="unemployment_early_warning",
        detail={"rule": warning.rule, "period": f"{warning.period:%Y-%m}", "status": warning.status, **detail},
    )


@transaction.atomic
def warning_acknowledge(*, scope: Scope, warning_id: uuid.UUID, note: str = "") -> EarlyWarning:
    """Staff of the warning's district take it up. Acknowledging one already acknowledged
    changes nothing (a retry); a closed one cannot be."""
    warning = warning_for_update(scope=scope, warning_id=warning_id)
    if warning.status == EarlyWarning.Status.ACKNOWLEDGED:
        return warning
    if warning.status == EarlyWarning.Status.CLOSED:
        raise Conflict(_("This warning is closed."), code="warning_closed")
    warning.status = EarlyWarning.Status.ACKNOWLEDGED
    warning.acknowledged_by, warning.acknowledged_at = scope.actor, timezone.now()
    if note.strip():
        warning.note = note.strip()
    warning._change_reason = "acknowledged"  # type: ignore[attr-defined]
    warning.save()
    _audit(scope, "analytics.warning.acknowledge", warning)
    return warning


@transaction.atomic
def warning_close(*, scope: Scope, warning_id: uuid.UUID, note: str) -> EarlyWarning:
    """Staff of the warning's district close it with a note of what was found or done.
    Closing one already closed changes nothing (a retry)."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput(fields={"note": _("Say what was found or done.")})
    warning = warning_for_update(scope=scope, warning_id=warning_id)
    if warning.status == EarlyWarning.Status.CLOSED:
        return warning
    warning.status = EarlyWarning.Status.CLOSED
    warning.closed_by, warning.closed_at = scope.actor, timezone.now()
    warning.note = note
    warning._change_reason = "closed"  # type: ignore[attr-defined]
    warning.save()
    _audit(scope, "analytics.warning.close", warning)
    return warning
