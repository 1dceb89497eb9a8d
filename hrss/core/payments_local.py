"""The recording gateway's confirmation page (development only): where the payer of a charge
that ``RecordingGateway`` was asked for sees the order and confirms or cancels it, as they
would on a provider's page.

The page answers only while the gateway named in its link is configured with the recording
backend (what ``make run`` uses); under any other backend, and so always in production (whose
settings refuse the recording backend), it is a 404. Its link carries the charge signed with
the site's key, so nobody can alter the amount or the callback in it.

Confirming does what a provider's callback does: the app's callback service
(``Charge.notify``, the same function its ``/payments/.../notify`` endpoint calls) is given
the notification body the provider would send, which the gateway reads and the app applies
once (a repeated confirmation changes nothing; a wrong amount is refused by the app).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hrss.core.errors import DomainError, NotFound
from hrss.core.payments import Charge, RecordingGateway, gateway_get

SALT = "hrss.core.payments_local"
MAX_AGE_SECONDS = 7 * 24 * 3600
# Only a service of hrss is called from a link, even a signed one.
NOTIFY_PREFIX = "hrss."


@dataclass(frozen=True)
class LocalCharge:
    gateway: str
    reference: str
    amount: Decimal
    description: str
    notify: str
    return_url: str
    gateway_reference: str


def confirmation_url(gateway: RecordingGateway, charge: Charge, gateway_reference: str) -> str:
    """The page's link for a charge (relative to the site: the payer is already on it)."""
    token = signing.dumps(
        {
            "g": gateway.name,
            "r": charge.reference,
            "a": str(charge.amount),
            "d": charge.description,
            "n": charge.notify,
            "u": charge.return_url,
            "x": gateway_reference,
        },
        salt=SALT,
        compress=True,
    )
    return reverse("payments_local:confirm", kwargs={"token": token})


def charge_read(token: str) -> LocalCharge:
    """The charge of a link, or a 404: a forged or stale link, a callback outside hrss, or a
    gateway that is not (or no longer) the recording one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
        charge = LocalCharge(
            gateway=str(data["g"]),
            reference=str(data["r"]),
            amount=Decimal(str(data["a"])),
            description=str(data["d"]),
            notify=str(data["n"]),
            return_url=str(data.get("u", "")),
            gateway_reference=str(data.get("x", "")),
        )
    except (signing.BadSignature, KeyError, TypeError, InvalidOperation) as error:
        raise Http404 from error
    if not charge.notify.startswith(NOTIFY_PREFIX):
        raise Http404
    try:
        gateway = gateway_get(charge.gateway)
    except NotFound as error:
        raise Http404 from error
    if not isinstance(gateway, RecordingGateway):
        raise Http404
    return charge


def _page(request: HttpRequest, charge: LocalCharge, *, error: str = "", status: int = 200) -> HttpResponse:
    return render(request, "core/payment_local.html", {"charge": charge, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    charge = charge_read(token[:4000])
    if request.method == "GET":
        return _page(request, charge)
    decision = request.POST.get("decision", "")
    if decision not in ("paid", "failed"):
        return _page(request, charge, error=_("Confirm or cancel the payment."), status=422)
    body = json.dumps(
        {
            "reference": charge.reference,
            "status": decision,
            "amount": str(charge.amount),
            "gateway_reference": charge.gateway_reference,
        }
    ).encode()
    try:
        callback = import_string(charge.notify)
    except ImportError as error:
        raise Http404 from error
    try:
        order = callback(gateway_name=charge.gateway, body=body, headers={})
    except DomainError as error:
        return _page(request, charge, error=str(error.message), status=error.status)
    final = str(getattr(order, "status", decision))
    if final == "paid":
        messages.success(request, _("Payment %(reference)s is confirmed.") % {"reference": charge.reference})
    elif final == "failed":
        messages.info(request, _("Payment %(reference)s is cancelled.") % {"reference": charge.reference})
    else:
        messages.info(request, _("Payment %(reference)s is being processed.") % {"reference": charge.reference})
    back = charge.return_url
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(back)
    return _page(request, charge)


app_name = "payments_local"
urlpatterns = [path("<str:token>/", confirm, name="confirm")]
