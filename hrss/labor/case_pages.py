"""Pages of a case's evidence files and the applicant's signature, and the case statistics (L1).

Evidence is added from the case's page by the applicant or the commission's staff; a refused
file is said on the page, never a 500. Every staff read of a file is audited by the selector.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hrss.codes.models import District
from hrss.core.errors import DomainError, PermissionDenied
from hrss.identity.auth import scope_for_user
from hrss.labor import selectors
from hrss.labor.case_api import statistics_period
from hrss.labor.services import case_files


def _back(request: HttpRequest, reference: str, action: object, done: str) -> HttpResponse:
    try:
        action()  # type: ignore[operator]
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("labor:case", args=[reference]) + "#evidence-heading")


@login_required
@require_POST
def evidence_add(request: HttpRequest, reference: str) -> HttpResponse:
    scope = scope_for_user(request.user)
    return _back(
        request,
        reference,
        lambda: case_files.evidence_add(
            scope=scope,
            reference=reference,
            files=request.FILES.getlist("files"),
            description=request.POST.get("description", ""),
        ),
        _("The evidence is added to the case."),
    )


@login_required
@require_GET
def evidence_file(request: HttpRequest, reference: str, evidence_id: int) -> FileResponse:
    evidence = selectors.evidence_open(scope=scope_for_user(request.user), reference=reference, evidence_id=evidence_id)
    response = FileResponse(
        evidence.file.open("rb"), content_type=evidence.content_type, filename=evidence.filename, as_attachment=True
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def sign(request: HttpRequest, reference: str) -> HttpResponse:
    scope = scope_for_user(request.user)
    return _back(
        request,
        reference,
        lambda: case_files.application_sign(scope=scope, reference=reference),
        _("You have signed your application."),
    )


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Arbitration cases received in a period, counted by status, outcome, district, the
    employer's industry and claim type, in the caller's districts."""
    scope = scope_for_user(request.user)
    if not selectors.may_see_statistics(scope):
        raise PermissionDenied(_("The case statistics are for the commission's staff and analysts."))
    start, end = request.GET.get("start", ""), request.GET.get("end", "")
    district = request.GET.get("district", "")
    districts = District.objects.filter(level="county", code__startswith=settings.HRSS_CITY_REGION[:2])
    if not scope.city_wide:
        districts = districts.filter(code__in=list(scope.districts or ()))
    context: dict[str, object] = {"start": start, "end": end, "district": district, "districts": districts}
    try:
        first, last = statistics_period(start, end)
        if district and not district.isdigit():
            district = ""
        context["stats"] = selectors.case_statistics(scope=scope, start=first, end=last, district=district)
        context["start"], context["end"] = first.isoformat(), last.isoformat()
    except DomainError as error:
        if error.status == 403:
            raise
        context["error"] = str(error.message)
        return render(request, "labor/statistics.html", context, status=422)
    return render(request, "labor/statistics.html", context)
