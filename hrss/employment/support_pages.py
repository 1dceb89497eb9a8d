"""Pages of the bureau's support for people (E1, E2). Citizens: my guidance appointment, my
start-up (with my start-up loans and subsidy). Staff: special groups and the follow-ups
due, a member's record, my guidance slots, the start-ups of my districts. Thin views:
scope, a service or selector, a template; bad input is shown again with a 422."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hrss.codes.models import Industry
from hrss.codes.selectors import districts_current
from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment import support, support_rules
from hrss.employment import support_selectors as reads
from hrss.employment.support_models import FollowUp, SpecialGroupMembership, SupportMeasure
from hrss.identity.auth import scope_for_user
from hrss.registry.selectors import person_get_by_id_number

SHOWN = 100


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _date(value: str, field: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as error:
        raise InvalidInput(fields={field: _("Enter a date as YYYY-MM-DD.")}) from error


def _required_date(value: str, field: str) -> dt.date:
    day = _date(value, field)
    if day is None:
        raise InvalidInput(fields={field: _("This field is required.")})
    return day


def _int(value: str, field: str) -> int:
    try:
        return int(value.strip() or "0")
    except ValueError as error:
        raise InvalidInput(fields={field: _("Enter a whole number.")}) from error


def _post(
    request: HttpRequest, action: Callable[[], Any], again: Callable[..., HttpResponse], done: str, success: str
) -> HttpResponse:
    """Run a form's action: bad input shows the page again with the reasons (422), a refused
    one with its message (409); success goes back to ``done``."""
    try:
        action()
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return again(errors={k: str(v) for k, v in error.fields.items()}, status=422)
    except Conflict as error:
        messages.error(request, str(error.message))
        return again(errors={}, status=409)
    messages.success(request, success)
    return HttpResponseRedirect(done)


def _group_names() -> dict[str, str]:
    return {code: group.name for code, group in support_rules.special_groups().items()}


# --- special groups (staff) ----------------------------------------------------------------------


def _groups_page(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    names = _group_names()
    due = reads.members(scope=scope, limit=SHOWN, due=True)
    members = reads.members(scope=scope, limit=SHOWN)
    context = {
        "groups": list(support_rules.special_groups().values()),
        "due": [(m, names.get(m.category, m.category)) for m in due],
        "members": [(m, names.get(m.category, m.category)) for m in members],
        "can_review": scope.has_role(*support.REVIEWERS),
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
    }
    return render(request, "employment/support/groups.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def special_groups(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _groups_page(request)
    scope = _scope(request)
    support.require_staff(scope)

    def identify() -> None:
        person = person_get_by_id_number(scope=scope, id_number=request.POST.get("id_number", ""), purpose="support")
        support.special_group_identify(
            scope=scope,
            person_id=person.pk,
            category=request.POST.get("category", ""),
            evidence=request.POST.get("evidence", "")[:200],
            evidence_date=_date(request.POST.get("evidence_date", ""), "evidence_date"),
        )

    done = reverse("employment:special-groups")
    return _post(
        request, identify, lambda **kw: _groups_page(request, **kw), done, _("The person has been identified.")
    )


@login_required
@require_POST
def special_groups_review(request: HttpRequest) -> HttpResponse:
    counts = support.special_groups_review(scope=_scope(request))
    messages.success(
        request,
        _("Review done: %(employed)d found work, %(expired)d no longer meet the conditions.") % counts,
    )
    return HttpResponseRedirect(reverse("employment:special-groups"))


def _member_page(
    request: HttpRequest, membership_id: uuid.UUID, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    membership = reads.member_get(scope=_scope(request), membership_id=membership_id)
    group = support_rules.special_groups().get(membership.category)
    context = {
        "membership": membership,
        "group": group,
        "measures": list(membership.measures.all()),
        "follow_ups": list(membership.follow_ups.all()),
        "measure_kinds": SupportMeasure.Kind.choices,
        "ways": FollowUp.Way.choices,
        "end_reasons": SpecialGroupMembership.EndReason.choices,
        "errors": errors or {},
    }
    return render(request, "employment/support/member.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def special_group_member(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    return _member_page(request, membership_id)


def _member_action(request: HttpRequest, membership_id: uuid.UUID, action: Callable[[], Any], ok: str) -> HttpResponse:
    done = reverse("employment:special-group-member", args=[membership_id])
    return _post(request, action, lambda **kw: _member_page(request, membership_id, **kw), done, ok)


@login_required
@require_POST
def follow_up_record(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    scope = _scope(request)
    return _member_action(
        request,
        membership_id,
        lambda: support.follow_up_record(
            scope=scope,
            membership_id=membership_id,
            on=_required_date(request.POST.get("on", ""), "on"),
            way=request.POST.get("way", ""),
            notes=request.POST.get("notes", "")[:1000],
            next_due=_date(request.POST.get("next_due", ""), "next_due"),
        ),
        _("The follow-up has been recorded."),
    )


@login_required
@require_POST
def measure_give(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    scope = _scope(request)
    return _member_action(
        request,
        membership_id,
        lambda: support.support_measure_give(
            scope=scope,
            membership_id=membership_id,
            kind=request.POST.get("kind", ""),
            given_on=_required_date(request.POST.get("given_on", ""), "given_on"),
            notes=request.POST.get("notes", "")[:500],
        ),
        _("The support measure has been recorded."),
    )


@login_required
@require_POST
def member_end(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    scope = _scope(request)
    return _member_action(
        request,
        membership_id,
        lambda: support.special_group_end(
            scope=scope, membership_id=membership_id, reason=request.POST.get("reason", "")
        ),
        _("The membership has been ended."),
    )


# --- career guidance -----------------------------------------------------------------------------


def _guidance_page(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    if scope.person_id is None:
        raise PermissionDenied(_("This page is for citizens."))
    bookings = reads.bookings_mine(scope=scope)
    context = {
        "bookings": bookings,
        "active": next((b for b in bookings if b.status == "booked"), None),
        "slots": reads.slots_open(limit=SHOWN),
        "errors": errors or {},
    }
    return render(request, "employment/support/guidance.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def guidance(request: HttpRequest) -> HttpResponse:
    return _guidance_page(request)


@login_required
@require_POST
def guidance_book(request: HttpRequest, slot_id: uuid.UUID) -> HttpResponse:
    scope = _scope(request)
    if scope.person_id is None:
        raise PermissionDenied(_("This page is for citizens."))
    return _post(
        request,
        lambda: support.guidance_book(scope=scope, slot_id=slot_id, topic=request.POST.get("topic", "")[:300]),
        lambda **kw: _guidance_page(request, **kw),
        reverse("employment:guidance"),
        _("Your appointment is booked."),
    )


@login_required
@require_POST
def guidance_cancel(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    support.guidance_cancel(scope=_scope(request), booking_id=booking_id)
    messages.success(request, _("Your appointment is cancelled."))
    return HttpResponseRedirect(reverse("employment:guidance"))


def _slots_page(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    context = {
        "slots": reads.slots_of_counsellor(scope=scope, limit=SHOWN),
        "districts": [d for d in districts_current() if scope.covers_district(d[0])],
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
    }
    return render(request, "employment/support/slots.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def guidance_slots(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _slots_page(request)
    scope = _scope(request)

    def publish() -> None:
        raw = request.POST.get("starts_at", "").strip()
        try:
            starts_at = dt.datetime.fromisoformat(raw)
        except ValueError as error:
            raise InvalidInput(fields={"starts_at": _("Enter a date and time.")}) from error
        support.guidance_slot_publish(
            scope=scope,
            starts_at=starts_at,
            place=request.POST.get("place", "")[:200],
            district=request.POST.get("district", ""),
            online=request.POST.get("online") == "on",
            minutes=_int(request.POST.get("minutes", "45"), "minutes"),
        )

    return _post(
        request,
        publish,
        lambda **kw: _slots_page(request, **kw),
        reverse("employment:guidance-slots"),
        _("The slot has been published."),
    )


@login_required
@require_POST
def guidance_outcome(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    support.guidance_outcome(
        scope=_scope(request),
        booking_id=booking_id,
        attended=request.POST.get("attended") == "yes",
        outcome=request.POST.get("outcome", "")[:1000],
    )
    messages.success(request, _("The outcome has been recorded."))
    return HttpResponseRedirect(reverse("employment:guidance-slots"))


# --- start-ups -----------------------------------------------------------------------------------


def _startup_choices() -> dict[str, Any]:
    return {
        "industries": list(Industry.objects.filter(level="section").order_by("code").values_list("code", "name")),
        "districts": districts_current(),
    }


def _startup_values(request: HttpRequest) -> dict[str, Any]:
    return {
        "business_name": request.POST.get("business_name", "")[:200],
        "credit_code": request.POST.get("credit_code", "")[:18],
        "started_on": _required_date(request.POST.get("started_on", ""), "started_on"),
        "industry": request.POST.get("industry", "")[:4],
        "district": request.POST.get("district", "")[:6],
        "employees": _int(request.POST.get("employees", "0"), "employees"),
    }


def _startups_mine_page(
    request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    scope = _scope(request)
    if scope.person_id is None:
        raise PermissionDenied(_("This page is for citizens."))
    registrations = reads.startups_mine(scope=scope)
    context = {
        "registrations": registrations,
        "support": reads.startup_support([scope.person_id])[scope.person_id],
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
        **_startup_choices(),
    }
    return render(request, "employment/support/startups_mine.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def startups_mine(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _startups_mine_page(request)
    scope = _scope(request)
    if scope.person_id is None:
        raise PermissionDenied(_("This page is for citizens."))
    return _post(
        request,
        lambda: support.startup_register(scope=scope, **_startup_values(request)),
        lambda **kw: _startups_mine_page(request, **kw),
        reverse("employment:startups-mine"),
        _("Your start-up has been registered."),
    )


def _startups_page(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    registrations = reads.startups(scope=scope, limit=SHOWN)
    support_of = reads.startup_support(sorted({r.person_id for r in registrations}))
    context = {
        "rows": [(r, support_of[r.person_id]) for r in registrations],
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
        **_startup_choices(),
    }
    return render(request, "employment/support/startups.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def startups(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _startups_page(request)
    scope = _scope(request)
    support.require_staff(scope)

    def register() -> None:
        person = person_get_by_id_number(
            scope=scope, id_number=request.POST.get("id_number", ""), purpose="start-up support"
        )
        support.startup_register(scope=scope, person_id=person.pk, **_startup_values(request))

    return _post(
        request,
        register,
        lambda **kw: _startups_page(request, **kw),
        reverse("employment:startups"),
        _("The start-up has been registered."),
    )


@login_required
@require_POST
def startup_guidance(request: HttpRequest, registration_id: uuid.UUID) -> HttpResponse:
    scope = _scope(request)
    topics = [t for t in request.POST.get("topics", "").replace("，", ",").replace("、", ",").split(",") if t.strip()]
    return _post(
        request,
        lambda: support.startup_guidance_record(
            scope=scope,
            registration_id=registration_id,
            on=_required_date(request.POST.get("on", ""), "on"),
            adviser=request.POST.get("adviser", "")[:100],
            topics=topics[:10],
            notes=request.POST.get("notes", "")[:1000],
        ),
        lambda **kw: _startups_page(request, **kw),
        reverse("employment:startups"),
        _("The guidance has been recorded."),
    )
