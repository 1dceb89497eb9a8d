"""What the talent app does on other apps' events: a hall application of its items that ends
rejected or withdrawn marks its plan, post change or wage approval rejected (a plan's places
on the quota are free again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hrss.core.errors import DomainError
from hrss.core.events import subscribe
from hrss.core.scope import Scope
from hrss.servicehall.events import ApplicationDecided
from hrss.talent import services
from hrss.talent.models import PostChange, RecruitmentPlan, WageApproval
from hrss.talent.services.changes import CHANGE_ITEM, WAGE_ITEM
from hrss.talent.services.plans import PLAN_ITEM

_DECIDERS: dict[str, tuple[Any, Callable[..., Any], str]] = {
    PLAN_ITEM: (RecruitmentPlan, services.plan_decide, "plan_id"),
    CHANGE_ITEM: (PostChange, services.post_change_decide, "change_id"),
    WAGE_ITEM: (WageApproval, services.wage_decide, "wage_id"),
}


@subscribe(ApplicationDecided)
def record_rejected(event: ApplicationDecided) -> None:
    if event.item_code not in _DECIDERS or event.outcome not in ("rejected", "withdrawn"):
        return
    model, decide, argument = _DECIDERS[event.item_code]
    record = model.objects.filter(hall_reference=event.reference).first()
    if record is None:
        return
    try:
        decide(
            scope=Scope.system(f"servicehall:{event.reference}"),
            approved=False,
            reference=event.reference,
            **{argument: record.pk},
        )
    except DomainError:
        return
