"""Reads of random inspection plans for the inspectors (双随机一公开, L3): the plans of their
districts with how far each has gone, and the dispatch board, district by district: open
leads, those with an order past its day, and plan items still to dispatch or to inspect.

Inspectors and administrators only, of their districts (city-wide staff see every district).
Nothing here is personal data: employers, and the staff's own usernames on the plans.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.selectors import districts_current
from hrss.core.errors import PermissionDenied
from hrss.core.scope import Scope
from hrss.labor.models import (
    InspectionLead,
    InspectionPlan,
    InspectionPlanItem,
    LeadStatus,
    OrderStatus,
    PlanItemStatus,
    RectificationOrder,
)
from hrss.labor.services.rectification import is_inspector


def _staff(scope: Scope) -> None:
    if not is_inspector(scope):
        raise PermissionDenied(_("This is work for labour inspectors."))


def districts_of(scope: Scope) -> list[tuple[str, str]]:
    """The city's current districts the caller covers, ``[(code, name), ...]``."""
    return [(code, name) for code, name in districts_current() if scope.covers_district(code)]


def plans_list(*, scope: Scope, district: str = "", limit: int = 50, offset: int = 0) -> list[InspectionPlan]:
    """The plans of the caller's districts (or of one of them), newest first, each with its
    items counted by status (``drawn``, ``dispatched``, ``inspected``, ``violations``). One query."""
    _staff(scope)
    rows: QuerySet[InspectionPlan] = InspectionPlan.objects.select_related("district")
    if not scope.city_wide:
        rows = rows.filter(district_id__in=list(scope.districts or ()))
    if district:
        rows = rows.filter(district_id=district)
    rows = rows.annotate(
        drawn=Count("items", filter=Q(items__status=PlanItemStatus.DRAWN)),
        dispatched=Count("items", filter=Q(items__status=PlanItemStatus.DISPATCHED)),
        inspected=Count("items", filter=Q(items__status=PlanItemStatus.INSPECTED)),
        violations=Count("items", filter=Q(items__violation=True)),
    )
    return list(rows.order_by("-drawn_on", "-created_at", "reference")[offset : offset + limit])


@dataclass(frozen=True)
class DistrictLoad:
    """One district's inspection work on the dispatch board."""

    code: str
    name: str
    open_leads: int
    overdue_leads: int
    to_dispatch: int  # plan items drawn, inspectors not yet sent
    to_inspect: int  # plan items dispatched, no findings yet
    inspected: int

    @property
    def waiting(self) -> int:
        """What still waits for an inspector: open leads and plan items not dispatched."""
        return self.open_leads + self.to_dispatch


def dispatch_board(*, scope: Scope, today: dt.date | None = None) -> list[DistrictLoad]:
    """Every district the caller covers with its counts, in code order (districts with nothing
    to do too, so the board is the whole of the caller's area). Two queries, set-based."""
    _staff(scope)
    today = today or timezone.localdate()
    districts = districts_of(scope)
    codes = [code for code, _name in districts]
    late = RectificationOrder.objects.filter(lead=OuterRef("pk")).filter(
        Q(status=OrderStatus.OVERDUE) | Q(status=OrderStatus.ISSUED, due_on__lt=today)
    )
    leads: dict[str, tuple[int, int]] = {
        row["district_id"]: (row["open_leads"], row["overdue_leads"])
        for row in InspectionLead.objects.filter(status=LeadStatus.OPEN, district_id__in=codes)
        .annotate(late=Exists(late))
        .values("district_id")
        .annotate(open_leads=Count("pk"), overdue_leads=Count("pk", filter=Q(late=True)))
        .order_by()
    }
    items: dict[str, dict[str, int]] = defaultdict(dict)
    for code, status, count in (
        InspectionPlanItem.objects.filter(plan__district_id__in=codes)
        .values_list("plan__district_id", "status")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        items[code][status] = count
    return [
        DistrictLoad(
            code=code,
            name=name,
            open_leads=leads.get(code, (0, 0))[0],
            overdue_leads=leads.get(code, (0, 0))[1],
            to_dispatch=items[code].get(PlanItemStatus.DRAWN, 0),
            to_inspect=items[code].get(PlanItemStatus.DISPATCHED, 0),
            inspected=items[code].get(PlanItemStatus.INSPECTED, 0),
        )
        for code, name in districts
    ]
