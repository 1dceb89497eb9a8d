"""Staff supervision: the cases consistency checks raised, every appraisal session live,
revocation of a certificate, and the subsidy payment run."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.training import selectors, services
from hrss.training.pages.steps import page_scope, step

SHOWN = 100
LIVE_EVERY = 30  # seconds between refreshes of the open cases and sessions (htmx polling)


@login_required
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request)
    context: dict[str, Any] = {
        "cases": selectors.cases(scope=scope, limit=SHOWN),
        "sessions": selectors.sessions_supervised(scope=scope, limit=SHOWN),
        "live_every": LIVE_EVERY,
        "now": timezone.localtime(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        # The refresh: only the live part, every LIVE_EVERY seconds while the page is open.
        return render(request, "training/supervision.html#live", context)
    context["payment_files"] = selectors.payment_files(scope=scope)
    return render(request, "training/supervision.html", context)


def _revoke(scope: Scope, request: HttpRequest) -> Any:
    return services.certificate_revoke(
        scope=scope, number=request.POST.get("number", "")[:40], reason=request.POST.get("reason", "")
    )


revoke = step(_revoke, gettext_lazy("The certificate is revoked."), "training:supervision")


@login_required
@require_POST
def pay(request: HttpRequest) -> HttpResponse:
    try:
        paid = services.subsidy_pay(scope=page_scope(request))
    except DomainError as error:
        if error.status in (401, 403, 404):
            raise
        messages.error(request, str(error.message))
    else:
        if paid is None:
            messages.info(request, _("No approved subsidy is waiting to be paid."))
        else:
            messages.success(
                request,
                _("Payment file %(name)s: %(rows)s payments.") % {"name": paid.filename, "rows": paid.rows},
            )
    return HttpResponseRedirect(reverse("training:supervision"))
