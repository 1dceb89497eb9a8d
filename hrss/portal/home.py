"""The signed-in home (``/my/``): one page whose panels depend on the person's roles.

The panels come from the apps (``home_panels`` on their AppConfigs, hrss.core.nav): a
citizen sees their applications, insurance, card and messages; an employer agent their
employer's insurance and applications; a clerk their queue, overdue work and the walk-in
search; an analyst the statistics pages. What needs doing, gathered from every panel's
``todo``, comes first.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from hrss.core import nav
from hrss.core.errors import DomainError
from hrss.identity.auth import scope_for_user
from hrss.portal.navigation import menu_for, user_roles

logger = logging.getLogger(__name__)


@login_required
@require_GET
def my_home(request: HttpRequest) -> HttpResponse:
    scope = scope_for_user(request.user)
    shown: list[dict[str, Any]] = []
    todo: list[tuple[str, str]] = []
    for panel in nav.panels_for(roles=user_roles(request.user), signed_in=True):
        try:
            context = import_string(panel.context)(request=request, scope=scope)
        except DomainError as error:  # e.g. an account not bound to a person yet: no panel
            logger.info("home panel %s not shown: %s", panel.name, error.code)
            continue
        if context is None:
            continue
        todo.extend(context.get("todo", ()))
        html = render_to_string(panel.template, context, request=request)
        shown.append({"name": panel.name, "title": panel.title, "html": html})
    return render(request, "portal/my_home.html", {"panels": shown, "todo": todo, "scope": scope})


def statistics_panel(*, request: HttpRequest, scope: Any) -> dict[str, Any] | None:
    """The statistics pages of every app the person may open (links of the ``statistics`` group)."""
    links = [link for link in menu_for(request) if link.group == "statistics"]
    return {"links": links} if links else None


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """无障碍声明: what the site does for accessibility, what is known not to work, how to tell us."""
    return render(request, "portal/accessibility.html")
