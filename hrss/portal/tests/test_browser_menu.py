"""The header menu on a phone (390 px, Debian's Chromium): folded behind one "菜单" button so
the page comes first; the button says whether it is open (aria-expanded), opens with the
keyboard, Escape closes it and gives the focus back; axe-core finds no violation either way.
At 1280 px the menu is open with no button."""

from __future__ import annotations

from typing import Any

import pytest

from hrss.portal.tests.test_browser_nav import PASSWORD
from hrss.servicehall.tests.builders import (
    AXE,
    City,
    seed_data,  # noqa: F401 - autouse fixture
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]

ENTRIES = "nav.site-nav .menu-panel a, nav.site-nav .menu-panel button"
VISIBLE = f"() => [...document.querySelectorAll({ENTRIES!r})].filter(e => e.checkVisibility()).length"


def violations(page: Any) -> list[dict[str, Any]]:
    """Every axe-core violation (any impact) of the WCAG 2.1 A and AA rules."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def signed_in_page(browser: Any, live_server: Any, user: Any, width: int) -> Any:
    user.set_password(PASSWORD)
    user.save()
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844})
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def test_on_a_phone_the_menu_is_folded_behind_a_button(browser: Any, live_server: Any, city: City) -> None:
    page = signed_in_page(browser, live_server, city.citizen, 390)
    page.goto(f"{live_server.url}/hall/")
    toggle = page.locator("nav.site-nav button.menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert page.get_by_role("button", name="菜单").count() == 1
    assert page.locator(ENTRIES).count() > 10  # the citizen's many links are there ...
    assert page.evaluate(VISIBLE) == 0  # ... but hidden
    # The page's heading is on the first screen, not below the menu.
    heading = page.locator("main h1").bounding_box()
    assert heading is not None and heading["y"] < 400, heading
    assert violations(page) == []
    shot(page, "menu-phone-closed")

    # Open with the keyboard: Tab from the skip link reaches the button before any menu entry.
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate(VISIBLE) == page.locator(ENTRIES).count()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.closest('#site-menu') !== null")
    assert focused, "Tab after the button goes into the menu"
    assert violations(page) == []
    shot(page, "menu-phone-open")

    # Escape closes it and the focus returns to the button; Space opens it again.
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and page.evaluate(VISIBLE) == 0
    assert page.evaluate("() => document.activeElement.classList.contains('menu-toggle')")
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"
    with page.expect_navigation():
        page.click("nav.site-nav a[data-nav='servicehall.applications']")
    assert page.url.endswith("/hall/applications/")
    assert page.locator("nav.site-nav button.menu-toggle").get_attribute("aria-expanded") == "false"
    page.context.close()


def test_on_a_desktop_the_menu_is_open_without_a_button(browser: Any, live_server: Any, city: City) -> None:
    page = signed_in_page(browser, live_server, city.citizen, 1280)
    page.goto(f"{live_server.url}/hall/")
    assert not page.locator("nav.site-nav button.menu-toggle").is_visible()
    assert page.evaluate(VISIBLE) == page.locator(ENTRIES).count() > 10
    page.context.close()
