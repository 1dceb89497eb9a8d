"""长者模式 in Debian's Chromium: switched on from the home page's header, remembered into the
hall, switched off there; every element grows (titles, buttons, inputs, not only body text);
axe-core finds no serious or critical violation in either mode, at 1280 and 390 pixels."""

from __future__ import annotations

from typing import Any

import pytest

from hrss.servicehall.tests.builders import (
    seed_data,  # noqa: F401 - autouse fixture
    serious_violations,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]

SIZES = "() => ['h1', 'button', 'input, select', 'body'].map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"


@pytest.mark.parametrize("width", [1280, 390])
def test_elderly_mode_on_and_off_from_any_header(browser: Any, live_server: Any, width: int) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    found = {}

    page.goto(f"{live_server.url}/")
    assert page.get_attribute("html", "class") in (None, "")
    normal = page.evaluate(SIZES)
    found["home"] = serious_violations(page)
    page.click("form.mode button[name=elderly][value='1']")
    page.wait_for_load_state()
    assert page.get_attribute("html", "class") == "elderly"
    assert page.get_attribute("form.mode button[name=elderly]", "aria-pressed") == "true"
    elderly = page.evaluate(SIZES)
    assert all(big >= small * 1.3 for big, small in zip(elderly, normal, strict=True)), (normal, elderly)
    found["home, elderly"] = serious_violations(page)
    shot(page, f"modes-home-elderly-{width}")

    page.goto(f"{live_server.url}/hall/")  # remembered across pages
    assert page.get_attribute("html", "class") == "elderly"
    found["hall, elderly"] = serious_violations(page)
    page.click("form.mode button[name=elderly][value='0']")
    page.wait_for_load_state()
    assert page.url.endswith("/hall/")
    assert page.get_attribute("html", "class") in (None, "")
    found["hall"] = serious_violations(page)
    page.goto(f"{live_server.url}/")
    assert page.get_attribute("html", "class") in (None, "")
    context.close()
    assert found == {"home": [], "home, elderly": [], "hall, elderly": [], "hall": []}
