"""Display modes every page offers in its header: elderly mode (长者模式: larger type and
targets, high contrast) and leaving kiosk mode. Both are cookies read by ``base.html`` on
the server, so the first paint is already right and no script is needed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hrss.servicehall.pages import ELDERLY_COOKIE, KIOSK_COOKIE

_YEAR = 365 * 24 * 3600


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@require_POST
def mode(request: HttpRequest) -> HttpResponse:
    """Switch elderly mode on (``elderly=1``) or off (``elderly=0``), or leave kiosk mode
    (``kiosk=0``), then go back to the page the person was on. Remembered for a year."""
    response = HttpResponseRedirect(_back(request))
    for name, cookie in (("elderly", ELDERLY_COOKIE), ("kiosk", KIOSK_COOKIE)):
        value = request.POST.get(name)
        if value == "1" and name == "elderly":
            response.set_cookie(cookie, "1", max_age=_YEAR, samesite="Lax", httponly=True)
        elif value == "0":
            response.delete_cookie(cookie, samesite="Lax")
    return response
