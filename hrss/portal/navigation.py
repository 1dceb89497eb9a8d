"""The header menu and breadcrumbs of every page, from the links the apps declare (hrss.core.nav)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from hrss.core import nav


@dataclass(frozen=True)
class MenuLink:
    name: str
    label: Any
    url: str
    current: bool  # the page is this link's or below it (aria-current)
    group: str = ""


def user_roles(user: Any) -> frozenset[str]:
    """The caller's role codes: one query, cached on the user for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    role_codes = getattr(user, "role_codes", None)
    return role_codes() if role_codes is not None else frozenset()


def menu_for(request: HttpRequest) -> list[MenuLink]:
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    found: list[tuple[nav.NavLink, str]] = []
    for link in nav.links_for(roles=user_roles(user), signed_in=signed_in):
        try:
            found.append((link, reverse(link.url)))
        except NoReverseMatch:  # an app's pages not mounted (a trimmed installation): no link
            continue
    # The link whose address is the longest prefix of this page's is the current section
    # ("/" only for the home page itself).
    path = request.path
    best = max(
        (url for _link, url in found if path == url or (url != "/" and path.startswith(url))),
        key=len,
        default=None,
    )
    return [MenuLink(link.name, link.label, url, url == best, link.group) for link, url in found]


def site_navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``site_menu`` (the header's links) and ``breadcrumbs``.

    The trail is the way back to the page, never the page itself (its h1 names it): the home
    (the signed-in home for a signed-in person), then the menu section the page belongs to
    when the page is below it; pages add the links between in ``{% block crumb %}`` (an item
    there marked ``aria-current`` is dropped, ``hrss.portal.templatetags.breadcrumbs``).
    Lazy, so a template that does not draw the menu costs nothing.
    """
    cache: dict[str, Any] = {}

    def menu() -> list[MenuLink]:
        if "menu" not in cache:
            cache["menu"] = menu_for(request)
        return cache["menu"]  # type: ignore[no-any-return]

    def breadcrumbs() -> list[MenuLink]:
        links = menu()
        root = next((link for link in links if link.name in ("portal.my-home", "portal.home")), None)
        trail = [root] if root is not None and root.url != request.path else []
        section = next((link for link in links if link.current and link is not root), None)
        if section is not None and section.url != request.path:  # the section's own page: its h1 says it
            trail.append(section)
        return trail

    return {"site_menu": _Lazy(menu), "breadcrumbs": _Lazy(breadcrumbs)}


class _Lazy:
    """A list computed the first time a template iterates or tests it."""

    def __init__(self, compute: Any) -> None:
        self._compute = compute

    def __iter__(self) -> Any:
        return iter(self._compute())

    def __len__(self) -> int:
        return len(self._compute())

    def __bool__(self) -> bool:
        return bool(self._compute())
