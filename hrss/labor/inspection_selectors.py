"""Reads of labour inspection's follow-through (L3): the inspectors' queue of open leads (an
order past its day shows as overdue), one lead with all that was recorded on it, and the
public results of completed random inspection plans (双随机一公开: 公开).

The public results carry only employers (name, credit code), the result and the day: never
the inspectors, the findings' text, or anything about a person.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrss.core.audit import audit_record
from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.labor.models import (
    OPEN_ORDER_STATUSES,
    Finding,
    InspectionLead,
    InspectionPlan,
    InspectionPlanItem,
    LeadStatus,
    OrderStatus,
    PlanItemStatus,
    RectificationOrder,
)
from hrss.labor.services.rectification import is_inspector

# The result of one employer's inspection as published.
NO_PROBLEM = "no_problem"
RECTIFICATION = "rectification"
PENALISED = "penalised"
PUBLIC_RESULTS = {
    NO_PROBLEM: _("No problem found"),
    RECTIFICATION: _("Ordered to rectify"),
    PENALISED: _("Penalised"),
}


def _in_scope(scope: Scope) -> Q:
    return Q() if scope.city_wide else Q(district_id__in=list(scope.districts or ()))


def leads_queue(
    *, scope: Scope, overdue_only: bool = False, limit: int = 50, offset: int = 0, today: dt.date | None = None
) -> list[InspectionLead]:
    """Open leads of the caller's districts: those with an order past its day first (``overdue``),
    then by the nearest order's day (``next_due``), then the newest. One query."""
    if not is_inspector(scope):
        raise PermissionDenied(_("This is work for labour inspectors."))
    today = today or timezone.localdate()
    late = RectificationOrder.objects.filter(lead=OuterRef("pk")).filter(
        Q(status=OrderStatus.OVERDUE) | Q(status=OrderStatus.ISSUED, due_on__lt=today)
    )
    rows = (
        InspectionLead.objects.filter(_in_scope(scope), status=LeadStatus.OPEN)
        .select_related("employer")
        .annotate(
            overdue=Exists(late),
            next_due=Min("orders__due_on", filter=Q(orders__status__in=OPEN_ORDER_STATUSES)),
        )
    )
    if overdue_only:
        rows = rows.filter(overdue=True)
    return list(rows.order_by("-overdue", "next_due", "-opened_on", "pk")[offset : offset + limit])


