"""A staff member's post change (岗位变动, SH-RS-002) and wage approval (工资审批, SH-RS-003),
both applied for by the institution and decided through the hall (R3). The wage is computed
from the tables in force on its effective date when applied for (the reviewer sees it) and
again when approved, and stored."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.scope import Scope
from hrss.servicehall import services as hall
from hrss.talent import rules
from hrss.talent.models import AllowanceKind, Decision, Post, PostChange, Staff, WageApproval
from hrss.talent.services.access import audit, institution_of
from hrss.talent.services.institutions import post_free_require
from hrss.talent.wages import wage_compute

CHANGE_ITEM = "SH-RS-002"
WAGE_ITEM = "SH-RS-003"
# How far ahead or back an effective date may lie (a year's arrears are approved in practice).
EFFECTIVE_WINDOW = dt.timedelta(days=366)


def _staff_of(scope: Scope, staff_id: uuid.UUID) -> Staff:
    institution = institution_of(scope)
    staff = (
        Staff.objects.select_for_update()
        .filter(pk=staff_id, institution=institution, left_on__isnull=True)
        .select_related("post")
        .first()
    )
    if staff is None:
        raise NotFound()
    return staff


def _effective(on: dt.date) -> dt.date:
    today = timezone.localdate()
    if not today - EFFECTIVE_WINDOW <= on <= today + EFFECTIVE_WINDOW:
        raise InvalidInput(fields={"effective_on": _("The effective date is within a year of today.")})
    return on


def _key(value: str) -> str:
    key = value.strip()[:64]
    if not key:
        raise InvalidInput(fields={"idempotency_key": _("An idempotency key is required.")})
    return key


def post_change_submit(
    *,
    scope: Scope,
    user: Any,
    staff_id: uuid.UUID,
    to_post_id: uuid.UUID,
    effective_on: dt.date,
    reason: str,
    idempotency_key: str,
    channel: str = "web",
) -> PostChange:
    """The institution applies to move a staff member to another of its posts with a free position."""
    with transaction.atomic():
        staff = _staff_of(scope, staff_id)
        key = _key(idempotency_key)
        earlier = PostChange.objects.filter(staff=staff, idempotency_key=key).first()
        if earlier is not None:
            return earlier
        to_post = Post.objects.filter(pk=to_post_id, institution_id=staff.institution_id).first()
        if to_post is None:
            raise InvalidInput(fields={"to_post": _("Choose one of the institution's posts.")})
        if to_post.pk == staff.post_id:
            raise InvalidInput(fields={"to_post": _("The staff member already holds this post.")})
        if not reason.strip():
            raise InvalidInput(fields={"reason": _("Say why the post changes.")})
        if PostChange.objects.filter(staff=staff, status=Decision.SUBMITTED).exists():
            raise Conflict(_("A post change of this staff member is already under review."), code="change_open")
        post_free_require(to_post)
        change = PostChange.objects.create(
            staff=staff,
            from_post=staff.post,
            to_post=to_post,
            effective_on=_effective(effective_on),
            reason=reason.strip()[:500],
            submitted_by=scope.actor,
            idempotency_key=key,
        )
        application, _created = hall.application_submit(
            scope=scope,
            user=user,
            item_code=CHANGE_ITEM,
            form_data={"change": str(change.pk), "reason": change.reason},
            idempotency_key=f"talent-change-{change.pk}",
            channel=channel,
        )
        change.hall_reference = application.reference
        change.save(update_fields=["hall_reference", "updated_at"])
        audit(scope, "talent.post_change_submit", "talent_post_change", change.pk, to_post=str(to_post.pk))
    return change


@transaction.atomic
def post_change_decide(*, scope: Scope, change_id: uuid.UUID, approved: bool, reference: str) -> PostChange:
    """The hall's decision: approved moves the staff member (the new post must still have a
    free position: ``post_full`` otherwise). Idempotent."""
    change = PostChange.objects.select_for_update().filter(pk=change_id, hall_reference=reference).first()
    if change is None:
        raise NotFound(_("The application names no post change of its own."), code="change_not_found")
    if change.status != Decision.SUBMITTED:
        return change
    staff = Staff.objects.select_for_update().get(pk=change.staff_id)
    if approved:
        if staff.left_on is not None:
            raise Conflict(_("The staff member has left the institution."), code="staff_left")
        post_free_require(Post.objects.select_for_update().get(pk=change.to_post_id))
        staff.post_id = change.to_post_id
        staff.save(update_fields=["post", "updated_at"])
    change.status = Decision.APPROVED if approved else Decision.REJECTED
    change.decided_by = scope.actor
    change.save(update_fields=["status", "decided_by", "updated_at"])
    audit(scope, "talent.post_change_decide", "talent_post_change", change.pk, approved=approved, reference=reference)
    return change


def _allowances(codes: list[str]) -> list[str]:
    wanted = sorted({str(code).strip() for code in codes if str(code).strip()})
    known = set(AllowanceKind.objects.filter(code__in=wanted).values_list("code", flat=True))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise InvalidInput(fields={"allowances": _("Unknown allowance: %(codes)s") % {"codes": ", ".join(unknown)}})
    return wanted


def wage_figures_of(wage: WageApproval, staff: Staff) -> rules.WageFigures:
    return wage_compute(
        category=staff.post.category,
        grade=staff.post.grade,
        scale_step=wage.scale_step,
        allowances=list(wage.allowances),
        on=wage.effective_on,
    )


def _store(wage: WageApproval, figures: rules.WageFigures) -> None:
    wage.post_wage_fen = figures.post_wage_fen
    wage.scale_wage_fen = figures.scale_wage_fen
    wage.allowance_fen = figures.allowance_fen
    wage.total_fen = figures.total_fen


def wage_submit(
    *,
    scope: Scope,
    user: Any,
    staff_id: uuid.UUID,
    effective_on: dt.date,
    scale_step: int,
    allowances: list[str],
    idempotency_key: str,
    channel: str = "web",
) -> WageApproval:
    """The institution applies for a staff member's wage from a date: computed now from the
    tables in force on that date (``wage_table_missing`` if a figure is not there)."""
    with transaction.atomic():
        staff = _staff_of(scope, staff_id)
        key = _key(idempotency_key)
        earlier = WageApproval.objects.filter(staff=staff, idempotency_key=key).first()
        if earlier is not None:
            return earlier
        if not rules.scale_step_valid(scale_step):
            raise InvalidInput(fields={"scale_step": _("A salary scale step is from 1 to 65.")})
        if WageApproval.objects.filter(staff=staff, status=Decision.SUBMITTED).exists():
            raise Conflict(_("A wage approval of this staff member is already under review."), code="wage_open")
        wage = WageApproval(
            staff=staff,
            effective_on=_effective(effective_on),
            scale_step=scale_step,
            allowances=_allowances(allowances),
            submitted_by=scope.actor,
            idempotency_key=key,
        )
        _store(wage, wage_figures_of(wage, staff))
        wage.save()
        application, _created = hall.application_submit(
            scope=scope,
            user=user,
            item_code=WAGE_ITEM,
            form_data={"wage": str(wage.pk), "effective_on": wage.effective_on.isoformat()},
            idempotency_key=f"talent-wage-{wage.pk}",
            channel=channel,
        )
        wage.hall_reference = application.reference
        wage.save(update_fields=["hall_reference", "updated_at"])
        audit(scope, "talent.wage_submit", "talent_wage", wage.pk, total_fen=wage.total_fen)
    return wage


@transaction.atomic
def wage_decide(*, scope: Scope, wage_id: uuid.UUID, approved: bool, reference: str) -> WageApproval:
    """The hall's decision: approved computes the wage again on the effective date and stores
    it (on the approval and as the staff member's wage, with the new scale step). Idempotent."""
    wage = WageApproval.objects.select_for_update().filter(pk=wage_id, hall_reference=reference).first()
    if wage is None:
        raise NotFound(_("The application names no wage approval of its own."), code="wage_not_found")
    if wage.status != Decision.SUBMITTED:
        return wage
    staff = Staff.objects.select_for_update().select_related("post").get(pk=wage.staff_id)
    if approved:
        if staff.left_on is not None:
            raise Conflict(_("The staff member has left the institution."), code="staff_left")
        _store(wage, wage_figures_of(wage, staff))
        staff.scale_step = wage.scale_step
        staff.monthly_wage_fen = wage.total_fen
        staff.save(update_fields=["scale_step", "monthly_wage_fen", "updated_at"])
    wage.status = Decision.APPROVED if approved else Decision.REJECTED
    wage.decided_by = scope.actor
    wage.save()
    audit(scope, "talent.wage_decide", "talent_wage", wage.pk, approved=approved, total_fen=wage.total_fen)
    return wage
