"""What every page's form post shares: run the service, say what happened, go back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user


def page_scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def step(action: Callable[..., Any], done: Any, back: str) -> Callable[..., HttpResponse]:
    """A POST that runs ``action(scope, request, **kwargs)``; refusals of the domain are shown
    on the page it returns to (``back``, a URL name), a refusal of access stays one (403/404)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            action(page_scope(request), request, **kwargs)
        except DomainError as error:
            if error.status in (401, 403, 404):
                raise
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(done))
        return HttpResponseRedirect(reverse(back))

    return view
