"""The archive pages: my dossier (a citizen's or the employer's), my certificates (issue and
download), the staff dossier look-up, and the public verification of a certificate."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hrss.archive import rules, scans, selectors, services
from hrss.archive.models import DocumentType
from hrss.core.errors import DomainError, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user

# A certificate is a few hundred kilobytes; a file to compare larger than this is not ours.
MAX_COMPARE_BYTES = 5 * 1024 * 1024


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


@login_required
@require_GET
def dossier(request: HttpRequest) -> HttpResponse:
    try:
        view = selectors.dossier_mine(scope=_scope(request))
    except NotFound:
        view = None
    return render(request, "archive/dossier.html", {"view": view})


def _certificates(request: HttpRequest, *, status: int = 200, error: str = "") -> HttpResponse:
    scope = _scope(request)
    context = {
        "bound": scope.person_id is not None and not scope.is_staff,
        "offers": selectors.offers_mine(scope=scope),
        "issued": selectors.issued_mine(scope=scope),
        "error": error,
    }
    return render(request, "archive/certificates.html", context, status=status)


@login_required
@require_GET
def certificates(request: HttpRequest) -> HttpResponse:
    return _certificates(request)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_issue(request: HttpRequest) -> HttpResponse:
    """Issue one certificate from my records, then offer its download."""
    if request.method == "GET":  # e.g. the elderly mode or the language switched after a refused form
        return HttpResponseRedirect(reverse("archive:certificates"))
    try:
        row = services.certificate_issue(
            scope=_scope(request),
            kind=request.POST.get("kind", "")[:40],
            ref=request.POST.get("ref", "")[:64],
            base_url=request.build_absolute_uri("/"),
        )
    except DomainError as error:
        return _certificates(request, status=error.status if error.status != 404 else 422, error=str(error.message))
    messages.success(
        request,
        _("%(title)s %(number)s is issued; download it below, its QR code leads to its verification.")
        % {"title": row.title, "number": row.number},
    )
    return HttpResponseRedirect(reverse("archive:certificates"))


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    row, data = services.certificate_file(scope=_scope(request), code=code)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{row.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """Staff open a person's or an employer's dossier by code; each view is audited with its purpose."""
    scope = _scope(request)
    if not scope.has_role(*selectors.ARCHIVE_STAFF):
        raise PermissionDenied(_("This page is for the bureau's staff."))
    kind = "employer" if request.GET.get("kind") == "employer" else "person"
    code = request.GET.get("code", "").strip()[:18]
    purpose = request.GET.get("purpose", "").strip()[:200]
    view = None
    error = ""
    status = 200
    if code:
        try:
            if kind == "person":
                view = selectors.dossier_person(scope=scope, id_number=code, purpose=purpose)
            else:
                view = selectors.dossier_employer(scope=scope, credit_code=code, purpose=purpose)
        except DomainError as exc:
            error, status = str(exc.message), (404 if isinstance(exc, NotFound) else 422)
    context = {"view": view, "kind": kind, "code": code, "purpose": purpose, "error": error}
    return render(request, "archive/lookup.html", context, status=status)


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type a certificate's code (printed under its QR code) to verify it."""
    code = request.GET.get("code", "")
    if code:
        normal = rules.normalise_code(code) or selectors.code_of_number(code)
        if normal:
            return HttpResponseRedirect(reverse("archive:verify", kwargs={"code": normal}))
        context: dict[str, Any] = {
            "code": code[:40],
            "error": _(
                "Type the 16-character verification code printed beside the QR code (digits 2–9 and letters"
                " without I, L and O), or the certificate's number."
            ),
        }
        return render(request, "archive/verify_form.html", context, status=422)
    return render(request, "archive/verify_form.html", {"code": "", "error": ""})


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public verification page the QR code opens; a file given here is compared with the
    one the bureau issued (by SHA-256), so a verifier learns whether their copy is unaltered."""
    digest = ""
    error = ""
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error, status = _("Choose the PDF file to compare."), 422
        elif upload.size is None or upload.size > MAX_COMPARE_BYTES:
            error, status = _("This file is too large to be one of the bureau's certificates."), 422
        else:
            hasher = hashlib.sha256()
            for chunk in upload.chunks():
                hasher.update(chunk)
            digest = hasher.hexdigest()
    result = selectors.verify(code=code[:64], file_sha256=digest)
    if not result.found:
        status = 404
    return render(request, "archive/verify.html", {"result": result, "error": error}, status=status)


# --- digitised paper records --------------------------------------------------------------------


def _scan_form(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    context = {"types": DocumentType.choices, "errors": errors or {}, "form": request.POST, "added": None}
    return render(request, "archive/scan_add.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def scan_add(request: HttpRequest) -> HttpResponse:
    """The counter digitises a paper record: the person's ID number, what it is, its date, the scan."""
    scope = _scope(request)
    if not scope.has_role(*scans.SCAN_STAFF):
        raise PermissionDenied(_("This page is for the archive's staff."))
    if request.method == "GET":
        return _scan_form(request)
    upload = request.FILES.get("file")
    data = b""
    if upload is not None and (upload.size or 0) <= scans.max_bytes():
        data = upload.read()
    elif upload is not None:
        data = b"\0" * (scans.max_bytes() + 1)  # refused for its size, with the same message as any other
    try:
        doc_date = dt.date.fromisoformat(request.POST.get("doc_date", "").strip())
    except ValueError:
        doc_date = None
    try:
        row, created = scans.scan_add(
            scope=scope,
            id_number=request.POST.get("id_number", "").strip()[:18],
            doc_type=request.POST.get("doc_type", ""),
            title=request.POST.get("title", "")[:200],
            doc_date=doc_date,
            data=data,
            purpose=_("digitising a paper record"),
        )
    except DomainError as error:
        fields = {k: str(v) for k, v in (error.fields or {}).items()}
        return _scan_form(request, errors=fields or {"form": str(error.message)}, status=error.status)
    messages.success(
        request,
        (_("The scan %(title)s is kept (%(pages)s pages).") if created else _("This scan was already kept: %(title)s."))
        % {"title": row.title, "pages": row.pages},
    )
    return HttpResponseRedirect(reverse("archive:scan_add"))


@login_required
@require_GET
def scan(request: HttpRequest, scan_id: uuid.UUID) -> HttpResponse:
    """The scan itself, shown in the browser (PDF or image): its person's, or staff's in scope (audited)."""
    row, data = scans.scan_file(scope=_scope(request), scan_id=scan_id)
    response = HttpResponse(data, content_type=row.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
