"""Public pages: the catalogue (policies, qualifications, shortage list, institutions, open
courses and appraisal sessions), a course, and certificate verification."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hrss.core.scope import CITIZEN
from hrss.training import selectors
from hrss.training.pages.steps import page_scope

SHOWN = 50


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request)
    context = {
        "policies": selectors.policies_in_force(),
        "qualifications": selectors.qualifications(),
        "shortage": selectors.shortage_list(),
        "institutions": selectors.institutions(limit=SHOWN),
        "courses": selectors.courses_open(limit=SHOWN),
        "sessions": selectors.appraisal_sessions_open(limit=SHOWN),
        "citizen": scope.has_role(CITIZEN) and scope.person_id is not None,
    }
    return render(request, "training/catalogue.html", context)


@require_GET
def course(request: HttpRequest, course_id: uuid.UUID) -> HttpResponse:
    scope = page_scope(request)
    found = selectors.course_get(course_id=course_id)
    context = {
        "course": found,
        "sessions": selectors.course_sessions(course=found),
        "citizen": scope.has_role(CITIZEN) and scope.person_id is not None,
    }
    return render(request, "training/course.html", context)


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()[:40]
    result = None
    if number:
        result = selectors.certificate_verify(
            scope=page_scope(request), number=number, consent_code=request.GET.get("consent_code", "")[:20]
        )
    return render(request, "training/verify.html", {"number": number, "result": result})
