"""An institution's and an appraisal body's pages: courses with their trainees, sessions with
sign-in, completion, subsidy claims; appraisal sessions with candidates, results, the second
check and publication."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from hrss.core.errors import InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.training import selectors, services
from hrss.training.models import Institution
from hrss.training.pages.steps import page_scope, step

SHOWN = 50


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request)
    if scope.employer_id is None:
        raise PermissionDenied(_("This page is for training institutions and appraisal bodies."))
    courses = selectors.courses_of_institution(scope=scope, limit=SHOWN)
    sessions = selectors.sessions_of_body(scope=scope, limit=SHOWN)
    context = {
        "institution": selectors.institution_mine(scope=scope, kind=Institution.Kind.TRAINING),
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
        "sessions": [(s, selectors.candidates_of_session(scope=scope, session_id=s.pk)) for s in sessions],
    }
    return render(request, "training/institution.html", context)


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
publish = step(
    lambda s, r, session_id: services.results_publish(scope=s, session_id=session_id),
    gettext_lazy("The results are published and the certificates issued."),
    BACK,
)
