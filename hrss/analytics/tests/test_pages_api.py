"""The analysts' page, its downloads and the API, over the lake of the small city."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from hrss.analytics import lake
from hrss.identity.auth import token_create
from hrss.testing import make_user, sign_in


@pytest.fixture
def analyst(db):
    return make_user("an1", "analyst", city_wide=True)


def test_the_page_shows_the_latest_month_in_chinese(city, lake_root, analyst, client):
    lake.export()
    sign_in(client, analyst)
    page = client.get("/analytics/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert "就业统计" in text and "参保人数" in text
    assert "2025-03" in text and "120103" in text
    flows = client.get("/analytics/?metric=insured-flows&period=2025-02").content.decode()
    assert "新增参保" in flows


def test_the_downloads_hold_the_table(city, lake_root, analyst, client):
    lake.export()
    sign_in(client, analyst)
    answer = client.get("/analytics/download.csv?metric=insured-headcount&period=2025-02")
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[1][0] == "2025-02"
    excel = client.get("/analytics/download.xlsx?metric=insured-headcount&period=2025-02")
    sheet = load_workbook(io.BytesIO(excel.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3 and values[1][-1] == 2


def test_a_month_the_lake_does_not_hold_is_a_clear_error(city, lake_root, analyst, client):
    lake.export()
    sign_in(client, analyst)
    answer = client.get("/analytics/?period=1999-01")
    assert answer.status_code == 422


def test_a_citizen_is_refused(city, lake_root, client):
    citizen = make_user("c1", "citizen", person=city.persons[0])
    sign_in(client, citizen, second_factor=False)
    assert client.get("/analytics/").status_code == 403


def test_the_api_lists_metrics_and_rows_in_scope(city, lake_root, django_assert_max_num_queries):
    lake.export()
    token = token_create(user=make_user("an2", "analyst", districts=["120101"]))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    with django_assert_max_num_queries(6):
        listed = api.get("/api/v1/analytics/metrics")
    assert listed.status_code == 200
    assert {m["name"] for m in listed.json()} == {
        "insured-headcount",
        "insured-flows",
        "base-median",
        "supply-demand",
        "talent-index",
        "card-coverage",
        "hall-time",
    }
    with django_assert_max_num_queries(6):
        answer = api.get("/api/v1/analytics/metrics/insured-headcount", {"period": "2025-02"})
    assert answer.json() == {
        "metric": "insured-headcount",
        "rows": [{"period": "2025-02", "district": "120101", "industry_section": "C", "insured": 2}],
    }
    assert api.get("/api/v1/analytics/metrics/nothing").status_code == 404
    assert api.get("/api/v1/analytics/metrics/insured-headcount", {"period": "2025-13"}).status_code == 422
    # a filter the metric has no breakdown for is a bad input, not a server error (found by the live fuzzer)
    unbroken = api.get("/api/v1/analytics/metrics/supply-demand", {"industry": "J", "period": "2025-02"})
    assert unbroken.status_code == 422 and set(unbroken.json()["fields"]) == {"industry"}
    citizen = token_create(user=make_user("c2", "citizen", person=city.persons[1]))
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {citizen}").get("/api/v1/analytics/metrics")
    assert refused.status_code == 403


def test_supply_and_demand_on_the_page_with_names_for_the_codes(jobs, lake_root, analyst, client):
    lake.export()
    sign_in(client, analyst)
    page = client.get("/analytics/", {"metric": "supply-demand", "period": "2025-02"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200
    assert "岗位供求" in text and "就业景气指数" in text
    assert "2 专业技术人员" in text and "4 社会生产服务和生活服务人员" in text
    talent = client.get("/analytics/", {"metric": "talent-index", "period": "2025-03"}).content.decode()
    assert "20 大学本科教育" in talent
