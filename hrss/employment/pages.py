"""HTML pages of employment services: the seeker's page (registration, profile, jobs ranked
with their reasons) and an employer's vacancies. Thin views: scope, a service or selector,
a template."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.codes.models import EducationLevel, Occupation
from hrss.codes.selectors import districts_current
from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment import explain, selectors, services
from hrss.identity.auth import scope_for_user

MATCHES_SHOWN = 20


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _choices() -> dict[str, Any]:
    return {
        "occupations": list(Occupation.objects.filter(level="middle").order_by("code").values_list("code", "name")),
        "districts": districts_current(),
        "education_levels": list(EducationLevel.objects.order_by("code").values_list("code", "name")),
    }


def _decimal(value: str, field: str) -> Decimal | None:
    if not value.strip():
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation as error:
        raise InvalidInput(fields={field: _("Enter a number.")}) from error


def _date(value: str, field: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as error:
        raise InvalidInput(fields={field: _("Enter a date as YYYY-MM-DD.")}) from error


def _skills(value: str) -> list[str]:
    return [part for part in value.replace("，", ",").replace("、", ",").split(",") if part.strip()]


def _mine(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    if scope.person_id is None:
        raise PermissionDenied(_("This page is for citizens."))
    ranked = selectors.matches_mine(scope=scope, limit=MATCHES_SHOWN)
    context = {
        "registration": selectors.registration_mine(scope=scope),
        "profile": selectors.profile_mine(scope=scope),
        "matches": [(r.vacancy, r.match.points, explain.reasons_text(r.match)) for r in ranked],
        "errors": errors or {},
        **_choices(),
    }
    return render(request, "employment/mine.html", context, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return _mine(request)


@login_required
@require_POST
def profile_save(request: HttpRequest) -> HttpResponse:
    post = request.POST
    try:
        services.profile_save(
            scope=_scope(request),
            occupations=post.getlist("occupations"),
            districts=post.getlist("districts"),
            wage_min=_decimal(post.get("wage_min", ""), "wage_min"),
            education=post.get("education") or None,
            skills=_skills(post.get("skills", "")),
            available_from=_date(post.get("available_from", ""), "available_from"),
            visible_to_employers=post.get("visible_to_employers") == "on",
        )
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return _mine(request, errors={k: str(v) for k, v in error.fields.items()}, status=422)
    messages.success(request, _("Your job-seeker profile is saved."))
    return HttpResponseRedirect(reverse("employment:mine"))


def _vacancies(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    context = {
        "vacancies": selectors.vacancies_of_employer(scope=scope, limit=100),
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
        **_choices(),
    }
    return render(request, "employment/vacancies.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def vacancies(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _vacancies(request)
    post = request.POST
    try:
        values = {
            "title": post.get("title", ""),
            "description": post.get("description", ""),
            "occupation": post.get("occupation", ""),
            "district": post.get("district", ""),
            "address": post.get("address", ""),
            "wage_min": _decimal(post.get("wage_min", ""), "wage_min"),
            "wage_max": _decimal(post.get("wage_max", ""), "wage_max"),
            "education": post.get("education") or None,
            "skills": _skills(post.get("skills", "")),
            "headcount": post.get("headcount", ""),
            "valid_until": _date(post.get("valid_until", ""), "valid_until"),
        }
        missing = [name for name in ("wage_min", "wage_max", "valid_until") if values[name] is None]
        if missing or not str(values["headcount"]).isdigit():
            fields = {name: _("This field is required.") for name in missing}
            if not str(values["headcount"]).isdigit():
                fields["headcount"] = _("Enter a whole number.")
            raise InvalidInput(fields=fields)
        services.vacancy_post(scope=_scope(request), values=values, idempotency_key=post.get("idempotency_key", ""))
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
        return _vacancies(request, errors={k: str(v) for k, v in error.fields.items()}, status=422)
    messages.success(request, _("The vacancy is posted."))
    return HttpResponseRedirect(reverse("employment:vacancies"))


@login_required
@require_POST
def vacancy_close(request: HttpRequest, vacancy_id: uuid.UUID) -> HttpResponse:
    services.vacancy_close(scope=_scope(request), vacancy_id=vacancy_id)
    messages.success(request, _("The vacancy is closed."))
    return HttpResponseRedirect(reverse("employment:vacancies"))
