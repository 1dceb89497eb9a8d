"""The site's navigation: menu links and signed-in home panels that every app declares.

An app declares, as data on its ``AppConfig``:

- ``nav_links``: ``NavLink``s for the header menu (a URL name, a translated label, who sees it);
- ``home_panels``: ``HomePanel``s for the signed-in home (``/my/``): a template and a dotted
  path to the function that gives its context.

``CoreConfig.ready()`` collects both in every process (``nav_collect``), so the portal draws
the menu and the homes without naming a domain app, and a new app appears in the menu by
declaring its links. Who sees what is decided here, from the caller's role codes alone (the
roles of ``hrss.core.scope``), so a menu never costs more than the one query for the roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Audiences besides role codes: everyone; only people who are not signed in; anyone signed in.
ANYONE = "*"
SIGNED_OUT = "signed-out"
SIGNED_IN = "signed-in"


def _visible(audience: frozenset[str], *, roles: frozenset[str], signed_in: bool) -> bool:
    if ANYONE in audience:
        return True
    if not signed_in:
        return SIGNED_OUT in audience
    return SIGNED_IN in audience or bool(audience & roles)


@dataclass(frozen=True)
class NavLink:
    """A header menu link. ``url`` is a URL name (``"servicehall:applications"``); ``label``
    a lazy translation; ``audience`` role codes and/or ANYONE, SIGNED_OUT, SIGNED_IN.
    ``group`` gathers links a home panel lists together (``"statistics"``)."""

    name: str
    label: Any
    url: str
    audience: frozenset[str]
    order: int = 100
    group: str = ""

    def visible_to(self, *, roles: frozenset[str], signed_in: bool) -> bool:
        return _visible(self.audience, roles=roles, signed_in=signed_in)


@dataclass(frozen=True)
class HomePanel:
    """A panel of the signed-in home. ``context`` is the dotted path of a function called as
    ``context(request=..., scope=...)``; it returns the template's context, or None when the
    panel has nothing to show this person. A context may carry ``todo``: a list of
    ``(text, url)`` the home gathers under "what needs doing"."""

    name: str
    title: Any
    template: str
    context: str
    audience: frozenset[str]
    order: int = 100


_LINKS: dict[str, NavLink] = {}
_PANELS: dict[str, HomePanel] = {}


def register_link(link: NavLink) -> NavLink:
    _LINKS[link.name] = link
    return link


def register_panel(panel: HomePanel) -> HomePanel:
    _PANELS[panel.name] = panel
    return panel


def nav_collect(configs: Iterable[Any] | None = None) -> None:
    """Collect ``nav_links`` and ``home_panels`` declared on every installed app's ``AppConfig``."""
    from django.apps import apps

    for config in configs if configs is not None else apps.get_app_configs():
        for link in getattr(config, "nav_links", ()):
            register_link(link)
        for panel in getattr(config, "home_panels", ()):
            register_panel(panel)


def links_for(*, roles: frozenset[str], signed_in: bool, group: str | None = None) -> list[NavLink]:
    """The menu links this person sees, in menu order (``group`` narrows to one group)."""
    found = [
        link
        for link in _LINKS.values()
        if link.visible_to(roles=roles, signed_in=signed_in) and (group is None or link.group == group)
    ]
    return sorted(found, key=lambda link: (link.order, link.name))


def panels_for(*, roles: frozenset[str], signed_in: bool) -> list[HomePanel]:
    found = [panel for panel in _PANELS.values() if _visible(panel.audience, roles=roles, signed_in=signed_in)]
    return sorted(found, key=lambda panel: (panel.order, panel.name))


def links() -> list[NavLink]:
    return sorted(_LINKS.values(), key=lambda link: (link.order, link.name))


def panels() -> list[HomePanel]:
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.name))
