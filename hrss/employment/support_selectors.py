"""Reads of the bureau's support for people (E1, E2), each scoped to its caller.

Staff read the people of their districts (residence or household, as the registry scopes
them): special group members, follow-ups due, start-ups, bookings of their own slots — every
such read of personal data is audited. A citizen reads their own booking and start-ups, and
open future slots; the start-up page links the person's start-up loans and subsidy.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from hrss.core.audit import audit_record
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment.models import StartupLoan, StartupSubsidy
from hrss.employment.support import SUPPORT_STAFF
from hrss.employment.support_models import (
    FollowUp,
    GuidanceBooking,
    GuidanceSlot,
    SpecialGroupMembership,
    StartupGuidance,
    StartupRegistration,
    SupportMeasure,
)
from hrss.registry.selectors import person_queryset


def _staff(scope: Scope) -> None:
    if not scope.has_role(*SUPPORT_STAFF):
        raise PermissionDenied()


def _audit(scope: Scope, action: str, object_type: str, ids: list[str], purpose: str) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type=object_type,
        object_id=ids[0] if len(ids) == 1 else "",
        purpose=purpose,
        detail={"ids": ids},
    )


def _visible(scope: Scope) -> Exists:
    return Exists(person_queryset(scope=scope).filter(pk=OuterRef("person_id")))


# --- special groups ------------------------------------------------------------------------------


def members(
    *, scope: Scope, limit: int, offset: int = 0, due: bool = False, status: str = "active", category: str = ""
) -> list[SpecialGroupMembership]:
    """Members of special groups in the caller's districts; ``due``: whose follow-up is due
    today or earlier, most overdue first (an audited read)."""
    _staff(scope)
    rows = SpecialGroupMembership.objects.filter(_visible(scope)).select_related("person")
    if status:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    if due:
        rows = rows.filter(
            status=SpecialGroupMembership.Status.ACTIVE, next_follow_up__lte=timezone.localdate()
        ).order_by("next_follow_up", "id")
    else:
        rows = rows.order_by("-identified_on", "-created_at", "id")
    found = list(rows[offset : offset + limit])
    _audit(scope, "employment.special_groups_read", "special_group", [str(m.pk) for m in found], "support")
    return found


def member_get(*, scope: Scope, membership_id: uuid.UUID) -> SpecialGroupMembership:
    """One member with their measures and follow-ups (an audited read)."""
    _staff(scope)
    membership = (
        SpecialGroupMembership.objects.filter(_visible(scope), pk=membership_id)
        .select_related("person")
        .prefetch_related(
            Prefetch("measures", queryset=SupportMeasure.objects.order_by("-given_on", "-created_at")),
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("-on", "-created_at")),
        )
        .first()
    )
    if membership is None:
        raise NotFound()
    _audit(scope, "employment.special_group_read", "special_group", [str(membership.pk)], "support")
    return membership


# --- career guidance -----------------------------------------------------------------------------


def slots_open(*, limit: int, offset: int = 0, district: str = "") -> list[GuidanceSlot]:
    """Open future slots nobody has booked (anyone signed in may see them)."""
    taken = GuidanceBooking.objects.filter(slot_id=OuterRef("pk")).exclude(status=GuidanceBooking.Status.CANCELLED)
    rows = GuidanceSlot.objects.filter(status=GuidanceSlot.Status.OPEN, starts_at__gt=timezone.now()).exclude(
        Exists(taken)
    )
    if district:
        rows = rows.filter(district_id=district)
    return list(rows.select_related("district").order_by("starts_at", "id")[offset : offset + limit])


def bookings_mine(*, scope: Scope, limit: int = 20) -> list[GuidanceBooking]:
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    return list(
        GuidanceBooking.objects.filter(person_id=scope.person_id)
        .select_related("slot")
        .order_by("-slot__starts_at", "id")[:limit]
    )


def slots_of_counsellor(*, scope: Scope, limit: int, offset: int = 0) -> list[GuidanceSlot]:
    """The caller's own slots, newest first, with their live booking and the person (audited)."""
    _staff(scope)
    live = GuidanceBooking.objects.exclude(status=GuidanceBooking.Status.CANCELLED).select_related("person")
    slots: list[GuidanceSlot] = list(
        GuidanceSlot.objects.filter(counsellor__username=scope.actor)
        .select_related("district")
        .prefetch_related(Prefetch("bookings", queryset=live, to_attr="live_bookings"))
        .order_by("-starts_at", "id")[offset : offset + limit]
    )
    booked = [str(b.pk) for slot in slots for b in slot.live_bookings]  # type: ignore[attr-defined]
    if booked:
        _audit(scope, "employment.guidance_bookings_read", "guidance_booking", booked, "career guidance")
    return slots


# --- start-ups -----------------------------------------------------------------------------------


def _startups() -> QuerySet[StartupRegistration]:
    return StartupRegistration.objects.select_related("person", "industry", "district").prefetch_related(
        Prefetch("guidance", queryset=StartupGuidance.objects.order_by("-on", "-created_at"))
    )


def startups_mine(*, scope: Scope) -> list[StartupRegistration]:
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    return list(_startups().filter(person_id=scope.person_id).order_by("-started_on", "id")[:20])


def startups(*, scope: Scope, limit: int, offset: int = 0) -> list[StartupRegistration]:
    """Start-ups of people in the caller's districts, newest first (an audited read)."""
    _staff(scope)
    found = list(
        _startups().filter(_visible(scope)).order_by("-started_on", "-created_at", "id")[offset : offset + limit]
    )
    _audit(scope, "employment.startups_read", "startup_registration", [str(s.pk) for s in found], "start-up support")
    return found


def startup_support(person_ids: list[Any]) -> dict[Any, dict[str, list[Any]]]:
    """The start-up loans and the one-time subsidy of these persons (two queries), to show
    beside their registrations."""
    support: dict[Any, dict[str, list[Any]]] = {pid: {"loans": [], "subsidies": []} for pid in person_ids}
    for loan in StartupLoan.objects.filter(person_id__in=person_ids).order_by("-decided_on"):
        support[loan.person_id]["loans"].append(loan)
    for subsidy in StartupSubsidy.objects.filter(person_id__in=person_ids):
        support[subsidy.person_id]["subsidies"].append(subsidy)
    return support


def startup_get(*, scope: Scope, registration_id: uuid.UUID) -> StartupRegistration:
    """One start-up: its owner's own, or one of the caller's districts for staff."""
    rows = _startups().filter(pk=registration_id)
    if scope.has_role(*SUPPORT_STAFF):
        rows = rows.filter(_visible(scope))
    elif scope.person_id is not None:
        rows = rows.filter(person_id=scope.person_id)
    else:
        raise PermissionDenied()
    registration = rows.first()
    if registration is None:
        raise NotFound()
    return registration
