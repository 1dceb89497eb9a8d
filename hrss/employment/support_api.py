"""The bureau's support for people (E1, E2) at ``/api/v1/employment`` (mounted by
``hrss.employment.api``).

Staff of a district (counter clerks, reviewers, approvers, administrators): special group
members of their districts, their measures and follow-ups, the follow-ups due; the review
(reviewers, administrators); their own guidance slots and the outcome of a booking;
start-ups and their guidance. A citizen: open guidance slots, booking and cancelling, their
start-ups. Anyone signed in: the special groups with their legal basis.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.employment import support, support_rules
from hrss.employment import support_selectors as reads
from hrss.employment.schemas import ErrorOut
from hrss.employment.support_schemas import (
    SupportBookingIn,
    SupportBookingOut,
    SupportCounsellorSlotOut,
    SupportEndIn,
    SupportFollowUpIn,
    SupportFollowUpOut,
    SupportGroupOut,
    SupportGuidanceIn,
    SupportGuidanceOut,
    SupportIdentifyIn,
    SupportMeasureIn,
    SupportMeasureOut,
    SupportMemberDetailOut,
    SupportMemberOut,
    SupportOutcomeIn,
    SupportReviewOut,
    SupportSlotIn,
    SupportSlotOut,
    SupportStaffStartupOut,
    SupportStartupIn,
    SupportStartupOut,
)
from hrss.identity.auth import API_AUTH, request_scope
from hrss.registry.selectors import person_get_by_id_number

router = Router(tags=["employment support"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- special groups ------------------------------------------------------------------------------


@router.get("/special-groups", response={200: list[SupportGroupOut], **_ERRORS}, summary="The special groups")
def special_groups(request: HttpRequest) -> Any:
    return list(support_rules.special_groups().values())


@router.get(
    "/special-group-members",
    response={200: list[SupportMemberOut], **_ERRORS},
    summary="Special group members of my districts (due: whose follow-up is due)",
)
def members(
    request: HttpRequest,
    due: bool = Query(False),
    status: str = Query("active", pattern="^(active|ended|)$"),
    category: str = Query("", max_length=40),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return reads.members(
        scope=request_scope(request), limit=limit, offset=offset, due=due, status=status, category=category
    )


@router.post(
    "/special-group-members", response={201: SupportMemberOut, **_ERRORS}, summary="Identify a person of a group"
)
def member_identify(request: HttpRequest, payload: SupportIdentifyIn) -> Status:
    scope = request_scope(request)
    support.require_staff(scope)
    person = person_get_by_id_number(scope=scope, id_number=payload.id_number, purpose="support")
    membership = support.special_group_identify(
        scope=scope,
        person_id=person.pk,
        category=payload.category,
        evidence=payload.evidence,
        evidence_date=payload.evidence_date,
    )
    return Status(201, membership)


@router.get(
    "/special-group-members/{membership_id}",
    response={200: SupportMemberDetailOut, **_ERRORS},
    summary="A member with their measures and follow-ups",
)
def member_get(request: HttpRequest, membership_id: uuid.UUID) -> Any:
    return reads.member_get(scope=request_scope(request), membership_id=membership_id)


@router.post(
    "/special-group-members/{membership_id}/end", response={200: SupportMemberOut, **_ERRORS}, summary="End it"
)
def member_end(request: HttpRequest, membership_id: uuid.UUID, payload: SupportEndIn) -> Any:
    return support.special_group_end(scope=request_scope(request), membership_id=membership_id, reason=payload.reason)


@router.post(
    "/special-group-members/{membership_id}/measures",
    response={201: SupportMeasureOut, **_ERRORS},
    summary="Record a support measure given",
)
def measure_give(request: HttpRequest, membership_id: uuid.UUID, payload: SupportMeasureIn) -> Status:
    return Status(
        201, support.support_measure_give(scope=request_scope(request), membership_id=membership_id, **payload.dict())
    )


@router.post(
    "/special-group-members/{membership_id}/follow-ups",
    response={201: SupportFollowUpOut, **_ERRORS},
    summary="Record a follow-up contact",
)
def follow_up_record(request: HttpRequest, membership_id: uuid.UUID, payload: SupportFollowUpIn) -> Status:
    return Status(
        201, support.follow_up_record(scope=request_scope(request), membership_id=membership_id, **payload.dict())
    )


@router.post(
    "/special-group-review",
    response={200: SupportReviewOut, **_ERRORS},
    summary="End the memberships that no longer hold (set-based)",
)
def special_groups_review(request: HttpRequest) -> Any:
    return support.special_groups_review(scope=request_scope(request))


# --- career guidance appointments ----------------------------------------------------------------


@router.get("/guidance/slots", response={200: list[SupportSlotOut], **_ERRORS}, summary="Open guidance slots")
def slots_open(
    request: HttpRequest,
    district: str = Query("", max_length=6),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    request_scope(request)
    return reads.slots_open(limit=limit, offset=offset, district=district)


@router.post("/guidance/slots", response={201: SupportSlotOut, **_ERRORS}, summary="Publish a guidance slot")
def slot_publish(request: HttpRequest, payload: SupportSlotIn) -> Status:
    return Status(201, support.guidance_slot_publish(scope=request_scope(request), **payload.dict()))


@router.get(
    "/guidance/slots/mine",
    response={200: list[SupportCounsellorSlotOut], **_ERRORS},
    summary="My slots as a counsellor, with their bookings",
)
def slots_mine(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return reads.slots_of_counsellor(scope=request_scope(request), limit=limit, offset=offset)


@router.post("/guidance/slots/{slot_id}/booking", response={201: SupportBookingOut, **_ERRORS}, summary="Book a slot")
def slot_book(request: HttpRequest, slot_id: uuid.UUID, payload: SupportBookingIn) -> Status:
    return Status(201, support.guidance_book(scope=request_scope(request), slot_id=slot_id, topic=payload.topic))


@router.get("/me/guidance-bookings", response={200: list[SupportBookingOut], **_ERRORS}, summary="My guidance bookings")
def bookings_mine(request: HttpRequest) -> Any:
    return reads.bookings_mine(scope=request_scope(request))


@router.post(
    "/guidance/bookings/{booking_id}/cancel", response={200: SupportBookingOut, **_ERRORS}, summary="Cancel it"
)
def booking_cancel(request: HttpRequest, booking_id: uuid.UUID) -> Any:
    return support.guidance_cancel(scope=request_scope(request), booking_id=booking_id)


@router.post(
    "/guidance/bookings/{booking_id}/outcome",
    response={200: SupportBookingOut, **_ERRORS},
    summary="Record how a guidance appointment went (its counsellor)",
)
def booking_outcome(request: HttpRequest, booking_id: uuid.UUID, payload: SupportOutcomeIn) -> Any:
    return support.guidance_outcome(scope=request_scope(request), booking_id=booking_id, **payload.dict())


# --- start-ups -----------------------------------------------------------------------------------


@router.get("/me/startups", response={200: list[SupportStartupOut], **_ERRORS}, summary="My start-ups")
def startups_mine(request: HttpRequest) -> Any:
    return reads.startups_mine(scope=request_scope(request))


@router.post("/startups", response={201: SupportStartupOut, **_ERRORS}, summary="Register a start-up")
def startup_register(request: HttpRequest, payload: SupportStartupIn) -> Status:
    scope = request_scope(request)
    values = payload.dict()
    id_number = values.pop("id_number", None)
    person_id = None
    if id_number:
        support.require_staff(scope)
        person_id = person_get_by_id_number(scope=scope, id_number=id_number, purpose="start-up support").pk
    registration = support.startup_register(scope=scope, person_id=person_id, **values)
    return Status(201, reads.startup_get(scope=scope, registration_id=registration.pk))


@router.get("/startups", response={200: list[SupportStaffStartupOut], **_ERRORS}, summary="Start-ups of my districts")
def startups(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return reads.startups(scope=request_scope(request), limit=limit, offset=offset)


@router.post(
    "/startups/{registration_id}/guidance",
    response={201: SupportGuidanceOut, **_ERRORS},
    summary="Record a guidance follow-up of a start-up",
)
def startup_guidance(request: HttpRequest, registration_id: uuid.UUID, payload: SupportGuidanceIn) -> Status:
    return Status(
        201,
        support.startup_guidance_record(
            scope=request_scope(request), registration_id=registration_id, **payload.dict()
        ),
    )
