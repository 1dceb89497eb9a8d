"""Web sign-in mechanics shared by the pages: the pending second factor, the session
record, re-authentication for sensitive actions."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrss.identity import kiosk, services
from hrss.identity.middleware import SEEN_KEY
from hrss.identity.models import User
from hrss.identity.rules import recently_authenticated

PENDING_USER = "hrss_pending_user"
PENDING_METHOD = "hrss_pending_method"
PENDING_AT = "hrss_pending_at"
AUTH_AT = "hrss_auth_at"
CHALLENGE = "hrss_challenge"
NEXT = "hrss_next"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PENDING_SECONDS = 300


def safe_next(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or request.session.get(NEXT) or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return str(target)
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def first_factor_passed(request: HttpRequest, user: User, method: str) -> HttpResponse:
    """Password or phone code accepted: sign in, or ask for the second factor first (staff)."""
    request.session[NEXT] = safe_next(request)
    if user.requires_second_factor:
        request.session[PENDING_USER] = str(user.pk)
        request.session[PENDING_METHOD] = method
        request.session[PENDING_AT] = time.time()
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        return HttpResponseRedirect(reverse("identity:otp" if has_device else "identity:otp-setup"))
    return complete(request, user, method)


def pending_user(request: HttpRequest) -> User | None:
    """The account that passed its first factor in this browser and still owes the second."""
    user_id = request.session.get(PENDING_USER)
    started = float(request.session.get(PENDING_AT) or 0)
    if not user_id or time.time() - started > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def complete(request: HttpRequest, user: User, method: str, device: Any = None) -> HttpResponse:
    target = safe_next(request)
    for key in (PENDING_USER, PENDING_METHOD, PENDING_AT, CHALLENGE, NEXT):
        request.session.pop(key, None)
    if not request.user.is_authenticated or request.user.pk != user.pk:
        login(request, user, backend=MODEL_BACKEND)
    if device is not None:
        otp_login(request, device)
    now = time.time()
    request.session[AUTH_AT] = now
    request.session[SEEN_KEY] = now
    request.session.save()
    services.session_record(
        user=user,
        session_key=request.session.session_key or "",
        method=method + ("+totp" if device is not None else ""),
        user_agent=request.headers.get("User-Agent", ""),
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return HttpResponseRedirect(target)


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sensitive actions need a password entered within ``HRSS_REAUTH_SECONDS``; a kiosk
    session (signed in by card, code or face on a shared machine) never reaches them."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('identity:login')}?{urlencode({'next': request.get_full_path()})}")
        if kiosk.is_kiosk_session(request):
            return not_at_kiosk(request)
        window = int(getattr(settings, "HRSS_REAUTH_SECONDS", 600))
        if not recently_authenticated(
            now=time.time(), authenticated_at=request.session.get(AUTH_AT), window_seconds=window
        ):
            back = request.get_full_path() if request.method == "GET" else reverse("identity:me")
            return HttpResponseRedirect(f"{reverse('identity:reauth')}?{urlencode({'next': back})}")
        return view(request, *args, **kwargs)

    return wrapped


def not_at_kiosk(request: HttpRequest) -> HttpResponse:
    """What a kiosk session gets instead of a page that asks for the password again."""
    return render(request, "identity/kiosk/not_here.html", {"start_url": kiosk.start_url()}, status=403)
