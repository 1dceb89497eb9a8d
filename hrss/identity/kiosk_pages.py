"""The self-service kiosk's sign-in pages under /accounts/kiosk/ (mechanics in ``kiosk``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hrss.core.errors import DomainError
from hrss.identity import biometrics, cardreader, kiosk, signin
from hrss.identity.forms import KioskCardForm, KioskCodeForm, KioskFaceForm, KioskInsertForm
from hrss.identity.models import User

_YEAR = 365 * 24 * 3600
TEMPLATES = {
    kiosk.CARD: "identity/kiosk/card.html",
    kiosk.ECARD: "identity/kiosk/code.html",
    kiosk.FACE: "identity/kiosk/face.html",
}


def _development() -> bool:
    """The recording devices are configured (never in production, whose settings refuse them)."""
    return not getattr(settings, "HRSS_PRODUCTION", False)


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    # Only a ``next`` the request carries (safe_next's own default is the account page, and a
    # kiosk goes back to its start after sign-in).
    target = signin.safe_next(request, default=kiosk.start_url())
    context.setdefault("next", "" if target == kiosk.start_url() else target)
    context.setdefault("start_url", kiosk.start_url())
    response = render(request, template, context, status=status)
    response.set_cookie(kiosk.KIOSK_COOKIE, "1", max_age=_YEAR, samesite="Lax", httponly=True)
    return response


def _show_error(form: forms.Form, error: DomainError) -> None:
    """The sentence next to the field it concerns, else above the form (never a code)."""
    placed = set()
    for name, message in error.fields.items():
        if name in form.fields and message:
            form.add_error(name, str(message))
            placed.add(str(message))
    if str(error.message) not in placed:
        form.add_error(None, str(error.message))


def _signed_in(request: HttpRequest, user: User, method: str) -> HttpResponse:
    kiosk.session_start(request, user, method=method)
    messages.success(request, _("You are signed in. Press “Sign out” when you are done."))
    return HttpResponseRedirect(signin.safe_next(request, default=kiosk.start_url()))


@require_http_methods(["GET"])
def start(request: HttpRequest) -> HttpResponse:
    """Choose how to sign in. ``?terminal=K-001`` (the kiosk's start address) names its reader."""
    response = _page(request, "identity/kiosk/start.html", idle_seconds=kiosk.idle_seconds())
    terminal = request.GET.get("terminal", "")
    if cardreader.TERMINAL_PATTERN.match(terminal):
        response.set_cookie(kiosk.TERMINAL_COOKIE, terminal, max_age=_YEAR, samesite="Lax", httponly=True)
    return response


def _way(
    request: HttpRequest,
    method: str,
    form_class: type[forms.Form],
    attempt: Callable[[dict[str, Any]], User],
    **extra: Any,
) -> HttpResponse:
    form = form_class(request.POST or None)
    template = TEMPLATES[method]
    if request.method == "POST":
        if not form.is_valid():
            return _page(request, template, status=422, form=form, **extra)
        try:
            user = attempt(form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
            return _page(request, template, status=error.status, form=form, **extra)
        return _signed_in(request, user, method)
    return _page(request, template, form=form, **extra)


@require_http_methods(["GET", "POST"])
def card(request: HttpRequest) -> HttpResponse:
    """Insert the card, enter its PIN."""
    development = _development() and cardreader.reader_is_recording()
    return _way(
        request,
        kiosk.CARD,
        KioskCardForm,
        lambda data: kiosk.signin_by_card(request, pin=data["pin"]),
        insert_form=KioskInsertForm() if development else None,
    )


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """Hold the electronic card's QR code under the scanner (it types the code into the field)."""
    return _way(
        request, kiosk.ECARD, KioskCodeForm, lambda data: kiosk.signin_by_ecard_code(request, code=data["code"])
    )


@require_http_methods(["GET", "POST"])
def face(request: HttpRequest) -> HttpResponse:
    """Type the ID number, look into the camera."""
    development = _development() and biometrics.provider().name == "recording"
    return _way(
        request,
        kiosk.FACE,
        KioskFaceForm,
        lambda data: kiosk.signin_by_face(
            request, id_number=data["id_number"], face_reference=data.get("face_reference") or ""
        ),
        development=development,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """End the kiosk session (``reason=idle`` when the page's timer sends it) and go back to the start."""
    idle = request.POST.get("reason") == "idle"
    if request.user.is_authenticated:
        kiosk.session_end(request, reason="idle" if idle else "user")
        if idle:
            kiosk.idle_message(request)
        else:
            messages.info(request, _("You have signed out. Please take your card."))
    return HttpResponseRedirect(kiosk.start_url())


@require_POST
def card_insert(request: HttpRequest) -> HttpResponse:
    """Development only: "insert" a card into this terminal's recording reader (the demo's reader)."""
    if not (_development() and cardreader.reader_is_recording()):
        raise Http404
    form = KioskInsertForm(request.POST)
    if form.is_valid():
        cardreader.card_insert(
            terminal=kiosk.terminal_of(request),
            card=cardreader.CardRead(
                card_number=form.cleaned_data["card_number"].strip().upper(),
                chip_serial=form.cleaned_data["chip_serial"].strip(),
            ),
        )
        messages.info(request, _("A card was put into the simulated reader."))
    return HttpResponseRedirect(reverse("identity:kiosk-card"))
