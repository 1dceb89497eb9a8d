"""Random inspection plans (双随机一公开, L3): employers and inspectors drawn at random.

A plan draws ``sample_size`` employers of a district, and for each ``inspectors_per_employer``
inspectors covering that district, with ``random.Random(seed)`` over pools in a fixed order
(employers by credit code, inspectors by username). The seed is recorded, and so are the
pools' sizes and a SHA-256 digest of them, so ``plan_replay`` draws again and shows the plan
is the one the seed gives (or says the pool has changed since). Dispatching an item opens or
joins the employer's inspection lead; the inspectors' findings are recorded against it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, INSPECTOR, Scope
from hrss.labor.models import (
    Finding,
    InspectionEvent,
    InspectionPlan,
    InspectionPlanItem,
    LeadStatus,
    PlanItemStatus,
)
from hrss.labor.services.complaints import lead_join
from hrss.registry.models import Employer

MAX_SAMPLE = 500
MAX_SEED = 2**63 - 1


def _staff(scope: Scope) -> None:
    if not scope.has_role(INSPECTOR, ADMINISTRATOR):
        raise PermissionDenied(_("This is work for labour inspectors."))


def _pools(district: str) -> tuple[list[tuple[Any, str]], list[str]]:
    employers = list(
        Employer.objects.filter(district_id=district).order_by("credit_code").values_list("pk", "credit_code")
    )
    inspectors = list(
        get_user_model()
        .objects.filter(roles__code=INSPECTOR, is_active=True)
        .filter(Q(city_wide=True) | Q(districts=district))
        .order_by("username")
        .values_list("username", flat=True)
        .distinct()
    )
    return employers, inspectors


def _digest(employers: list[tuple[Any, str]], inspectors: list[str]) -> str:
    text = "\n".join([c for _pk, c in employers]) + "\n--\n" + "\n".join(inspectors)
    return hashlib.sha256(text.encode()).hexdigest()


def draw(
    seed: int, employers: list[tuple[Any, str]], inspectors: list[str], size: int, per_employer: int
) -> list[tuple[Any, list[str]]]:
    """The draw itself: pure, the same for the same seed and pools."""
    rng = random.Random(seed)
    chosen = rng.sample(employers, min(size, len(employers)))
    return [(pk, sorted(rng.sample(inspectors, per_employer))) for pk, _code in chosen]


@transaction.atomic
def plan_draw(
    *,
    scope: Scope,
    district: str,
    sample_size: int,
    inspectors_per_employer: int = 2,
    seed: int | None = None,
    today: dt.date | None = None,
) -> InspectionPlan:
    _staff(scope)
    if not scope.covers_district(district):
        raise PermissionDenied(_("This district is not yours."))
    if not 1 <= sample_size <= MAX_SAMPLE:
        raise InvalidInput(_("Draw between 1 and 500 employers."), fields={"sample_size": sample_size})
    if not 1 <= inspectors_per_employer <= 5:
        raise InvalidInput(
            _("Send between 1 and 5 inspectors per employer."),
            fields={"inspectors_per_employer": inspectors_per_employer},
        )
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    elif not 0 <= seed <= MAX_SEED:
        raise InvalidInput(_("The seed must be a whole number from 0 to 2^63-1."), fields={"seed": seed})
    employers, inspectors = _pools(district)
    if not employers:
        raise InvalidInput(_("No employers are registered in this district."), fields={"district": district})
    if len(inspectors) < inspectors_per_employer:
        raise Conflict(_("Not enough inspectors cover this district."), code="labor_plan_few_inspectors")
    today = today or timezone.localdate()
    plan = InspectionPlan.objects.create(
        reference=f"SJ{today:%y%m%d}{secrets.randbelow(10**6):06d}",
        district_id=district,
        seed=seed,
        sample_size=sample_size,
        inspectors_per_employer=inspectors_per_employer,
        pool_employers=len(employers),
        pool_inspectors=len(inspectors),
        pool_digest=_digest(employers, inspectors),
        drawn_on=today,
        drawn_by=scope.actor,
    )
    InspectionPlanItem.objects.bulk_create(
        InspectionPlanItem(plan=plan, position=n, employer_id=pk, inspectors=names)
        for n, (pk, names) in enumerate(draw(seed, employers, inspectors, sample_size, inspectors_per_employer), 1)
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="labor.plan.draw",
        object_type="labor.InspectionPlan",
        object_id=str(plan.pk),
        detail={"reference": plan.reference, "seed": seed, "district": district},
    )
    return plan


def plan_get(*, scope: Scope, reference: str) -> tuple[InspectionPlan, list[InspectionPlanItem]]:
    _staff(scope)
    plan = InspectionPlan.objects.filter(reference=reference).first()
    if plan is None or not scope.covers_district(plan.district_id):
        raise NotFound(code="labor_plan_not_found")
    return plan, list(plan.items.select_related("employer").order_by("position"))


def plan_replay(*, scope: Scope, reference: str) -> dict[str, Any]:
    """Draw again from the recorded seed over today's pools: ``same`` is true when the pools
    are unchanged (by digest) and the draw gives the recorded items."""
    plan, items = plan_get(scope=scope, reference=reference)
    employers, inspectors = _pools(plan.district_id)
    pools_unchanged = _digest(employers, inspectors) == plan.pool_digest
    again = draw(plan.seed, employers, inspectors, plan.sample_size, plan.inspectors_per_employer)
    recorded = [(item.employer_id, item.inspectors) for item in items]
    return {"pools_unchanged": pools_unchanged, "same": pools_unchanged and again == recorded}


def _item(scope: Scope, reference: str, position: int) -> InspectionPlanItem:
    _staff(scope)
    item = (
        InspectionPlanItem.objects.select_for_update()
        .select_related("plan", "employer")
        .filter(plan__reference=reference, position=position)
        .first()
    )
    if item is None or not scope.covers_district(item.plan.district_id):
        raise NotFound(code="labor_plan_item_not_found")
    return item


@transaction.atomic
def item_dispatch(*, scope: Scope, reference: str, position: int, today: dt.date | None = None) -> InspectionPlanItem:
    """Send the drawn inspectors: the employer's lead is opened or joined. Idempotent."""
    item = _item(scope, reference, position)
    if item.status != PlanItemStatus.DRAWN:
        return item
    today = today or timezone.localdate()
    item.lead = lead_join(
        item.employer,
        reason={"source": "random_plan", "reference": reference, "on": today.isoformat()},
        on=today,
    )
    item.status = PlanItemStatus.DISPATCHED
    item.save(update_fields=["lead", "status"])
    return item


