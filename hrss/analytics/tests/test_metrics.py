"""The metrics on the small city of conftest.py, figures worked out by hand; the same rows
on Spark as on DuckDB; each caller sees the districts of their scope."""

from __future__ import annotations

import threading

import duckdb
import pytest

from hrss.analytics import engine, lake, selectors
from hrss.analytics.metrics import METRICS, period_index, period_label
from hrss.core import scope as roles
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import Scope

ANALYST = Scope(actor="analyst", roles=frozenset({roles.ANALYST}), districts=None)


def _rows(name, **kw):
    return selectors.metric_rows(name, scope=kw.pop("scope", ANALYST), **kw)


def test_period_labels_round_trip():
    assert period_label(period_index("2025-01")) == "2025-01"
    assert period_label(period_index("1999-12")) == "1999-12"


def test_insured_headcount_by_district_and_industry(city, lake_root):
    lake.export()
    assert _rows("insured-headcount") == [
        {"period": "2025-01", "district": "120101", "industry_section": "C", "insured": 2},
        {"period": "2025-02", "district": "120101", "industry_section": "C", "insured": 2},
        {"period": "2025-02", "district": "120103", "industry_section": "F", "insured": 1},
        {"period": "2025-03", "district": "120101", "industry_section": "C", "insured": 1},
        {"period": "2025-03", "district": "120103", "industry_section": "F", "insured": 1},
    ]
    assert _rows("insured-headcount", period="2025-02", district="120103") == [
        {"period": "2025-02", "district": "120103", "industry_section": "F", "insured": 1}
    ]


def test_new_and_lost_insured(city, lake_root):
    lake.export()
    # January is the lake's first month: nothing to compare it with.
    assert _rows("insured-flows") == [
        {"period": "2025-02", "district": "120103", "industry_section": "F", "new": 1, "lost": 0},
        {"period": "2025-03", "district": "120101", "industry_section": "C", "new": 0, "lost": 1},
    ]


def test_median_base(city, lake_root):
    lake.export()
    rows = _rows("base-median", period="2025-01")
    assert rows == [
        {"period": "2025-01", "district": "120101", "industry_section": "C", "insured": 2, "base_median": 8000.0}
    ]


def test_supply_demand_and_the_prosperity_index(jobs, lake_root):
    lake.export()
    one, two = (person.residence_district_id or person.household_district_id for person in jobs.seekers)
    expected = [
        {"period": "2025-01", "district": "120101", "occupation_group": "2", "vacancies": 3, "seekers": 0},
        {"period": "2025-01", "district": one, "occupation_group": "", "vacancies": 0, "seekers": 1},
        {"period": "2025-02", "district": "120101", "occupation_group": "2", "vacancies": 3, "seekers": 0},
        {"period": "2025-02", "district": "120103", "occupation_group": "4", "vacancies": 2, "seekers": 0},
        {"period": "2025-03", "district": two, "occupation_group": "2", "vacancies": 0, "seekers": 1},
    ]
    rows = _rows("supply-demand")
    assert [{k: v for k, v in row.items() if k != "index"} for row in rows] == sorted(
        expected, key=lambda row: (row["period"], row["district"], row["occupation_group"])
    )
    assert [row["index"] for row in rows if row["seekers"]] == [0.0, 0.0]
    assert all(row["index"] is None for row in rows if not row["seekers"])  # no seekers: no ratio
    talent = _rows("talent-index", period="2025-03")
    assert talent == [
        {
            "period": "2025-03",
            "district": two,
            "occupation_group": "2",
            "education_code": "20",
            "vacancies": 0,
            "seekers": 1,
            "index": 0.0,
        }
    ]


def test_the_index_is_vacancies_over_seekers_in_two_places():
    from hrss.analytics.metrics import _prosperity

    assert _prosperity({"vacancies": 3, "seekers": 2})["index"] == 1.5
    assert _prosperity({"vacancies": 2, "seekers": 3})["index"] == 0.67
    assert _prosperity({"vacancies": 5, "seekers": 0})["index"] is None


def test_a_district_analyst_sees_their_district_only(city, lake_root):
    lake.export()
    hexi = Scope(actor="a2", roles=frozenset({roles.ANALYST}), districts=frozenset({"120103"}))
    assert {row["district"] for row in _rows("insured-headcount", scope=hexi)} == {"120103"}


def test_others_are_refused_and_unknown_metrics_are_not_found(city, lake_root):
    citizen = Scope(actor="c", roles=frozenset({roles.CITIZEN}), person_id=city.persons[0].pk)
    with pytest.raises(PermissionDenied):
        _rows("insured-headcount", scope=citizen)
    with pytest.raises(NotFound):
        _rows("no-such-metric")


def test_a_session_closes_its_connection_when_the_block_ends():
    with engine.session("duckdb") as connection:
        assert connection.raw_sql("SELECT 42").fetchone() == (42,)
    with pytest.raises(duckdb.ConnectionException):
        connection.raw_sql("SELECT 1")


def test_duckdb_runs_the_configured_threads(settings):
    settings.HRSS_DUCKDB_THREADS = 3
    with engine.session("duckdb") as connection:
        assert connection.raw_sql("SELECT current_setting('threads')").fetchone() == (3,)


def test_metrics_served_from_threads_that_come_and_go(city, lake_root):
    """The web server runs requests on threads it retires when idle: each answers alone and
    leaves no connection behind on its thread."""
    lake.export()
    expected = _rows("insured-headcount")
    answers: list[object] = []

    def serve() -> None:
        answers.append(_rows("insured-headcount"))

    for _ in range(3):
        threads = [threading.Thread(target=serve) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert answers == [expected] * 12


def test_an_empty_lake_has_no_rows(db, lake_root):
    assert _rows("insured-headcount") == []
    assert _rows("insured-flows") == []


@pytest.fixture
def spark():
    pytest.importorskip("pyspark")
    yield
    engine.spark_stop()


@pytest.mark.spark
def test_every_metric_gives_the_same_rows_on_spark_as_on_duckdb(hall, lake_root, spark):
    lake.export()
    for name in METRICS:
        on_duckdb = _rows(name, engine_name="duckdb")
        assert on_duckdb, name
        assert _rows(name, engine_name="spark") == on_duckdb, name


def test_card_coverage_counts_holders_at_the_end_of_each_month(hall, lake_root):
    lake.export()
    rows = _rows("card-coverage")
    # the three live in 120101; 乙二's lost card and its replacement are one holder
    assert [
        (row["period"], row["district"], row["persons"], row["card_holders"], row["ecard_holders"]) for row in rows
    ] == [
        ("2025-01", "120101", 3, 1, 0),
        ("2025-02", "120101", 3, 2, 1),
        ("2025-03", "120101", 3, 2, 1),
    ]
    assert [(row["coverage"], row["ecard_coverage"]) for row in rows] == [(33.3, 0.0), (66.7, 33.3), (66.7, 33.3)]


def test_hall_time_taken_by_month_district_and_channel(hall, lake_root):
    lake.export()
    assert _rows("hall-time") == [
        {
            "period": "2025-02",
            "district": "120101",
            "channel": "web",
            "decided": 2,
            "days_median": 7.0,  # 4 and 10 days
            "on_time": 1,
            "on_time_share": 50.0,
            "at_most_one_visit": 1,
        },
        {
            "period": "2025-03",
            "district": "120101",
            "channel": "counter",
            "decided": 1,
            "days_median": 1.0,
            "on_time": 1,
            "on_time_share": 100.0,
            "at_most_one_visit": 1,
        },
    ]
