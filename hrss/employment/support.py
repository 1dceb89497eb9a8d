"""Writes of the bureau's support for people (E1, E2): every one atomic and audited.

- ``special_group_identify``: staff identify a person as one of a special group (就业困难人员):
  a rule-based category is checked against the registry (age, sex) and employment's open
  unemployment registration, a declared one needs its evidence; the basis, who and when are
  recorded. Identifying again answers with the active membership (idempotent).
- ``special_group_end`` and ``special_groups_review`` (set-based: people who found work or
  whose rule-based category no longer holds are ended in a few statements).
- ``support_measure_give``, ``follow_up_record``: what was done for a member and the contacts.
- ``guidance_slot_publish``, ``guidance_book`` (one live booking per slot and per citizen:
  database constraints and a row lock; a retry answers with the same booking),
  ``guidance_cancel``, ``guidance_outcome``; the citizen is told in-app.
- ``startup_register``, ``startup_guidance_record``: 创业登记 and its guidance follow-ups.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.codes import selectors as codes
from hrss.codes.models import Industry
from hrss.codes.selectors import parameter_value
from hrss.core import scope as roles
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment import support_rules as rules
from hrss.employment.models import UnemploymentRegistration
from hrss.employment.notify_templates import GUIDANCE_BOOKED_TEMPLATE
from hrss.employment.support_models import (
    FollowUp,
    GuidanceBooking,
    GuidanceSlot,
    SpecialGroupMembership,
    StartupGuidance,
    StartupRegistration,
    SupportMeasure,
)
from hrss.identity.models import User
from hrss.notify import services as notify
from hrss.notify.links import site_url
from hrss.registry.models import Employment, Person
from hrss.registry.selectors import person_queryset

# Who serves people in difficulty, guides and follows up: the bureau's staff of the district.
SUPPORT_STAFF = frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR})
# Who runs the set-based review of every district's memberships.
REVIEWERS = frozenset({roles.REVIEWER, roles.ADMINISTRATOR})

MESSAGES = {
    "required": gettext_lazy("This field is required."),
    "in_past": gettext_lazy("The date cannot be in the past."),
    "in_future": gettext_lazy("The date cannot be in the future."),
    "too_far": gettext_lazy("Set the slot within the next six months."),
    "minutes_range": gettext_lazy("A slot lasts between 15 and 240 minutes."),
    "invalid_credit_code": gettext_lazy("This is not a valid unified social credit code."),
    "not_positive": gettext_lazy("Enter a number of zero or more."),
    "unknown_district": gettext_lazy("Unknown district."),
    "unknown_industry": gettext_lazy("Unknown industry."),
}


def _invalid(errors: dict[str, str]) -> InvalidInput:
    return InvalidInput(fields={name: str(MESSAGES.get(code, code)) for name, code in errors.items()})


def _audit(scope: Scope, action: str, object_type: str, object_id: Any, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )


def require_staff(scope: Scope) -> None:
    """Refuse anyone but the bureau's support staff (before any look-up of a person)."""
    if not scope.has_role(*SUPPORT_STAFF):
        raise PermissionDenied()


_staff = require_staff


def _person_in_scope(scope: Scope, person_id: uuid.UUID) -> Person:
    person = person_queryset(scope=scope).select_for_update().filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    return person


