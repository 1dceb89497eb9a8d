"""The citizen and employer web hall (网上营业厅), the kiosk, the PWA manifest and service worker.

Elderly mode (长者模式) and kiosk mode (自助一体机) are cookies read by the base template.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.core.errors import DomainError, NotFound
from hrss.core.scope import Scope
from hrss.notify.models import Channel as NotifyChannel
from hrss.servicehall import messagecentre, selectors, services
from hrss.servicehall.models import Channel, Material
from hrss.servicehall.pages.shared import (
    ELDERLY_COOKIE,
    KIOSK_COOKIE,
    application_context,
    current_language,
    request_channel,
    request_scope,
    safe_back,
)

_YEAR = 365 * 24 * 3600


@require_GET
def hall_home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    applicant_type = request.GET.get("applicant_type", "")
    if applicant_type not in ("", "citizen", "employer"):
        applicant_type = ""
    items = selectors.item_list(query=query, applicant_type=applicant_type)
    context: dict[str, Any] = {"items": items, "q": query, "applicant_type": applicant_type}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "servicehall/hall/home.html#item-list", context)
    scope = request_scope(request)
    if scope.person_id or scope.employer_id:
        context["attention"] = selectors.applications_needing_attention(scope=scope)
    return render(request, "servicehall/hall/home.html", context)


@require_GET
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.item_get(code=code)
    return render(
        request,
        "servicehall/hall/item.html",
        {"item": item, "stats": selectors.item_statistics(item=item), "channel_labels": dict(Channel.choices)},
    )


def _applicant(scope: Scope) -> tuple[Any, Any]:
    from hrss.registry.selectors import employer_queryset, person_queryset

    person = person_queryset(scope=scope).filter(pk=scope.person_id).first() if scope.person_id else None
    employer = employer_queryset(scope=scope).filter(pk=scope.employer_id).first() if scope.employer_id else None
    return person, employer


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.item_get(code=code)
    scope = request_scope(request)
    person, employer = _applicant(scope)
    errors: dict[str, str] = {}
    message = ""
    status = 200
    values: dict[str, Any] = selectors.prefill(item=item, person=person, employer=employer)
    # Told before filling in the form: a second open application, the owning app's refusals.
    # A form sent anyway goes to the service, which replays a retried submit first.
    refusal = (
        selectors.submission_refusal(item=item, person=person, employer=employer) if request.method == "GET" else None
    )
    if refusal is not None:
        message = str(refusal.message)
    if request.method == "POST":
        values = {**values, **{f["name"]: request.POST.get(f["name"], "") for f in item.form if not f.get("readonly")}}
        try:
            application, _created = services.application_submit(
                scope=scope,
                user=request.user,  # type: ignore[arg-type]
                item_code=item.code,
                form_data=values,
                idempotency_key=request.POST.get("idempotency_key", ""),
                channel=request_channel(request),
            )
        except DomainError as error:
            errors, message, status = {k: str(v) for k, v in error.fields.items()}, str(error.message), error.status
            refusal = selectors.submission_refusal(
                item=item, person=person, employer=employer
            )  # then the form would not help
        else:
            return redirect("servicehall:application", reference=application.reference)
    eligible = (item.applicant_type == "citizen" and person is not None) or (
        item.applicant_type == "employer" and employer is not None
    )
    return render(
        request,
        "servicehall/hall/apply.html",
        {
            "item": item,
            "fields": selectors.form_fields(item=item, language=current_language(), values=values),
            "errors": errors,
            "message": message,
            "eligible": eligible,
            "refused": refusal is not None,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        },
        status=status,
    )


@login_required
@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    return render(
        request,
        "servicehall/hall/applications.html",
        {"applications": selectors.application_list(scope=scope, limit=100)},
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    scope = request_scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    context = application_context(scope, application, for_applicant=True)
    context["errors"] = request.session.pop("servicehall_errors", None)
    return render(request, "servicehall/hall/application.html", context)


@login_required
@require_POST
def application_upload(request: HttpRequest, reference: str) -> HttpResponse:
    scope = request_scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(_("Choose a file to upload."))
        services.material_upload(scope=scope, application=application, kind=request.POST.get("kind", ""), upload=upload)
    except DomainError as error:
        request.session["servicehall_errors"] = str(error.message)
    return redirect(safe_back(request, reverse("servicehall:application", args=[application.reference])))


@login_required
@require_POST
def application_supplement(request: HttpRequest, reference: str) -> HttpResponse:
    scope = request_scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    try:
        services.supplement_answer(
            scope=scope,
            user=request.user,  # type: ignore[arg-type]
            application=application,
            answer=request.POST.get("answer", ""),
        )
    except DomainError as error:
        request.session["servicehall_errors"] = str(error.message)
    return redirect(safe_back(request, reverse("servicehall:application", args=[application.reference])))


@login_required
@require_POST
def application_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    scope = request_scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    services.application_withdraw(scope=scope, application=application)
    return redirect("servicehall:application", reference=application.reference)


@login_required
@require_GET
def material_download(request: HttpRequest, material_id: uuid.UUID) -> FileResponse:
    scope = request_scope(request)
    material = (
        Material.objects.filter(pk=material_id, application__in=selectors.application_queryset(scope=scope))
        .select_related("application")
        .first()
    )
    if material is None:
        raise NotFound()
    return FileResponse(material.file.open("rb"), content_type=material.content_type, filename=material.filename)


@login_required
@require_GET
def messages(request: HttpRequest) -> HttpResponse:
    """The person's one message centre: every message sent to them on any channel, and the
    channels they receive notices on."""
    user = request.user
    return render(
        request,
        "servicehall/hall/messages.html",
        {
            "entries": messagecentre.messages_for(user=user),  # type: ignore[arg-type]
            "preferences": messagecentre.preferences_for(user=user),  # type: ignore[arg-type]
        },
    )


@login_required
@require_POST
def messages_preference(request: HttpRequest) -> HttpResponse:
    channel = request.POST.get("channel", "")
    if channel not in (NotifyChannel.SMS, NotifyChannel.WECHAT):
        raise NotFound()
    receive = request.POST.get("receive") == "1"
    messagecentre.preference_set(user=request.user, channel=channel, receive=receive)  # type: ignore[arg-type]
    flash.success(request, _("Your choice is saved.") if receive else _("You will get no more notices there."))
    return redirect("servicehall:messages")


@login_required
@require_POST
def messages_read(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    messagecentre.mark_read(user=request.user, message_id=str(message_id))  # type: ignore[arg-type]
    return redirect("servicehall:messages")


@require_GET
def kiosk(request: HttpRequest) -> HttpResponse:
    """Entry page of a self-service kiosk: turns kiosk mode on for this browser."""
    response = render(request, "servicehall/hall/kiosk.html", {"items": selectors.item_list(channel=Channel.KIOSK)})
    response.set_cookie(KIOSK_COOKIE, "1", max_age=_YEAR, samesite="Lax", httponly=True)
    response.set_cookie(ELDERLY_COOKIE, "1", max_age=_YEAR, samesite="Lax", httponly=True)
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    import json

    body = {
        "name": _("HR and Social Security service hall"),
        "short_name": _("HRSS hall"),
        "start_url": reverse("servicehall:home") + "?source=pwa",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4a8b",
        "lang": current_language(),
        "icons": [
            {"src": static("servicehall/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {"src": static("servicehall/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("servicehall/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")


@require_GET
def favicon(request: HttpRequest) -> HttpResponseBase:
    """``/favicon.ico``, which browsers ask for on every site (drawn by ``tools/make_favicon.py``)."""
    from django.contrib.staticfiles import finders

    found = finders.find("hrss/favicon.ico")
    if not found:  # only collected static files are there: send the browser to them
        return redirect(static("hrss/favicon.ico"))
    response = FileResponse(open(found, "rb"), content_type="image/x-icon")  # noqa: SIM115 - FileResponse closes it
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "servicehall/sw.js", content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
