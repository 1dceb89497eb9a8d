"""The employment filing's page (用工备案, L3): an employer's hires and leavers (its 增员/减员),
labour contracts and the people employed without one (未签劳动合同), for labour inspectors of
its district; a construction project's roster, wage account and flags. Thin views over
``filing_selectors`` and ``project_selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hrss.core.errors import DomainError
from hrss.identity.auth import scope_for_user
from hrss.labor import filing_selectors, project_selectors
from hrss.labor.services import warning


@login_required
@require_GET
def employer_filing(request: HttpRequest, credit_code: str) -> HttpResponse:
    scope = scope_for_user(request.user)
    raw = request.GET.get("since", "")
    try:
        since = warning.parse_period(raw) if raw else None
    except DomainError as failure:
        return render(request, "labor/filing.html", {"error": str(failure.message), "since_text": raw}, status=422)
    filing = filing_selectors.employer_filing(scope=scope, credit_code=credit_code, since=since)
    return render(request, "labor/filing.html", {"filing": filing, "since_text": f"{filing.since:%Y-%m}"})


@login_required
@require_GET
def project(request: HttpRequest, reference: str) -> HttpResponse:
    """A construction project for inspectors of its district: roster, wage account, flags."""
    detail = project_selectors.project_detail(scope=scope_for_user(request.user), reference=reference)
    return render(request, "labor/project.html", detail)
