"""An institution's and an appraisal body's pages: courses with their trainees, sessions with
sign-in, completion, subsidy claims; appraisal sessions with candidates, results, the second
check and publication."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.training import selectors, services
from hrss.training.models import Institution
from hrss.training.pages.steps import page_scope, step

SHOWN = 50


def _workbench(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = page_scope(request)
    if scope.employer_id is None:
        raise PermissionDenied(_("This page is for training institutions and appraisal bodies."))
    courses = selectors.courses_of_institution(scope=scope, limit=SHOWN)
    sessions = selectors.sessions_of_body(scope=scope, limit=SHOWN)
    institution = selectors.institution_mine(scope=scope, kind=Institution.Kind.TRAINING)
    records = selectors.proctor_records_of_sessions(scope=scope, session_ids=[s.pk for s in sessions])
    context = {
        "institution": institution,
        "qualifications": list(institution.scope.order_by("code")) if institution else [],
        "sites": list(institution.sites.order_by("name", "room")) if institution else [],
        "levels": range(5, 0, -1),
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
        "body": selectors.institution_mine(scope=scope, kind=Institution.Kind.APPRAISAL),
        "courses": [
            (
                course,
                selectors.course_sessions(course=course),
                selectors.enrolments_of_course(scope=scope, course_id=course.pk),
            )
            for course in courses
        ],
        "claims": selectors.claims_of_institution(scope=scope, limit=SHOWN),
        "sessions": [
            (
                s,
                selectors.candidates_of_session(scope=scope, session_id=s.pk),
                records[s.pk],
            )
            for s in sessions
        ],
    }
    return render(request, "training/institution.html", context, status=status)


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    return _workbench(request)


SESSION_LINE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s+(\d{1,2}:\d{2})\s*[-–~至到]\s*(\d{1,2}:\d{2})$")


def _sessions(text: str) -> list[dict[str, dt.datetime]]:
    """One session a line: a date and its start and end times (``2026-12-10 09:00-12:00``)."""
    found = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        match = SESSION_LINE.match(line)
        try:
            if match is None:
                raise ValueError(line)
            day = dt.date.fromisoformat("-".join(part.zfill(2) for part in match[1].split("-")))
            starts, ends = (dt.time.fromisoformat(t.zfill(5)) for t in (match[2], match[3]))
        except ValueError:
            raise InvalidInput(
                fields={
                    "sessions": _(
                        "Write each session on a line of its own: a date, then the start and end times, such as 2026-12-10 09:00-12:00."
                    )
                }
            ) from None
        found.append(
            {
                "starts_at": timezone.make_aware(dt.datetime.combine(day, starts)),
                "ends_at": timezone.make_aware(dt.datetime.combine(day, ends)),
            }
        )
    return found


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(fields={field: _("Enter a date.")}) from None


def _number(value: str, field: str) -> int:
    if not value.strip().isdigit():
        raise InvalidInput(fields={field: _("Enter a whole number.")})
    return int(value)


@login_required
@require_POST
def course_publish(request: HttpRequest) -> HttpResponse:
    """The institution publishes a course with its sessions (a resent form publishes it once)."""
    post = request.POST
    try:
        values = {
            "title": post.get("title", ""),
            "qualification": post.get("qualification", ""),
            "level": _number(post.get("level", ""), "level"),
            "mode": post.get("mode", ""),
            "site": post.get("site") or None,
            "hours": _number(post.get("hours", ""), "hours"),
            "capacity": _number(post.get("capacity", ""), "capacity"),
            "starts_on": _date(post.get("starts_on", ""), "starts_on"),
            "ends_on": _date(post.get("ends_on", ""), "ends_on"),
            "subsidy_eligible": post.get("subsidy_eligible") == "on",
            "sessions": _sessions(post.get("sessions", "")),
        }
        course = services.course_publish(
            scope=page_scope(request), values=values, idempotency_key=post.get("idempotency_key", "")[:64]
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
        return _workbench(request, errors={k: str(v) for k, v in error.fields.items()}, status=422)
    messages.success(request, _("The course %(title)s is published.") % {"title": course.title})
    return HttpResponseRedirect(reverse("training:institution"))


def _sign_in(scope: Scope, request: HttpRequest, session_id: uuid.UUID) -> Any:
    return services.attendance_sign_in(
        scope=scope,
        session_id=session_id,
        method=request.POST.get("method", ""),
        credential=request.POST.get("credential", ""),
        face_reference=request.POST.get("face_reference", ""),
    )


def _claim(scope: Scope, request: HttpRequest) -> Any:
    try:
        course_id = uuid.UUID(request.POST.get("course", ""))
    except ValueError:
        raise InvalidInput(fields={"course": _("Choose a course.")}) from None
    return services.claim_submit(
        scope=scope, user=request.user, course_id=course_id, idempotency_key=request.POST.get("idempotency_key", "")
    )


def _results(scope: Scope, request: HttpRequest, session_id: uuid.UUID) -> Any:
    scores: dict[str, tuple[str, str]] = {}
    for name in request.POST:
        if name.startswith("theory-"):
            key = name.removeprefix("theory-")
            scores[key] = (request.POST.get(name, ""), request.POST.get(f"practical-{key}", ""))
    try:
        return services.results_enter(scope=scope, session_id=session_id, scores=scores)
    except (ArithmeticError, ValueError):
        raise InvalidInput(fields={"scores": _("Scores are from 0 to 100.")}) from None


def _proctor(scope: Scope, request: HttpRequest, session_id: uuid.UUID) -> Any:
    upload = request.FILES.get("photo")
    return services.proctor_record(
        scope=scope,
        session_id=session_id,
        kind=request.POST.get("kind", ""),
        text=request.POST.get("text", ""),
        photo=upload.read() if upload else None,
    )


BACK = "training:institution"
sign_in = step(_sign_in, gettext_lazy("Signed in."), BACK)
complete = step(
    lambda s, r, enrolment_id: services.enrolment_complete(scope=s, enrolment_id=enrolment_id),
    gettext_lazy("The course is marked completed for this trainee."),
    BACK,
)
claim = step(_claim, gettext_lazy("The subsidy claim is submitted for review."), BACK)
candidate_sign_in = step(
    lambda s, r, session_id, candidate_id: services.candidate_sign_in(
        scope=s, session_id=session_id, candidate_id=candidate_id, face_reference=r.POST.get("face_reference", "")
    ),
    gettext_lazy("The candidate is signed in."),
    BACK,
)
results = step(_results, gettext_lazy("The results are entered; a colleague checks them next."), BACK)
check = step(
    lambda s, r, session_id: services.results_check(scope=s, session_id=session_id),
    gettext_lazy("The results are checked."),
    BACK,
)
proctor = step(_proctor, gettext_lazy("The proctor's record is kept."), BACK)
publish = step(
    lambda s, r, session_id: services.results_publish(scope=s, session_id=session_id),
    gettext_lazy("The results are published and the certificates issued."),
    BACK,
)