def _membership(scope: Scope, membership_id: uuid.UUID) -> SpecialGroupMembership:
    _staff(scope)
    visible = person_queryset(scope=scope).filter(pk=OuterRef("person_id"))
    membership = (
        SpecialGroupMembership.objects.select_for_update()
        .filter(Exists(visible), pk=membership_id)
        .select_related("person")
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership


# --- special groups ------------------------------------------------------------------------------


def _open_registration_since(person_id: Any) -> dt.date | None:
    return (
        UnemploymentRegistration.objects.filter(person_id=person_id, status=UnemploymentRegistration.Status.REGISTERED)
        .values_list("unemployed_since", flat=True)
        .first()
    )


def group_verdict(
    *, person: Person, category: str, on: dt.date, evidence: str, evidence_date: dt.date | None
) -> rules.Verdict:
    """Whether ``person`` is of ``category`` on ``on`` (the rule's reasons, or the evidence)."""
    if category == rules.OLDER_UNEMPLOYED:
        return rules.older_unemployed(
            sex=person.sex,
            birth_date=person.birth_date,
            unemployed_since=_open_registration_since(person.pk),
            on=on,
            female_age=int(parameter_value("employment.special_group.older_age.female", on=on)),
            male_age=int(parameter_value("employment.special_group.older_age.male", on=on)),
        )
    if category == rules.LONG_TERM_UNEMPLOYED:
        return rules.long_term_unemployed(
            unemployed_since=_open_registration_since(person.pk),
            on=on,
            months_needed=int(parameter_value("employment.difficulty.long_term_unemployed_months", on=on)),
        )
    if category == rules.UNEMPLOYED_GRADUATE:
        verdict = rules.unemployed_graduate(
            graduated_on=evidence_date,
            on=on,
            months=int(parameter_value("employment.special_group.graduate_months", on=on)),
        )
        return rules.Verdict(verdict.holds, (*verdict.reasons, {"code": "evidence", "evidence": evidence}))
    return rules.Verdict(True, ({"code": "evidence", "evidence": evidence},))


@transaction.atomic
def special_group_identify(
    *,
    scope: Scope,
    person_id: uuid.UUID,
    category: str,
    evidence: str = "",
    evidence_date: dt.date | None = None,
) -> SpecialGroupMembership:
    """Identify a person of the caller's districts as one of a special group."""
    _staff(scope)
    group = rules.special_groups().get(category)
    if group is None:
        raise InvalidInput(fields={"category": _("Unknown special group.")})
    person = _person_in_scope(scope, person_id)
    active = SpecialGroupMembership.objects.filter(
        person=person, category=category, status=SpecialGroupMembership.Status.ACTIVE
    ).first()
    if active is not None:
        return active
    evidence = evidence.strip()[:200]
    if not group.rule_based and not evidence:
        raise InvalidInput(fields={"evidence": _("Name the document that shows this (its type and number).")})
    today = timezone.localdate()
    verdict = group_verdict(person=person, category=category, on=today, evidence=evidence, evidence_date=evidence_date)
    if not verdict.holds:
        raise Conflict(
            _("This person does not meet the conditions of this group."),
            code="group_conditions_not_met",
            fields={"category": "; ".join(reason["code"] for reason in verdict.reasons)},
        )
    membership = SpecialGroupMembership.objects.create(
        person=person,
        category=category,
        basis=[{"basis": group.basis}, *verdict.reasons],
        evidence=evidence,
        evidence_date=evidence_date,
        identified_by=scope.actor,
        identified_on=today,
        next_follow_up=today,
    )
    _audit(scope, "employment.special_group_identify", "special_group", membership.pk, category=category)
    return membership


@transaction.atomic
def special_group_end(*, scope: Scope, membership_id: uuid.UUID, reason: str) -> SpecialGroupMembership:
    membership = _membership(scope, membership_id)
    if reason not in SpecialGroupMembership.EndReason.values:
        raise InvalidInput(fields={"reason": _("Choose a reason.")})
    if membership.status == SpecialGroupMembership.Status.ENDED:
        return membership
    membership.status = SpecialGroupMembership.Status.ENDED
    membership.end_reason = reason
    membership.ended_on = timezone.localdate()
    membership.ended_by = scope.actor
    membership.next_follow_up = None
    membership.save(update_fields=["status", "end_reason", "ended_on", "ended_by", "next_follow_up", "updated_at"])
    _audit(scope, "employment.special_group_end", "special_group", membership.pk, reason=reason)
    return membership


@transaction.atomic
def special_groups_review(*, scope: Scope) -> dict[str, int]:
    """End, set-based, the active memberships that no longer hold: the person has a job begun
    since they were identified (employed); a rule-based category without an open unemployment
    registration, or a graduate past the months allowed (expired)."""
    if not scope.has_role(*REVIEWERS):
        raise PermissionDenied()
    today = timezone.localdate()
    active = SpecialGroupMembership.objects.filter(status=SpecialGroupMembership.Status.ACTIVE)
    ended = {"ended_by": scope.actor, "ended_on": today, "status": SpecialGroupMembership.Status.ENDED}
    new_job = Employment.objects.filter(
        person_id=OuterRef("person_id"), start_date__gte=OuterRef("identified_on"), end_date__isnull=True
    )
    employed = active.filter(Exists(new_job)).update(
        end_reason=SpecialGroupMembership.EndReason.EMPLOYED, next_follow_up=None, **ended
    )
    registered = UnemploymentRegistration.objects.filter(
        person_id=OuterRef("person_id"), status=UnemploymentRegistration.Status.REGISTERED
    )
    graduate_months = int(parameter_value("employment.special_group.graduate_months", on=today))
    index = today.year * 12 + today.month - 1 - graduate_months
    graduated_before = dt.date(index // 12, index % 12 + 1, 1)
    expired = (
        SpecialGroupMembership.objects.filter(status=SpecialGroupMembership.Status.ACTIVE)
        .annotate(registered=Exists(registered))
        .filter(
            Q(category__in=[rules.OLDER_UNEMPLOYED, rules.LONG_TERM_UNEMPLOYED], registered=False)
            | Q(category=rules.UNEMPLOYED_GRADUATE, evidence_date__lt=graduated_before)
        )
    )
    expired_count = SpecialGroupMembership.objects.filter(pk__in=list(expired.values_list("pk", flat=True))).update(
        end_reason=SpecialGroupMembership.EndReason.EXPIRED, next_follow_up=None, **ended
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="employment.special_groups_review",
        object_type="special_group",
        detail={"employed": employed, "expired": expired_count},
    )
    return {"employed": employed, "expired": expired_count}


def special_groups_review_job() -> dict[str, int]:
    """The monthly job ``employment.special_groups_review``."""
    return special_groups_review(scope=Scope.system("employment.special_groups_review"))


@transaction.atomic
def support_measure_give(
    *, scope: Scope, membership_id: uuid.UUID, kind: str, given_on: dt.date, notes: str = ""
) -> SupportMeasure:
    membership = _membership(scope, membership_id)
    if kind not in SupportMeasure.Kind.values:
        raise InvalidInput(fields={"kind": _("Choose a measure.")})
    if given_on > timezone.localdate():
        raise _invalid({"given_on": "in_future"})
    measure = SupportMeasure.objects.create(
        membership=membership, kind=kind, given_on=given_on, notes=notes.strip()[:500], given_by=scope.actor
    )
    _audit(scope, "employment.support_measure_give", "special_group", membership.pk, kind=kind)
    return measure


@transaction.atomic
def follow_up_record(
    *,
    scope: Scope,
    membership_id: uuid.UUID,
    on: dt.date,
    way: str,
    notes: str = "",
    next_due: dt.date | None = None,
) -> FollowUp:
    membership = _membership(scope, membership_id)
    if way not in FollowUp.Way.values:
        raise InvalidInput(fields={"way": _("Choose how the person was contacted.")})
    today = timezone.localdate()
    if on > today:
        raise _invalid({"on": "in_future"})
    if next_due is not None and next_due <= on:
        raise InvalidInput(fields={"next_due": _("The next follow-up comes after this one.")})
    follow_up = FollowUp.objects.create(
        membership=membership, on=on, way=way, notes=notes.strip()[:1000], next_due=next_due, recorded_by=scope.actor
    )
    if membership.status == SpecialGroupMembership.Status.ACTIVE:
        membership.next_follow_up = next_due
        membership.save(update_fields=["next_follow_up", "updated_at"])
    _audit(scope, "employment.follow_up_record", "special_group", membership.pk, way=way)
    return follow_up


# --- career guidance appointments ----------------------------------------------------------------


@transaction.atomic
def guidance_slot_publish(
    *, scope: Scope, starts_at: dt.datetime, place: str, district: str, online: bool = False, minutes: int = 45
) -> GuidanceSlot:
    """A counsellor publishes a slot in one of their districts; publishing the same start
    again answers with the slot already published."""
    _staff(scope)
    current = codes.district_current_code(district) if district else None
    if current is None:
        raise InvalidInput(fields={"district": _("Unknown district.")})
    if not scope.covers_district(current):
        raise PermissionDenied()
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    counsellor = User.objects.filter(username=scope.actor).first()
    if counsellor is None:
        raise PermissionDenied()
    earlier = GuidanceSlot.objects.filter(counsellor=counsellor, starts_at=starts_at).first()
    if earlier is not None:
        return earlier
    place = place.strip()[:200]
    if errors := rules.slot_errors(starts_at=starts_at, now=timezone.now(), minutes=minutes, place=place):
        raise _invalid(errors)
    slot = GuidanceSlot.objects.create(
        counsellor=counsellor,
        counsellor_name=(counsellor.get_full_name() or counsellor.username)[:100],
        starts_at=starts_at,
        minutes=minutes,
        online=online,
        place=place,
        district_id=current,
    )
    _audit(scope, "employment.guidance_slot_publish", "guidance_slot", slot.pk)
    return slot


def guidance_book(*, scope: Scope, slot_id: uuid.UUID, topic: str = "") -> GuidanceBooking:
    """A citizen books an open, future slot. A retry answers with the same booking; a slot
    taken by someone else or a second live booking of the citizen is refused (409)."""
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    try:
        with transaction.atomic():
            return _book(scope, slot_id, topic)
    except IntegrityError as error:  # a concurrent booking won the race between check and insert
        raise Conflict(_("This slot has just been taken."), code="slot_taken") from error


def _book(scope: Scope, slot_id: uuid.UUID, topic: str) -> GuidanceBooking:
    person_id = scope.person_id
    assert person_id is not None  # guidance_book refused an unbound caller
    slot = GuidanceSlot.objects.select_for_update().filter(pk=slot_id, status=GuidanceSlot.Status.OPEN).first()
    if slot is None or slot.starts_at <= timezone.now():
        raise NotFound()
    live = GuidanceBooking.objects.filter(slot=slot).exclude(status=GuidanceBooking.Status.CANCELLED).first()
    if live is not None:
        if live.person_id == person_id:
            return live
        raise Conflict(_("This slot has just been taken."), code="slot_taken")
    if GuidanceBooking.objects.filter(person_id=person_id, status=GuidanceBooking.Status.BOOKED).exists():
        raise Conflict(_("You already have a guidance appointment. Cancel it first."), code="already_booked")
    booking = GuidanceBooking.objects.create(slot=slot, person_id=person_id, topic=topic.strip()[:300])
    _audit(scope, "employment.guidance_book", "guidance_booking", booking.pk, slot=str(slot.pk))
    account = User.objects.filter(person_id=person_id, is_active=True).first()
    if account is not None:
        notify.send_in_app(
            user_id=account.pk,
            template=GUIDANCE_BOOKED_TEMPLATE,
            params={
                "at": timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M"),
                "place": slot.place,
                "counsellor": slot.counsellor_name,
                "url": site_url("employment:guidance"),
            },
        )
    return booking


@transaction.atomic
def guidance_cancel(*, scope: Scope, booking_id: uuid.UUID) -> GuidanceBooking:
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    booking = GuidanceBooking.objects.select_for_update().filter(pk=booking_id, person_id=scope.person_id).first()
    if booking is None:
        raise NotFound()
    if booking.status == GuidanceBooking.Status.CANCELLED:
        return booking
    if booking.status != GuidanceBooking.Status.BOOKED:
        raise Conflict(_("This appointment has already taken place."), code="already_held")
    booking.status = GuidanceBooking.Status.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    _audit(scope, "employment.guidance_cancel", "guidance_booking", booking.pk)
    return booking


@transaction.atomic
def guidance_outcome(*, scope: Scope, booking_id: uuid.UUID, attended: bool, outcome: str = "") -> GuidanceBooking:
    """The counsellor of the slot records how it went."""
    _staff(scope)
    booking = (
        GuidanceBooking.objects.select_for_update()
        .filter(pk=booking_id, slot__counsellor__username=scope.actor)
        .exclude(status=GuidanceBooking.Status.CANCELLED)
        .first()
    )
    if booking is None:
        raise NotFound()
    booking.status = GuidanceBooking.Status.ATTENDED if attended else GuidanceBooking.Status.MISSED
    booking.outcome = outcome.strip()[:1000]
    booking.outcome_by = scope.actor
    booking.save(update_fields=["status", "outcome", "outcome_by", "updated_at"])
    _audit(scope, "employment.guidance_outcome", "guidance_booking", booking.pk, status=booking.status)
    return booking


# --- start-up registration -----------------------------------------------------------------------


@transaction.atomic
def startup_register(
    *,
    scope: Scope,
    business_name: str,
    started_on: dt.date,
    industry: str,
    district: str,
    employees: int = 0,
    credit_code: str = "",
    person_id: uuid.UUID | None = None,
) -> StartupRegistration:
    """A citizen registers their own start-up, or staff register one for a person of their
    districts. The same business and start date again answers with the first registration."""
    if scope.person_id is not None and person_id in (None, scope.person_id):
        owner_id = scope.person_id
    elif scope.has_role(*SUPPORT_STAFF) and person_id is not None:
        owner_id = _person_in_scope(scope, person_id).pk
    else:
        raise PermissionDenied()
    business_name = business_name.strip()[:200]
    credit_code = credit_code.strip().upper()
    current = codes.district_current_code(district) if district else None
    errors = rules.startup_errors(
        business_name=business_name,
        credit_code=credit_code,
        started_on=started_on,
        today=timezone.localdate(),
        employees=employees,
    )
    if current is None:
        errors["district"] = "unknown_district"
    if not Industry.objects.filter(pk=industry).exists():
        errors["industry"] = "unknown_industry"
    if errors or current is None:
        raise _invalid(errors)
    registration, created = StartupRegistration.objects.get_or_create(
        person_id=owner_id,
        business_name=business_name,
        started_on=started_on,
        defaults={
            "credit_code": credit_code,
            "industry_id": industry,
            "district_id": current,
            "employees": employees,
            "registered_by": scope.actor,
        },
    )
    if created:
        _audit(scope, "employment.startup_register", "startup_registration", registration.pk)
    return registration


@transaction.atomic
def startup_guidance_record(
    *, scope: Scope, registration_id: uuid.UUID, on: dt.date, adviser: str, topics: list[str], notes: str = ""
) -> StartupGuidance:
    _staff(scope)
    visible = person_queryset(scope=scope).filter(pk=OuterRef("person_id"))
    registration = StartupRegistration.objects.filter(Exists(visible), pk=registration_id).first()
    if registration is None:
        raise NotFound()
    adviser = adviser.strip()[:100]
    cleaned = sorted({topic.strip()[:40] for topic in topics if topic.strip()})
    errors: dict[str, str] = {}
    if not adviser:
        errors["adviser"] = "required"
    if not cleaned:
        errors["topics"] = "required"
    if on > timezone.localdate():
        errors["on"] = "in_future"
    if errors:
        raise _invalid(errors)
    guidance = StartupGuidance.objects.create(
        registration=registration,
        on=on,
        adviser=adviser,
        topics=cleaned[:10],
        notes=notes.strip()[:1000],
        recorded_by=scope.actor,
    )
    _audit(scope, "employment.startup_guidance_record", "startup_registration", registration.pk)
    return guidance
