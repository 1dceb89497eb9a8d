"""One navigable site: the role-aware menu on every page, breadcrumbs, the footer, signing in
lands on the person's home, and that home shows each role's panels (hrss.core.nav)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from hrss.core import nav
from hrss.core import scope as roles
from hrss.servicehall.tests.builders import City, sign_in, submit
from hrss.testing import make_user

pytestmark = pytest.mark.django_db

CITIZEN_LINKS = {"servicehall.applications", "servicehall.messages", "insurance.mine", "card.mine"}
STAFF_LINKS = {"servicehall.workbench", "servicehall.walk-in", "insurance.staff", "card.coverage"}


def menu(client: Client, path: str = "/") -> list[str]:
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert page.status_code == 200, (path, page.status_code)
    html = page.content.decode()
    header = html[html.index('<nav class="site-nav"') : html.index("</nav>", html.index('<nav class="site-nav"'))]
    return re.findall(r'data-nav="([\w.-]+)"', header)


def test_each_role_sees_its_own_links_and_no_others(city: City) -> None:
    analyst = make_user("analyst1", roles.ANALYST, city_wide=True)
    seen = {
        "anonymous": set(menu(Client())),
        "citizen": set(menu(sign_in(Client(), city.citizen))),
        "agent": set(menu(sign_in(Client(), city.agent))),
        "clerk": set(menu(sign_in(Client(), city.clerk))),
        "reviewer": set(menu(sign_in(Client(), city.reviewer))),
        "analyst": set(menu(sign_in(Client(), analyst))),
    }
    assert {"portal.home", "servicehall.home", "insurance.estimate", "identity.login", "identity.signup"} <= seen[
        "anonymous"
    ]
    assert not seen["anonymous"] & (CITIZEN_LINKS | STAFF_LINKS | {"portal.my-home"})
    assert CITIZEN_LINKS | {"portal.my-home", "identity.me"} <= seen["citizen"]
    assert not seen["citizen"] & STAFF_LINKS
    assert {"insurance.employer", "servicehall.applications", "servicehall.messages"} <= seen["agent"]
    assert not seen["agent"] & (STAFF_LINKS | {"insurance.mine", "card.mine"})
    # Staff never see the citizen's links (我的申请, 消息), and see their own.
    for role in ("clerk", "reviewer", "analyst"):
        assert not seen[role] & CITIZEN_LINKS, role
    assert {"servicehall.workbench", "servicehall.walk-in", "insurance.staff"} <= seen["clerk"]
    assert "servicehall.walk-in" not in seen["reviewer"] and "servicehall.workbench" in seen["reviewer"]
    assert {"card.coverage", "card.preferences", "insurance.staff"} <= seen["analyst"]
    assert "servicehall.workbench" not in seen["analyst"]


@pytest.mark.parametrize(
    "path", ["/", "/hall/", "/insurance/", "/insurance/estimate/", "/card/", "/accounts/me/", "/accessibility/"]
)
def test_every_page_has_the_menu_and_the_footer(city: City, path: str) -> None:
    client = sign_in(Client(), city.citizen)
    assert "insurance.mine" in menu(client, path)
    html = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'href="tel:12333"' in html and 'href="/accessibility/"' in html
    assert html.count('aria-current="page" data-nav=') <= 1  # one current section at most


def test_breadcrumbs_lead_home_through_the_section(city: City) -> None:
    application = submit(city)
    client = sign_in(Client(), city.citizen)
    html = client.get(f"/hall/applications/{application.reference}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    trail = html[html.index('class="breadcrumbs"') : html.index("</nav>", html.index('class="breadcrumbs"'))]
    assert re.findall(r'href="([^"]+)"', trail) == ["/my/", "/hall/applications/"]
    assert "我的主页" in trail and "我的申请" in trail
    assert '<nav class="breadcrumbs" aria-label="当前位置">' in html  # a named landmark
    # The way back only: the page itself is its h1, not a crumb that repeats it.
    assert application.reference not in trail and "aria-current" not in trail
    # The current section is marked in the menu.
    assert re.search(r'href="/hall/applications/" aria-current="page"', html)


def _trail_and_title(client: Client, path: str) -> tuple[list[str], str]:
    html = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    title = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL).group(1)).strip()  # type: ignore[union-attr]
    if 'class="breadcrumbs"' not in html:
        return [], title
    start = html.index('class="breadcrumbs"')
    trail = html[start : html.index("</nav>", start)]
    return [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", trail, re.DOTALL)
    ], title


@pytest.mark.parametrize(
    "path",
    [
        "/hall/applications/",
        "/hall/messages/",
        "/hall/items/SH-JY-001/",
        "/hall/items/SH-JY-001/apply/",
        "/accessibility/",
    ],
)
def test_no_breadcrumb_repeats_the_page_title(city: City, path: str) -> None:
    submit(city)
    crumbs, title = _trail_and_title(sign_in(Client(), city.citizen), path)
    assert title and title not in crumbs, (path, crumbs, title)
    assert len(crumbs) == len(set(crumbs)), crumbs


def test_signing_in_lands_on_the_home_of_the_persons_roles(city: City) -> None:
    from hrss.identity.models import User

    user = User.objects.get(pk=city.citizen.pk)
    user.set_password("a-long-test-password-1")
    user.save()
    response = Client().post("/accounts/login/", {"username": user.username, "password": "a-long-test-password-1"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:my-home") == "/my/"


def panels(client: Client) -> tuple[list[str], str]:
    page = client.get("/my/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert page.status_code == 200
    html = page.content.decode()
    return re.findall(r'data-panel="([\w.-]+)"', html), html


def test_the_citizens_home(city: City) -> None:
    from hrss.servicehall.tests.builders import do

    application = submit(city)
    do(city, application, "supplement", reasons="请补充材料。", missing_materials=["id_card"])
    shown, html = panels(sign_in(Client(), city.citizen))
    assert shown == ["servicehall.applications", "insurance.mine", "card.mine", "servicehall.messages"]
    # What needs doing: the supplement requested, and the card to apply for (no card yet).
    todo = html[html.index('class="todo"') : html.index("</section>", html.index('class="todo"'))]
    assert f"/hall/applications/{application.reference}/" in todo
    assert "需要补正材料" in todo and "申领社会保障卡" in todo


def test_the_employer_agents_home(city: City) -> None:
    shown, html = panels(sign_in(Client(), city.agent))
    assert shown == ["insurance.employer", "servicehall.applications", "servicehall.messages"]
    assert 'href="/insurance/employer/"' in html and "参保职工人数" in html


def test_the_clerks_home_has_the_queue_overdue_and_walk_in(city: City) -> None:
    shown, html = panels(sign_in(Client(), city.clerk))
    assert shown == ["servicehall.work"]
    assert 'action="/workbench/walk-in/"' in html and 'action="/workbench/next/"' in html
    assert "待办中已超期" in html


def test_the_analysts_home_lists_the_statistics_pages(city: City) -> None:
    analyst = make_user("analyst1", roles.ANALYST, city_wide=True)
    shown, html = panels(sign_in(Client(), analyst))
    assert shown == ["portal.statistics"]
    links = re.findall(r'<a href="([^"]+)"', html[html.index('data-panel="portal.statistics"') :])
    assert {"/card/coverage/", "/card/preferences/", "/insurance/staff/"} <= set(links)
    for link in ("/card/coverage/", "/card/preferences/", "/insurance/staff/"):
        assert sign_in(Client(), analyst).get(link).status_code == 200, link


def test_every_declared_link_and_panel_resolves() -> None:
    from django.template.loader import get_template
    from django.utils.module_loading import import_string

    assert len(nav.links()) >= 12 and len(nav.panels()) >= 6
    for link in nav.links():
        assert reverse(link.url)
    for panel in nav.panels():
        get_template(panel.template)
        assert callable(import_string(panel.context))


def test_the_hall_declares_the_workbench_for_exactly_the_engines_work_roles() -> None:
    from hrss.servicehall.apps import WORKERS
    from hrss.servicehall.engine import WORK_ROLES

    assert WORKERS == WORK_ROLES


def test_audiences() -> None:
    link = nav.NavLink("x", "x", "portal:home", frozenset({roles.CITIZEN}))
    assert link.visible_to(roles=frozenset({roles.CITIZEN}), signed_in=True)
    assert not link.visible_to(roles=frozenset({roles.COUNTER_CLERK}), signed_in=True)
    assert not link.visible_to(roles=frozenset(), signed_in=False)
    out = nav.NavLink("y", "y", "portal:home", frozenset({nav.SIGNED_OUT}))
    assert out.visible_to(roles=frozenset(), signed_in=False)
    assert not out.visible_to(roles=frozenset({roles.CITIZEN}), signed_in=True)
    anyone = nav.NavLink("z", "z", "portal:home", frozenset({nav.ANYONE}))
    assert anyone.visible_to(roles=frozenset(), signed_in=False) and anyone.visible_to(
        roles=frozenset({roles.ANALYST}), signed_in=True
    )


def test_a_new_app_appears_in_the_menu_by_declaring_links(city: City) -> None:
    """The registry is filled from AppConfig data: a declared link shows up without the portal naming the app."""

    class Config:
        nav_links = (
            nav.NavLink("example.link", "Example", "portal:accessibility", frozenset({roles.CITIZEN}), order=99),
        )

    try:
        nav.nav_collect([Config()])
        assert "example.link" in menu(sign_in(Client(), city.citizen))
        assert "example.link" not in menu(sign_in(Client(), city.clerk))
    finally:
        nav._LINKS.pop("example.link", None)


def test_the_menu_costs_at_most_one_query(city: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = sign_in(Client(), city.citizen)
    client.get("/accessibility/")
    with CaptureQueriesContext(connection) as with_menu:
        client.get("/accessibility/")
    assert apps.is_installed("hrss.portal")
    # session, user, the roles: the accessibility page reads nothing else
    assert len(with_menu) <= 4, [q["sql"] for q in with_menu]
