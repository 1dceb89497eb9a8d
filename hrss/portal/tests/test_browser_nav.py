"""Each role, in Debian's Chromium at 1280 and 390 pixels: sign in on the sign-in page, land on
the role's home, and reach every main function by clicking the header menu alone (on a phone
first its 菜单 button); axe-core finds no serious or critical violation on any page reached,
and nothing is wider than the screen (at 390 px 我的申请 is a stack of cards, not a squeezed table)."""

from __future__ import annotations

from typing import Any

import pytest

from hrss.core import scope as roles
from hrss.servicehall.tests.builders import (
    City,
    seed_data,  # noqa: F401 - autouse fixture
    serious_violations,
    shot,
    submit,
)
from hrss.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]

PASSWORD = "a-long-test-password-1"
MAIN = {
    "citizen": [
        "servicehall.applications",
        "servicehall.messages",
        "insurance.mine",
        "card.mine",
        "insurance.estimate",
        "servicehall.home",
        "identity.me",
    ],
    "clerk": ["servicehall.workbench", "servicehall.walk-in", "insurance.staff", "servicehall.home", "identity.me"],
    "agent": ["insurance.employer", "servicehall.applications", "servicehall.messages", "identity.me"],
    "analyst": ["card.coverage", "card.preferences", "insurance.staff", "identity.me"],
}
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth + 1"
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _authenticator(user: Any) -> Any:
    """The staff member's authenticator app: a confirmed TOTP device, made before signing in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="browser", confirmed=True
    )


def _totp(device: Any) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def open_menu(page: Any) -> None:
    """On a phone the menu is folded behind its button (site.js): unfold it."""
    toggle = page.locator("nav.site-nav button.menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def sign_in_and_walk_the_menu(
    browser: Any, live_server: Any, user: Any, role: str, width: int, *, elderly: bool = False
) -> dict[str, Any]:
    user.set_password(PASSWORD)
    user.save()
    device = _authenticator(user) if user.requires_second_factor else None
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    if elderly:
        context.add_cookies([{"name": "hrss_elderly", "value": "1", "url": live_server.url}])
    context.set_default_timeout(15000)
    page = context.new_page()
    found: dict[str, Any] = {}

    page.goto(f"{live_server.url}/")
    open_menu(page)
    page.click("nav.site-nav a[data-nav='identity.login']")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if device is not None:  # staff: the second factor
        assert page.url == f"{live_server.url}/accounts/otp/", page.url
        page.fill("#id_token", _totp(device))
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    assert page.url == f"{live_server.url}/my/", page.url
    assert page.locator("h1").inner_text() == "我的主页"
    found["/my/"] = serious_violations(page)
    shot(page, f"nav-{role}-home-{width}{'-elderly' if elderly else ''}")

    for name in MAIN[role]:
        open_menu(page)
        link = page.locator(f"nav.site-nav a[data-nav='{name}']")
        assert link.is_visible(), f"{name} is not in the menu at {width}px"
        href = link.get_attribute("href")
        with page.expect_navigation() as navigation:
            link.click()
        response = navigation.value
        assert response is not None and response.status == 200, (name, response and response.status)
        assert page.url == f"{live_server.url}{href}"
        assert page.locator(f"nav.site-nav a[data-nav='{name}'][aria-current=page]").count() == 1
        violations = serious_violations(page)
        if violations:
            found[href] = violations
        if page.evaluate(WIDER_THAN_SCREEN):
            found[f"{href} width"] = page.evaluate(WIDEST)
        if name == "servicehall.applications" and width < 600 and role == "citizen":  # the one with applications
            # 我的申请 as cards: the status is shown beside its label, not cut off.
            shot(page, f"nav-{role}-applications-{width}")
            status = page.locator("table.stack td[data-label] .status").first
            status.wait_for(state="visible")
            box = status.bounding_box()
            assert box is not None and box["x"] + box["width"] <= width
            shot(page, f"nav-{role}-applications-{width}")
    context.close()
    return {path: v for path, v in found.items() if v}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_citizen_reaches_every_main_function_through_the_menu(
    browser: Any, live_server: Any, city: City, width: int, elderly: bool
) -> None:
    submit(city)  # something in 我的申请 and 消息
    assert sign_in_and_walk_the_menu(browser, live_server, city.citizen, "citizen", width, elderly=elderly) == {}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_clerk_reaches_every_main_function_through_the_menu(
    browser: Any, live_server: Any, city: City, width: int, elderly: bool
) -> None:
    submit(city)  # something in the clerk's pool
    assert sign_in_and_walk_the_menu(browser, live_server, city.clerk, "clerk", width, elderly=elderly) == {}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_employer_agent_reaches_every_main_function_through_the_menu(
    browser: Any, live_server: Any, city: City, width: int, elderly: bool
) -> None:
    assert sign_in_and_walk_the_menu(browser, live_server, city.agent, "agent", width, elderly=elderly) == {}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_analyst_reaches_the_statistics_through_the_menu(
    browser: Any, live_server: Any, city: City, width: int, elderly: bool
) -> None:
    analyst = make_user("analyst1", roles.ANALYST, city_wide=True)
    assert sign_in_and_walk_the_menu(browser, live_server, analyst, "analyst", width, elderly=elderly) == {}
