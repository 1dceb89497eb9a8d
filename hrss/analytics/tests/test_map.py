"""The employment map and trend (E3) over the lake of the small city: one figure per district
of the caller's scope, the trend month by month, and the clear errors of a median that does
not add up."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from hrss.analytics import lake, selectors
from hrss.core.errors import InvalidInput
from hrss.identity.auth import scope_for_user
from hrss.testing import make_user, sign_in


def test_each_district_gets_its_figure_and_the_months_add_up(city, lake_root):
    lake.export()
    scope = scope_for_user(make_user("map1", "analyst", city_wide=True))
    found = selectors.district_figures(scope=scope, measure="insured", period="2025-02")
    values = {row["code"]: row["value"] for row in found["districts"]}
    assert values["120101"] == 2 and values["120103"] == 1
    assert values["120104"] == 0  # a district without insured persons is on the map, at 0
    assert len(values) == 16  # every current district of the city (HRSS_CITY_REGION)
    assert [(r["period"], r["value"]) for r in selectors.trend(scope=scope, measure="insured")] == [
        ("2025-01", 2),
        ("2025-02", 3),
        ("2025-03", 2),
    ]
    manufacturing = selectors.district_figures(scope=scope, measure="base_median", period="2025-02", industry="C")
    medians = {row["code"]: row["value"] for row in manufacturing["districts"]}
    assert medians["120101"] == 8000 and medians["120103"] is None  # no manufacturing there: no median
    with pytest.raises(InvalidInput):
        selectors.district_figures(scope=scope, measure="base_median", period="2025-02")
    with pytest.raises(InvalidInput):
        selectors.trend(scope=scope, measure="base_median", industry="C")


def test_a_district_analyst_sees_only_their_district(city, lake_root):
    lake.export()
    scope = scope_for_user(make_user("map2", "analyst", districts=["120103"]))
    found = selectors.district_figures(scope=scope, measure="insured", period="2025-02")
    assert [(row["code"], row["value"]) for row in found["districts"]] == [("120103", 1)]
    assert [(r["period"], r["value"]) for r in selectors.trend(scope=scope, measure="insured")] == [
        ("2025-02", 1),
        ("2025-03", 1),
    ]


def test_the_page_in_chinese_carries_the_figures_for_the_chart_and_as_tables(city, lake_root, client):
    lake.export()
    sign_in(client, make_user("map3", "analyst", city_wide=True))
    page = client.get("/analytics/map/", {"period": "2025-02"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert "就业地图" in text and "和平区" in text and "逐月变化" in text
    data = page.context["chart"]
    assert data["label"] == "参保人数"
    row = next(row for row in data["districts"] if row["code"] == "120101")
    assert row["value"] == 2 and row["name"] == "和平区"
    assert row["link"] == "/analytics/?metric=insured-headcount&period=2025-02&district=120101"
    assert json.loads(text.split('id="map-data" type="application/json">')[1].split("</script>")[0]) == data
    # the table a district clicks through to holds that district only
    table = client.get(row["link"]).content.decode()
    assert "120101" in table and "120103" not in table
    # the scripts and the geometry come from npm through the static files
    assert finders.find("vendor/echarts/dist/echarts.min.js")
    assert finders.find(data["geo"].removeprefix("/static/"))
    median = client.get("/analytics/map/", {"measure": "base_median", "period": "2025-02"}).content.decode()
    assert "请选择一个行业" in median
    assert client.get("/analytics/map/", {"measure": "nothing"}).status_code == 422
    assert client.get("/analytics/map/", {"industry": "ZZ"}).status_code == 422
    assert client.get("/analytics/map/", {"district": "999999"}).status_code == 422
    assert client.get("/analytics/map/", {"period": "1999-01"}).status_code == 422


def test_a_citizen_cannot_open_the_map(city, lake_root):
    client = sign_in(Client(), make_user("map4", "citizen", person=city.persons[0]), second_factor=False)
    assert client.get("/analytics/map/").status_code == 403
