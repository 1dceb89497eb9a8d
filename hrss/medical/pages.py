"""The citizen's page: my medical insurance and visits (就医一卡通), with each bill's lines."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hrss.core.errors import PermissionDenied
from hrss.identity.auth import scope_for_user
from hrss.medical import selectors


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    scope = scope_for_user(request.user)
    if scope.person_id is None:
        raise PermissionDenied(_("This page is for citizens."))
    context = {
        "insurance": selectors.insurance_mine(scope=scope),
        "claims": selectors.claims_mine(scope=scope, limit=100),
    }
    return render(request, "medical/mine.html", context)
