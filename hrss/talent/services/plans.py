"""Open recruitment plans (公开招聘计划, R3), filed through the hall (SH-RS-001): the quota
is checked when the institution applies and again when the bureau approves, so a plan that
no longer fits (staff taken on, another plan approved meanwhile) is refused, not recorded."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.errors import InvalidInput, NotFound
from hrss.core.scope import Scope
from hrss.servicehall import services as hall
from hrss.talent.models import Decision, FundingKind, Institution, Post, RecruitmentLine, RecruitmentPlan
from hrss.talent.quota import quota_require
from hrss.talent.services.access import audit, institution_of

PLAN_ITEM = "SH-RS-001"
MAX_NUMBERS = 1000


def _lines(institution: Institution, lines: list[dict[str, Any]]) -> list[tuple[Post, int, str]]:
    if not lines:
        raise InvalidInput(fields={"posts": _("Name at least one post to recruit for.")})
    posts = {post.pk: post for post in Post.objects.filter(institution=institution)}
    found: list[tuple[Post, int, str]] = []
    for index, line in enumerate(lines):
        try:
            post = posts.get(uuid.UUID(str(line.get("post"))))
            numbers = int(line.get("numbers", 0))
        except (TypeError, ValueError):
            post, numbers = None, 0
        if post is None:
            raise InvalidInput(fields={f"posts.{index}.post": _("Choose one of the institution's posts.")})
        if not 1 <= numbers <= MAX_NUMBERS:
            raise InvalidInput(fields={f"posts.{index}.numbers": _("Recruit from 1 to 1000 people a post.")})
        if any(post.pk == other.pk for other, _n, _c in found):
            raise InvalidInput(fields={f"posts.{index}.post": _("Each post appears once in a plan.")})
        found.append((post, numbers, str(line.get("conditions") or "").strip()[:500]))
    return found


def plan_submit(
    *,
    scope: Scope,
    user: Any,
    year: int,
    kind: str,
    lines: list[dict[str, Any]],
    idempotency_key: str,
    conditions: str = "",
    channel: str = "web",
) -> RecruitmentPlan:
    """The institution applies to file an open recruitment plan: posts, numbers, conditions
    under one funding kind; refused with ``quota_exceeded`` when it does not fit the quota.
    A retry with the same key answers with the first plan."""
    with transaction.atomic():
        institution = institution_of(scope)
        key = idempotency_key.strip()[:64]
        if not key:
            raise InvalidInput(fields={"idempotency_key": _("An idempotency key is required.")})
        earlier = RecruitmentPlan.objects.filter(institution=institution, idempotency_key=key).first()
        if earlier is not None:
            return earlier
        if kind not in FundingKind.values:
            raise InvalidInput(fields={"kind": _("Choose a funding kind of the list.")})
        this_year = timezone.localdate().year
        if year not in (this_year, this_year + 1):
            raise InvalidInput(fields={"year": _("A plan is for this year or the next.")})
        found = _lines(institution, lines)
        total = sum(numbers for _post, numbers, _c in found)
        quota_require(institution_id=institution.pk, kind=kind, asked=total)
        plan = RecruitmentPlan.objects.create(
            institution=institution,
            year=year,
            kind=kind,
            conditions=conditions.strip()[:2000],
            submitted_by=scope.actor,
            idempotency_key=key,
        )
        RecruitmentLine.objects.bulk_create(
            [RecruitmentLine(plan=plan, post=post, numbers=numbers, conditions=text) for post, numbers, text in found]
        )
        application, _created = hall.application_submit(
            scope=scope,
            user=user,
            item_code=PLAN_ITEM,
            form_data={"plan": str(plan.pk), "year": year, "numbers": total},
            idempotency_key=f"talent-plan-{plan.pk}",
            channel=channel,
        )
        plan.hall_reference = application.reference
        plan.save(update_fields=["hall_reference", "updated_at"])
        audit(scope, "talent.plan_submit", "talent_plan", plan.pk, kind=kind, numbers=total, year=year)
    return plan


@transaction.atomic
def plan_decide(*, scope: Scope, plan_id: uuid.UUID, approved: bool, reference: str) -> RecruitmentPlan:
    """The hall's decision: approved (the quota checked again first; ``quota_exceeded`` when
    it no longer fits) or rejected (its places are free again). Idempotent."""
    plan = RecruitmentPlan.objects.filter(pk=plan_id, hall_reference=reference).first()
    if plan is None:
        raise NotFound(_("The application names no recruitment plan of its own."), code="plan_not_found")
    # One decision at a time per institution, so two plans approved together cannot both take the last places.
    Institution.objects.select_for_update().filter(pk=plan.institution_id).first()
    plan = RecruitmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Decision.SUBMITTED:
        return plan
    if approved:
        quota_require(institution_id=plan.institution_id, kind=plan.kind, asked=plan.numbers, exclude_plan=plan.pk)
    plan.status = Decision.APPROVED if approved else Decision.REJECTED
    plan.decided_by = scope.actor
    plan.save(update_fields=["status", "decided_by", "updated_at"])
    audit(scope, "talent.plan_decide", "talent_plan", plan.pk, approved=approved, reference=reference)
    return plan
