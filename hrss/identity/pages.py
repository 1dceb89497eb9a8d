"""Account pages (A6): sign-up, sign-in (password or phone code), second factor, my account."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrss.core.errors import DomainError
from hrss.identity import kiosk, selectors, services, signin
from hrss.identity.auth import session_verified
from hrss.identity.forms import (
    CodeForm,
    EmployerForm,
    PhoneForm,
    ReauthForm,
    SignInForm,
    SignUpCompleteForm,
    SignUpForm,
    TotpForm,
)
from hrss.identity.models import User

SIGNUP_CHALLENGE = "hrss_signup_challenge"
EMPLOYER_CHALLENGE = "hrss_employer_challenge"
SETUP_DEVICE = "hrss_setup_device"


def _show_error(form: forms.Form, error: DomainError) -> None:
    form.add_error(None, str(error.message))
    for name, message in error.fields.items():
        if name in form.fields and message:
            form.add_error(name, str(message))


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("next", signin.safe_next(request, default=""))
    # "SMS messages are recorded, not sent": true whenever the recording backend is configured
    # (`make run`, which serves with DEBUG off), whatever DEBUG says.
    context.setdefault("development", settings.HRSS_SMS_BACKEND.endswith(".RecordingBackend"))
    return render(request, template, context, status=status)


# ---- sign-in -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.COOKIES.get(kiosk.KIOSK_COOKIE) == "1":
        # A kiosk never asks for a password: its sign-in is card, electronic card code or face.
        target = signin.safe_next(request, default="")
        return HttpResponseRedirect(reverse("identity:kiosk") + (f"?{urlencode({'next': target})}" if target else ""))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is not None:
            return signin.first_factor_passed(request, user, "password")  # type: ignore[arg-type]
        # A locked-out attempt is answered by django-axes' middleware (see locked_out).
        form.add_error(None, _("The user name or password is not correct."))
        return _page(request, "identity/sign_in.html", status=401, form=form)
    return _page(request, "identity/sign_in.html", form=form)


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this once an account has too many failed sign-ins."""
    return render(request, "identity/locked.html", {"development": settings.DEBUG}, status=429)


