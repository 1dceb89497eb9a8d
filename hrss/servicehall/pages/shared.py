"""What the hall's and the workbench's pages share: the caller's scope and channel, the staff guard, safe redirects."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from hrss.core.errors import PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.identity.kiosk import KIOSK_COOKIE  # the kiosk channel's cookie (identity signs kiosks in)
from hrss.servicehall import selectors
from hrss.servicehall.models import Application, Channel, WorkItem

ELDERLY_COOKIE = "hrss_elderly"


def request_scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def request_channel(request: HttpRequest) -> str:
    if request.COOKIES.get(KIOSK_COOKIE) == "1":
        return Channel.KIOSK
    if request.GET.get("source") == "pwa" or request.POST.get("source") == "pwa":
        return Channel.APP
    return Channel.WEB


def current_language() -> str:
    return (translation.get_language() or "zh-hans").lower()


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request_scope(request).is_staff:
            raise PermissionDenied(_("The workbench is for bureau staff."))
        return view(request, *args, **kwargs)

    return wrapped


def safe_back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def application_context(scope: Scope, application: Application, *, for_applicant: bool) -> dict[str, Any]:
    open_request = application.supplements.filter(answered_at__isnull=True).first()
    material_names = {m["code"]: m["name"] for m in application.item.materials} | {"other": _("Other document")}
    materials = list(application.materials.all())
    for material in materials:  # what people call the kind, never its code
        material.kind_name = material_names.get(material.kind, _("Other document"))  # type: ignore[attr-defined]
    return {
        "for_applicant": for_applicant,
        "application": application,
        "item": application.item,
        "timeline": selectors.application_timeline(application=application, for_applicant=for_applicant),
        "open_request": open_request,
        "missing": [
            (kind, material_names.get(kind, kind)) for kind in (open_request.missing_materials if open_request else [])
        ],
        "materials": materials,
        "material_kinds": [*application.item.materials, {"code": "other", "name": _("Other document")}],
        "current": list(application.work_items.filter(state=WorkItem.State.OPEN)),
        "form_fields": selectors.form_fields(
            item=application.item,
            language=current_language(),
            values=selectors.application_form(scope=scope, application=application),
        ),
    }
