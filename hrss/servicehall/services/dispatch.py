"""Who does a work item: dispatch by role, district, skills and load; re-assignment; "take next"."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.models import User
from hrss.servicehall import engine, rules
from hrss.servicehall.models import StaffProfile, WorkItem
from hrss.servicehall.services.history import audit_application


def assign_to(work_item: WorkItem, user: User, *, actor: str) -> None:
    now = timezone.now()
    work_item.assignee = user
    work_item.assigned_at = now
    work_item.save(update_fields=["assignee", "assigned_at", "updated_at"])
    StaffProfile.objects.update_or_create(user=user, defaults={"last_assigned_at": now})


def dispatch_candidates(work_item: WorkItem, *, exclude: set[Any] | None = None) -> list[rules.Candidate]:
    """Staff who may take the item: role, data scope, skills, on duty, not on another review tier
    of the same application (职责分离); with their current load."""
    from hrss.servicehall.selectors import other_tier_staff

    item = work_item.application.item
    exclude = set(exclude or ()) | other_tier_staff(work_item=work_item)
    users = list(
        User.objects.filter(is_active=True, roles__code=work_item.role)
        .filter(Q(city_wide=True) | Q(districts__code=work_item.district_id))
        .exclude(pk__in=exclude)
        .select_related("servicehall_profile")
        .distinct()
    )
    # Counted apart: joined with the district filter, a count would repeat per district row.
    loads = dict(
        WorkItem.objects.filter(state=WorkItem.State.OPEN, assignee__in=[u.pk for u in users])
        .values_list("assignee")
        .annotate(n=Count("id"))
        .values_list("assignee", "n")
    )
    candidates = []
    for user in users:
        profile = getattr(user, "servicehall_profile", None)
        skills = profile.skills if profile else []
        if profile is not None and not profile.on_duty:
            continue
        if not rules.skills_match(skills, item_code=item.code, category=item.category):
            continue
        candidates.append(
            rules.Candidate(
                user_id=user.pk,
                open_items=loads.get(user.pk, 0),
                capacity=profile.capacity if profile else StaffProfile._meta.get_field("capacity").default,  # type: ignore[union-attr]
                last_assigned_at=profile.last_assigned_at if profile else None,
                username=user.username,
            )
        )
    return candidates


def work_item_dispatch(*, work_item: WorkItem, actor: str, exclude: set[Any] | None = None) -> User | None:
    """Assign to the least-loaded eligible staff member (fair among equals); else leave it in the pool."""
    chosen = rules.choose_assignee(dispatch_candidates(work_item, exclude=exclude))
    if chosen is None:
        return None
    user = User.objects.get(pk=chosen.user_id)
    assign_to(work_item, user, actor=actor)
    return user


def staff_is_supervisor(scope: Scope, user: User) -> bool:
    if scope.has_role(roles.ADMINISTRATOR):
        return True
    profile = StaffProfile.objects.filter(user=user).first()
    return bool(profile and profile.supervisor)


def work_item_assign(*, scope: Scope, user: User, work_item: WorkItem, assignee: User) -> WorkItem:
    """A supervisor moves a work item to someone else who may do it."""
    from hrss.servicehall.selectors import separation_of_duties_refusal

    if not staff_is_supervisor(scope, user):
        raise PermissionDenied(_("Only a supervisor may re-assign work."), code="not_supervisor")
    if work_item.state != WorkItem.State.OPEN or work_item.role == engine.APPLICANT_LANE:
        raise Conflict(_("This work item cannot be re-assigned."), code="not_assignable")
    if not scope.covers_district(work_item.district_id):
        raise NotFound()
    eligible = {c.user_id for c in dispatch_candidates(work_item)} | {
        u.pk
        for u in User.objects.filter(pk=assignee.pk, roles__code=work_item.role).filter(
            Q(city_wide=True) | Q(districts__code=work_item.district_id)
        )
    }
    if assignee.pk not in eligible:
        raise InvalidInput(
            _("%(name)s may not do this step (role or district).") % {"name": assignee.username},
            fields={"assignee": pgettext("servicehall", "not eligible")},
        )
    refusal = separation_of_duties_refusal(work_item=work_item, user=assignee)
    if refusal is not None:
        raise PermissionDenied(
            _("%(name)s did another review tier of this application; give this step to someone else.")
            % {"name": assignee.username},
            code=refusal.code,
        )
    with transaction.atomic():
        previous = work_item.assignee.username if work_item.assignee else ""
        assign_to(work_item, assignee, actor=scope.actor)
        audit_application(
            scope,
            "servicehall.work_item.assign",
            work_item.application,
            step=work_item.step,
            frm=previous,
            to=assignee.username,
        )
    return work_item


def work_item_take_next(*, scope: Scope, user: User) -> WorkItem | None:
    """The counter's "take next": the most urgent unassigned item this person may do
    (escalated first, then the fast track for good credit, then by due date)."""
    from hrss.servicehall.selectors import in_queue_order, work_pool

    with transaction.atomic():
        pool = work_pool(scope=scope, user=user).select_for_update(skip_locked=True, of=("self",))
        work_item = in_queue_order(pool).first()
        if work_item is None:
            return None
        assign_to(work_item, user, actor=scope.actor)
    return work_item