@transaction.atomic
def item_findings(
    *, scope: Scope, reference: str, position: int, findings: str, violation: bool, today: dt.date | None = None
) -> InspectionPlanItem:
    """The inspectors' findings, recorded on the item and against the employer's lead."""
    item = _item(scope, reference, position)
    if item.status == PlanItemStatus.DRAWN:
        raise Conflict(_("Dispatch the inspection before recording findings."), code="labor_plan_not_dispatched")
    if item.status == PlanItemStatus.INSPECTED:
        return item
    text = (findings or "").strip()
    if not text:
        raise InvalidInput(_("Say what the inspection found."), fields={"findings": ""})
    today = today or timezone.localdate()
    item.findings, item.violation, item.inspected_on = text, violation, today
    item.status = PlanItemStatus.INSPECTED
    item.save(update_fields=["findings", "violation", "inspected_on", "status"])
    if item.lead is not None:
        lead = item.lead
        lead.reasons = [
            *lead.reasons,
            {"source": "findings", "reference": reference, "on": today.isoformat(), "violation": violation},
        ]
        lead.save(update_fields=["reasons", "updated_at"])
        if lead.status == LeadStatus.OPEN:  # the lead's page and its orders start from it (L3)
            Finding.objects.create(lead=lead, found_on=today, text=text, violation=violation, recorded_by=scope.actor)
            InspectionEvent.objects.create(lead=lead, action="finding", actor=scope.actor, note=text[:200])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="labor.plan.findings",
        object_type="labor.InspectionPlanItem",
        object_id=str(item.pk),
        detail={"reference": reference, "position": position, "violation": violation},
    )
    return item
