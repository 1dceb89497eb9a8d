"""The public institution's own page (an agent of its employer): its quota in use, posts and
staff, and the applications it makes through the hall — recruitment plans, post changes,
wage approvals — with where each stands."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from hrss.core.errors import InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.talent import selectors, services
from hrss.talent.models import FundingKind
from hrss.talent.pages.steps import date_field, int_field, page_scope, step, typed

SHOWN = 50


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request)
    if scope.employer_id is None:
        raise PermissionDenied(_("This page is for agents of public institutions."))
    institution = selectors.institution_mine(scope=scope)
    kept = typed(request)
    context: dict[str, Any] = {"institution": institution, "typed": kept}
    if institution is not None:
        posts = selectors.posts(institution=institution)
        plan = kept.get("plan", {})
        context.update(
            {
                "quotas": selectors.quota_rows(institution=institution),
                "posts": posts,
                # Each post's line of the plan form, as typed when the plan was refused.
                "plan_posts": [
                    (post, plan.get(f"numbers_{post.pk}", "0"), plan.get(f"conditions_{post.pk}", "")) for post in posts
                ],
                "staff": selectors.with_standard_wages(
                    selectors.staff_of(scope=scope, institution_id=institution.pk, limit=SHOWN * 4),
                    on=timezone.localdate(),
                ),
                "plans": selectors.plans(scope=scope, limit=SHOWN),
                "changes": selectors.post_changes(scope=scope, limit=SHOWN),
                "wages": selectors.wage_approvals(scope=scope, limit=SHOWN),
                "allowances": selectors.allowances(),
                "kinds": FundingKind.choices,
                "year": timezone.localdate().year,
                "today": timezone.localdate(),
            }
        )
    return render(request, "talent/institution.html", context)


def _uuid(request: HttpRequest, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get(name, "").strip())
    except ValueError as error:
        raise InvalidInput(_("Choose one of the list."), fields={name: _("Choose one of the list.")}) from error


def _own(scope: Scope) -> uuid.UUID:
    institution = selectors.institution_mine(scope=scope)
    if institution is None:
        raise PermissionDenied(_("Your employer is not a registered public institution."), code="not_institution")
    return uuid.UUID(str(institution.pk))


def _staff_add(scope: Scope, request: HttpRequest) -> Any:
    return services.staff_add(
        scope=scope,
        institution_id=_own(scope),
        id_number=request.POST.get("id_number", "")[:20],
        name=request.POST.get("name", "")[:50],
        post_id=_uuid(request, "post"),
        kind=request.POST.get("kind", ""),
        scale_step=int_field(request, "scale_step"),
        entered_on=date_field(request, "entered_on"),
    )


def _plan_submit(scope: Scope, request: HttpRequest) -> Any:
    lines = []
    for post in selectors.posts(institution=selectors.institution_get(scope=scope, institution_id=_own(scope))):
        numbers = int_field(request, f"numbers_{post.pk}", default=0)
        if numbers:
            lines.append(
                {"post": str(post.pk), "numbers": numbers, "conditions": request.POST.get(f"conditions_{post.pk}", "")}
            )
    return services.plan_submit(
        scope=scope,
        user=request.user,
        year=int_field(request, "year"),
        kind=request.POST.get("kind", ""),
        lines=lines,
        conditions=request.POST.get("conditions", ""),
        idempotency_key=request.POST.get("idempotency_key", ""),
    )


def _post_change_submit(scope: Scope, request: HttpRequest) -> Any:
    return services.post_change_submit(
        scope=scope,
        user=request.user,
        staff_id=_uuid(request, "staff"),
        to_post_id=_uuid(request, "to_post"),
        effective_on=date_field(request, "effective_on"),
        reason=request.POST.get("reason", ""),
        idempotency_key=request.POST.get("idempotency_key", ""),
    )


def _wage_submit(scope: Scope, request: HttpRequest) -> Any:
    return services.wage_submit(
        scope=scope,
        user=request.user,
        staff_id=_uuid(request, "staff"),
        effective_on=date_field(request, "effective_on"),
        scale_step=int_field(request, "scale_step"),
        allowances=request.POST.getlist("allowances"),
        idempotency_key=request.POST.get("idempotency_key", ""),
    )


staff_add = step(_staff_add, gettext_lazy("The staff member is on the books."), "talent:institution", form="staff")
plan_submit = step(
    _plan_submit,
    gettext_lazy("The recruitment plan has been submitted for review."),
    "talent:institution",
    form="plan",
)
post_change_submit = step(
    _post_change_submit,
    gettext_lazy("The post change has been submitted for review."),
    "talent:institution",
    form="change",
)
wage_submit = step(
    _wage_submit,
    gettext_lazy("The wage approval has been submitted for review."),
    "talent:institution",
    form="wage",
)