@require_http_methods(["GET", "POST"])
def sign_in_phone(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.signin_code_start(phone=form.cleaned_data["phone"])
        except DomainError as error:
            _show_error(form, error)
            return _page(request, "identity/sign_in_phone.html", status=error.status, form=form)
        # The same next step whether or not an account has this number.
        request.session[signin.CHALLENGE] = str(challenge.pk) if challenge else "none"
        request.session[signin.NEXT] = signin.safe_next(request)
        return HttpResponseRedirect(reverse("identity:login-code"))
    return _page(request, "identity/sign_in_phone.html", form=form)


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    if not request.session.get(signin.CHALLENGE):
        return HttpResponseRedirect(reverse("identity:login-phone"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.signin_code_verify(
                challenge_id=request.session.get(signin.CHALLENGE), code=form.cleaned_data["code"]
            )
        except DomainError as error:
            _show_error(form, error)
            return _page(request, "identity/code.html", status=error.status, form=form, heading=_("Enter the code"))
        return signin.first_factor_passed(request, user, "phone_code")
    return _page(request, "identity/code.html", form=form, heading=_("Enter the code"))


@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The TOTP step: for a staff account that passed its password (or an unverified session)."""
    user = signin.pending_user(request)
    method = str(request.session.get(signin.PENDING_METHOD) or "password")
    if user is None and request.user.is_authenticated and not session_verified(request):
        user, method = request.user, "session"  # type: ignore[assignment]
    if user is None:
        return HttpResponseRedirect(reverse("identity:login"))
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return HttpResponseRedirect(reverse("identity:otp-setup"))
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip())
        if device is not None:
            return signin.complete(request, user, method, device=device)
        form.add_error("token", _("The authenticator code is not correct."))
        return _page(request, "identity/otp.html", status=401, form=form)
    return _page(request, "identity/otp.html", form=form)


@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: at a staff member's first sign-in, or to replace one (re-authenticated)."""
    if kiosk.is_kiosk_session(request):
        return signin.not_at_kiosk(request)
    user = signin.pending_user(request)
    method = str(request.session.get(signin.PENDING_METHOD) or "password")
    if user is None and request.user.is_authenticated:
        has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
        if has_device and not session_verified(request):
            return HttpResponseRedirect(reverse("identity:otp"))
        if has_device and not _recent(request):
            return HttpResponseRedirect(f"{reverse('identity:reauth')}?next={reverse('identity:otp-setup')}")
        user, method = request.user, "session"  # type: ignore[assignment]
    if user is None:
        return HttpResponseRedirect(reverse("identity:login"))
    if user == signin.pending_user(request) and TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return HttpResponseRedirect(reverse("identity:otp"))  # enrolling again needs the old device first
    device = TOTPDevice.objects.filter(pk=request.session.get(SETUP_DEVICE), user=user, confirmed=False).first()
    if device is None:
        device = services.totp_setup_start(user=user)
        request.session[SETUP_DEVICE] = device.pk
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.totp_setup_confirm(user=user, device_id=device.pk, token=form.cleaned_data["token"])
        except DomainError as error:
            _show_error(form, error)
        else:
            request.session.pop(SETUP_DEVICE, None)
            messages.success(request, _("Your authenticator app is set up."))
            return signin.complete(request, user, method, device=confirmed)
    from base64 import b32encode

    import segno

    # The otpauth:// address as a QR code for the authenticator app's camera (inline SVG,
    # drawn on the server: the key never leaves for a third-party QR service).
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, title=_("Set-up QR code"))
    return _page(
        request,
        "identity/otp_setup.html",
        status=422 if form.errors else 200,
        form=form,
        secret=b32encode(device.bin_key).decode(),
        config_url=device.config_url,
        qr_svg=mark_safe(qr),  # noqa: S308 - SVG drawn by segno from our own URI, no user markup
    )


def _recent(request: HttpRequest) -> bool:
    import time

    from hrss.identity.rules import recently_authenticated

    return recently_authenticated(
        now=time.time(),
        authenticated_at=request.session.get(signin.AUTH_AT),
        window_seconds=int(getattr(settings, "HRSS_REAUTH_SECONDS", 600)),
    )


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and kiosk.is_kiosk_session(request):
        kiosk.session_end(request, reason="user")
        messages.info(request, _("You have signed out. Please take your card."))
        return HttpResponseRedirect(kiosk.start_url())
    if request.method == "POST":
        services.session_closed(session_key=request.session.session_key)
        logout(request)
        messages.info(request, _("You have signed out."))
        return HttpResponseRedirect("/")
    return _page(request, "identity/sign_out.html")


@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    if kiosk.is_kiosk_session(request):
        return signin.not_at_kiosk(request)
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=request.user.get_username(), password=form.cleaned_data["password"])
        if user is not None and user.pk == request.user.pk:
            import time

            request.session[signin.AUTH_AT] = time.time()
            return HttpResponseRedirect(signin.safe_next(request))
        form.add_error("password", _("The password is not correct."))
        return _page(request, "identity/reauth.html", status=401, form=form)
    return _page(request, "identity/reauth.html", form=form)


# ---- sign-up -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.signup_start(**form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
            return _page(request, "identity/sign_up.html", status=error.status, form=form)
        request.session[SIGNUP_CHALLENGE] = str(challenge.pk)
        return HttpResponseRedirect(reverse("identity:signup-verify"))
    return _page(request, "identity/sign_up.html", form=form)


@require_http_methods(["GET", "POST"])
def sign_up_verify(request: HttpRequest) -> HttpResponse:
    if not request.session.get(SIGNUP_CHALLENGE):
        return HttpResponseRedirect(reverse("identity:signup"))
    form = SignUpCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.signup_complete(
                challenge_id=request.session.get(SIGNUP_CHALLENGE),
                code=form.cleaned_data["code"],
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except DomainError as error:
            _show_error(form, error)
            return _page(request, "identity/sign_up_verify.html", status=error.status, form=form)
        request.session.pop(SIGNUP_CHALLENGE, None)
        messages.success(request, _("Your account is bound to your real-name record."))
        return signin.complete(request, user, "sign_up")
    return _page(request, "identity/sign_up_verify.html", form=form)


# ---- my account ----------------------------------------------------------------------


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return _page(
        request,
        "identity/me.html",
        summary=selectors.account_summary(user=user),
        sessions=selectors.sessions_active(user=user),
        current_session=request.session.session_key,
        apps=selectors.authorised_apps(user=user),
    )


@require_POST
@signin.reauth_required
def session_end(request: HttpRequest, session_id: str) -> HttpResponse:
    try:
        services.session_end(user=request.user, session_id=session_id)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("That session has been signed out."))
    return HttpResponseRedirect(reverse("identity:me"))


@require_POST
@signin.reauth_required
def app_revoke(request: HttpRequest, application_id: int) -> HttpResponse:
    services.authorised_app_revoke(user=request.user, application_id=application_id)  # type: ignore[arg-type]
    messages.success(request, _("The application no longer has access to your account."))
    return HttpResponseRedirect(reverse("identity:me"))


@signin.reauth_required
@require_http_methods(["GET", "POST"])
def employer_agent(request: HttpRequest) -> HttpResponse:
    """Act for an employer: its registered contact confirms with a code sent to them."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST" and "code" in request.POST:
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            try:
                services.employer_agent_confirm(
                    user=user,
                    challenge_id=request.session.get(EMPLOYER_CHALLENGE),
                    code=code_form.cleaned_data["code"],
                )
            except DomainError as error:
                _show_error(code_form, error)
                return _page(request, "identity/employer.html", status=error.status, code_form=code_form)
            request.session.pop(EMPLOYER_CHALLENGE, None)
            messages.success(request, _("You now act for this employer."))
            return HttpResponseRedirect(reverse("identity:me"))
        return _page(request, "identity/employer.html", status=422, code_form=code_form)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.employer_agent_start(user=user, credit_code=form.cleaned_data["credit_code"])
        except DomainError as error:
            _show_error(form, error)
            return _page(request, "identity/employer.html", status=error.status, form=form)
        request.session[EMPLOYER_CHALLENGE] = str(challenge.pk)
        return _page(request, "identity/employer.html", code_form=CodeForm())
    return _page(request, "identity/employer.html", form=form)
