"""The citizen's pages: my training (enrolments, progress, survey), appraisal registrations,
certificates with consent codes, and courses recommended for me."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hrss.core.errors import DomainError, PermissionDenied
from hrss.core.scope import Scope
from hrss.training import selectors, services
from hrss.training.pages.steps import page_scope, step


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request)
    if scope.person_id is None:
        raise PermissionDenied(_("This page is for citizens."))
    context = {
        "enrolments": selectors.enrolments_mine(scope=scope),
        "candidacies": selectors.candidacies_mine(scope=scope),
        "certificates": selectors.certificates_mine(scope=scope),
        "recommended": selectors.recommended_courses(scope=scope),
    }
    return render(request, "training/mine.html", context)


def _int(value: str) -> int:
    return int(value) if value.strip().isdigit() else -1


enrol = step(
    lambda s, r, course_id: services.enrol(scope=s, course_id=course_id),
    gettext_lazy("You are enrolled. Sign in at each session with your card, electronic card or a face check."),
    "training:mine",
)
register = step(
    lambda s, r, session_id: services.candidate_register(scope=s, session_id=session_id),
    gettext_lazy("You are registered for the appraisal."),
    "training:mine",
)
survey = step(
    lambda s, r, enrolment_id: services.survey_answer(
        scope=s, enrolment_id=enrolment_id, score=_int(r.POST.get("score", "")), comment=r.POST.get("comment", "")
    ),
    gettext_lazy("Thank you for your evaluation."),
    "training:mine",
)
progress = step(
    lambda s, r, enrolment_id: services.progress_record(
        scope=s, enrolment_id=enrolment_id, percent=_int(r.POST.get("percent", ""))
    ),
    gettext_lazy("Your progress is recorded."),
    "training:mine",
)


@login_required
@require_POST
def consent(request: HttpRequest, certificate_id: uuid.UUID) -> HttpResponse:
    scope: Scope = page_scope(request)
    try:
        code, expires = services.consent_code_create(scope=scope, certificate_id=certificate_id)
    except DomainError as error:
        if error.status in (401, 403, 404):
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Consent code %(code)s: whoever verifies your certificate with it sees your name until %(until)s.")
            % {"code": code, "until": expires.date().isoformat()},
        )
    return HttpResponseRedirect(reverse("training:mine"))
