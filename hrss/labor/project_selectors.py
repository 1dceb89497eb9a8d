"""Construction projects as inspectors read them (L3): a project with its real-name roster,
its wage account's movements and its flags — workers on the roster with no wage paid through
the account in a month, months the account received nothing — and the flags per general
contractor that the wage-arrears warning reads (rule ``project_wage_flags``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from hrss.core.audit import audit_record
from hrss.core.months import month_start
from hrss.core.scope import Scope
from hrss.labor import rules
from hrss.labor.models import ConstructionProject, WageAccountEntry
from hrss.labor.services.projects import project_for

DETAIL_MONTHS = 6  # the months a project's page checks, ending with the current one


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = month_start(month, -1)
    return months


def flags_of(
    projects: Iterable[ConstructionProject | dict[str, Any]],
    roster: list[tuple[Any, ...]],
    entries: list[tuple[Any, ...]],
    months: list[dt.date],
) -> tuple[list[tuple[Any, Any, dt.date]], list[tuple[Any, dt.date]]]:
    """``rules.project_flags`` over rows: entries as (project, kind, person, period)."""
    wages = {(p, person, period) for p, kind, person, period in entries if kind == WageAccountEntry.Kind.WAGE}
    deposits = {(p, period) for p, kind, _person, period in entries if kind == WageAccountEntry.Kind.DEPOSIT}
    spans = [
        (p.pk, p.started_on, p.ended_on)
        if isinstance(p, ConstructionProject)
        else (p["pk"], p["started_on"], p["ended_on"])
        for p in projects
    ]
    return rules.project_flags(spans, roster, wages, deposits, months=months)


def project_detail(*, scope: Scope, reference: str, on: dt.date | None = None) -> dict[str, Any]:
    """The project, its roster (names), its account's movements and its flags over the last
    ``DETAIL_MONTHS`` months; inspectors and administrators of its district. Audited."""
    project = project_for(scope, reference, write=False)
    last = month_start(on or timezone.localdate())
    months = _months(month_start(last, DETAIL_MONTHS - 1), last)
    workers = list(project.workers.select_related("person").order_by("team", "start_date", "person_id"))  # type: ignore[attr-defined]
    entries = list(project.account_entries.select_related("person").order_by("-period", "-booked_on", "id"))  # type: ignore[attr-defined]
    unpaid, dry = flags_of(
        [project],
        [(project.pk, w.person_id, w.start_date, w.end_date) for w in workers],
        [(project.pk, e.kind, e.person_id, e.period) for e in entries],
        months,
    )
    names = {w.person_id: w.person.name for w in workers}
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="labor.project.read",
        object_type="labor.ConstructionProject",
        object_id=str(project.pk),
        purpose="labour_inspection",
        detail={"reference": project.reference},
    )
    return {
        "project": project,
        "workers": workers,
        "entries": entries,
        "months": months,
        "unpaid": [
            {"person_id": person, "person_name": names.get(person, ""), "month": month} for _p, person, month in unpaid
        ],
        "months_without_deposit": [month for _p, month in dry],
    }


def contractor_flag_counts(*, first: dt.date, last: dt.date, districts: Iterable[str] | None) -> dict[Any, int]:
    """Per general contractor: its projects' flags over ``first`` .. ``last`` (months) — worker-
    months with no wage paid plus months the wage account received nothing. Two queries: the
    projects running in the window with their roster (one join), and the window's movements."""
    _first_day, last_day = rules.month_days(last)
    where = Q(started_on__lte=last_day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    if districts is not None:
        where &= Q(district_id__in=list(districts))
    rows = list(
        ConstructionProject.objects.filter(where).values(
            "pk",
            "contractor_id",
            "started_on",
            "ended_on",
            "workers__person_id",
            "workers__start_date",
            "workers__end_date",
        )
    )
    if not rows:
        return {}
    projects: dict[Any, dict[str, Any]] = {row["pk"]: dict(row) for row in rows}
    roster = [
        (row["pk"], row["workers__person_id"], row["workers__start_date"], row["workers__end_date"])
        for row in rows
        if row["workers__person_id"] is not None
    ]
    entries = list(
        WageAccountEntry.objects.filter(project_id__in=list(projects), period__gte=first, period__lte=last).values_list(
            "project_id", "kind", "person_id", "period"
        )
    )
    unpaid, dry = flags_of(projects.values(), roster, entries, _months(first, last))
    counts: dict[Any, int] = defaultdict(int)
    for flag in [*unpaid, *dry]:
        counts[projects[flag[0]]["contractor_id"]] += 1
    return dict(counts)
