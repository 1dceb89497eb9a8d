"""The employment map in Debian's Chromium (Playwright), in zh-hans: the districts drawn by
ECharts from the city's geometry, a district's figure on pointing at it, the trend chart, and
no serious accessibility violation (axe-core). Never downloads a browser."""

from __future__ import annotations

from typing import Any

import pytest

from hrss.analytics import lake
from hrss.labor.tests.test_browser import context_for
from hrss.servicehall.tests.builders import serious_violations
from hrss.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]


def test_the_analyst_reads_the_map_and_the_trend(browser: Any, live_server: Any, city: Any, lake_root: Any) -> None:
    lake.export()
    analyst = make_user("map-browser", "analyst", city_wide=True)
    page = context_for(browser, live_server, analyst).new_page()
    page.goto(f"{live_server.url}/analytics/map/?period=2025-02")
    page.wait_for_selector("#district-map[data-drawn=true] svg path")
    page.wait_for_selector("#trend-chart[data-drawn=true] svg")
    # the districts are shapes of the geometry (16 districts, more paths with the borders)
    assert page.locator("#district-map svg path").count() >= 16
    assert "和平区" in page.inner_text("main") and "逐月变化" in page.inner_text("main")
    assert serious_violations(page) == []