def orders_list(
    *, scope: Scope, status: str | None = None, limit: int = 50, offset: int = 0, today: dt.date | None = None
) -> list[RectificationOrder]:
    """Rectification orders of the caller's districts (their leads'), those still open and
    past their day first, then by the day due; ``status`` narrows them. One query."""
    if not is_inspector(scope):
        raise PermissionDenied(_("This is work for labour inspectors."))
    if status is not None and status not in OrderStatus.values:
        raise InvalidInput(fields={"status": _("Choose one of the order statuses.")})
    today = today or timezone.localdate()
    rows = RectificationOrder.objects.all()
    if not scope.city_wide:
        rows = rows.filter(lead__district_id__in=list(scope.districts or ()))
    if status is not None:
        rows = rows.filter(status=status)
    late = Q(status=OrderStatus.OVERDUE) | Q(status=OrderStatus.ISSUED, due_on__lt=today)
    rows = rows.select_related("lead__employer").annotate(
        late=Case(When(late, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    return list(rows.order_by("-late", "due_on", "reference")[offset : offset + limit])


@dataclass
class LeadView:
    lead: InspectionLead
    complaints: list[Any]
    plan_items: list[InspectionPlanItem]
    findings: list[Finding]
    orders: list[RectificationOrder]
    events: list[Any]
    overdue: bool


def lead_get(*, scope: Scope, lead_id: Any, today: dt.date | None = None) -> LeadView:
    """One lead of the caller's districts with its complaints, plan items, findings (and
    photos), orders and history; audited (complaints are about people's work)."""
    if not is_inspector(scope):
        raise PermissionDenied(_("This is work for labour inspectors."))
    try:
        key = uuid.UUID(str(lead_id))
    except ValueError:
        raise NotFound(code="labor_lead_not_found") from None
    lead = InspectionLead.objects.select_related("employer", "employer__district").filter(pk=key).first()
    if lead is None or not scope.covers_district(lead.district_id):
        raise NotFound(code="labor_lead_not_found")
    today = today or timezone.localdate()
    orders = list(lead.orders.order_by("issued_on", "reference"))  # type: ignore[attr-defined]
    view = LeadView(
        lead=lead,
        complaints=list(lead.complaints.order_by("-received_on", "reference")[:200]),  # type: ignore[attr-defined]
        plan_items=list(InspectionPlanItem.objects.filter(lead=lead).select_related("plan").order_by("pk")),
        findings=list(lead.findings.prefetch_related("photos").order_by("found_on", "created_at")),  # type: ignore[attr-defined]
        orders=orders,
        events=list(lead.events.order_by("at", "id")),  # type: ignore[attr-defined]
        overdue=any(
            o.status == OrderStatus.OVERDUE or (o.status == OrderStatus.ISSUED and o.due_on < today) for o in orders
        ),
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="labor.inspection.lead_read",
        object_type="labor.InspectionLead",
        object_id=str(lead.pk),
        purpose="labour_inspection",
        detail={"employer": lead.employer.credit_code},
    )
    return view


def _completed_plans(district: str) -> QuerySet[InspectionPlan]:
    return (
        InspectionPlan.objects.filter(district_id=district)
        .annotate(
            items_total=Count("items"),
            items_open=Count("items", filter=~Q(items__status=PlanItemStatus.INSPECTED)),
        )
        .filter(items_total__gt=0, items_open=0)
    )


def published_districts() -> list[tuple[str, str]]:
    """The districts (code, name) with at least one completed plan, for the public page."""
    return sorted(
        set(
            InspectionPlan.objects.exclude(items__status__in=[PlanItemStatus.DRAWN, PlanItemStatus.DISPATCHED])
            .values_list("district_id", "district__name")
            .distinct()
        )
    )


def item_result(item: InspectionPlanItem, penalised_leads: set[Any]) -> str:
    if not item.violation:
        return NO_PROBLEM
    return PENALISED if item.lead_id in penalised_leads else RECTIFICATION


def published_plans(*, district: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Completed random inspection plans of a district, newest first, each item's employer,
    result and day: public, no personal data. Three queries."""
    if not (district.isdigit() and len(district) == 6):
        raise InvalidInput(_("Choose a district by its six-digit code."), fields={"district": district[:20]})
    items = InspectionPlanItem.objects.select_related("employer").order_by("position")
    plans = list(
        _completed_plans(district)
        .prefetch_related(Prefetch("items", queryset=items, to_attr="published_items"))
        .order_by("-drawn_on", "reference")[offset : offset + limit]
    )
    leads = {item.lead_id for plan in plans for item in plan.published_items if item.violation and item.lead_id}  # type: ignore[attr-defined]
    penalised = (
        set(
            RectificationOrder.objects.filter(lead_id__in=leads, status=OrderStatus.PENALISED).values_list(
                "lead_id", flat=True
            )
        )
        if leads
        else set()
    )
    published = []
    for plan in plans:
        rows = [
            {
                "credit_code": item.employer.credit_code,
                "employer_name": item.employer.name,
                "result": item_result(item, penalised),
                "result_label": str(PUBLIC_RESULTS[item_result(item, penalised)]),
                "inspected_on": item.inspected_on,
            }
            for item in plan.published_items  # type: ignore[attr-defined]
        ]
        days = [row["inspected_on"] for row in rows if row["inspected_on"]]
        published.append(
            {
                "reference": plan.reference,
                "district_id": plan.district_id,
                "drawn_on": plan.drawn_on,
                "completed_on": max(days) if days else None,
                "items": rows,
            }
        )
    return published
