"""The bureau's pages: the public institutions of the staff member's districts, one
institution's quota, posts, staff (an audited read) and applications with the computed
wages; approvers register institutions and record their quota and post settings."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from hrss.core.scope import Scope
from hrss.talent import selectors, services
from hrss.talent.models import FundingKind, PostCategory
from hrss.talent.pages.steps import int_field, page_scope, step, typed
from hrss.talent.services.access import REGISTRARS

SHOWN = 100


@login_required
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request)
    context = {
        "institutions": selectors.institutions(scope=scope, limit=SHOWN),
        "plans": selectors.plans(scope=scope, limit=SHOWN),
        "registrar": scope.has_role(*REGISTRARS),
        "typed": typed(request),
    }
    return render(request, "talent/supervision.html", context)


@login_required
@require_GET
def institution(request: HttpRequest, institution_id: uuid.UUID) -> HttpResponse:
    scope = page_scope(request)
    found = selectors.institution_get(scope=scope, institution_id=institution_id)
    context: dict[str, Any] = {
        "institution": found,
        "quotas": selectors.quota_rows(institution=found),
        "posts": selectors.posts(institution=found),
        "staff": selectors.with_standard_wages(
            selectors.staff_of(scope=scope, institution_id=found.pk, limit=SHOWN * 2), on=timezone.localdate()
        ),
        "plans": selectors.plans(scope=scope, limit=SHOWN, institution_id=found.pk),
        "changes": selectors.post_changes(scope=scope, limit=SHOWN, institution_id=found.pk),
        "wages": selectors.wage_approvals(scope=scope, limit=SHOWN, institution_id=found.pk),
        "registrar": scope.has_role(*REGISTRARS),
        "kinds": FundingKind.choices,
        "categories": PostCategory.choices,
        "typed": typed(request),
    }
    return render(request, "talent/institution_detail.html", context)


def _register(scope: Scope, request: HttpRequest) -> Any:
    return services.institution_register(
        scope=scope,
        credit_code=request.POST.get("credit_code", "")[:20],
        supervisor=request.POST.get("supervisor", ""),
    )


def _quota(scope: Scope, request: HttpRequest, institution_id: uuid.UUID) -> Any:
    return services.quota_set(
        scope=scope,
        institution_id=institution_id,
        kind=request.POST.get("kind", ""),
        count=int_field(request, "count"),
        document=request.POST.get("document", ""),
    )


def _post(scope: Scope, request: HttpRequest, institution_id: uuid.UUID) -> Any:
    return services.post_set(
        scope=scope,
        institution_id=institution_id,
        category=request.POST.get("category", ""),
        grade=int_field(request, "grade"),
        count=int_field(request, "count"),
    )


register = step(_register, gettext_lazy("The public institution is registered."), "talent:supervision", form="register")
quota = step(_quota, gettext_lazy("The staffing quota is recorded."), "talent:institution-detail", form="quota")
post = step(_post, gettext_lazy("The post setting is recorded."), "talent:institution-detail", form="post")
