"""Open statistics (S8) over the lake of the small city: the table's counts, their suppression
with the dated k, the public API, page and download."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation

from hrss.analytics import engine, lake, opendata
from hrss.analytics.metrics import period_index
from hrss.codes.models import PolicyParameter
from hrss.codes.selectors import codes_changed


def _counts(period: str) -> dict[tuple[str, str], int]:
    table = opendata.OPEN_TABLES["insured-by-district-decade-sex"]
    with engine.session() as connection:
        sources = [engine.lake_table(connection, name) for name in table.tables]
        rows = connection.to_pyarrow(table.build(*sources, period_index(period))).to_pylist()
    return {(r["row"], r["column"]): r["count"] for r in rows}


def test_the_table_counts_the_insured_by_district_decade_and_sex(city, lake_root):
    lake.export()
    assert _counts("2025-02") == {("120101", "1980-M"): 1, ("120101", "1990-F"): 1, ("120103", "2000-M"): 1}
    assert _counts("2025-03") == {("120101", "1980-M"): 1, ("120103", "2000-M"): 1}


def test_a_release_of_a_city_this_small_publishes_no_count(city, lake_root):
    lake.export()
    found = opendata.release("insured-by-district-decade-sex", "2025-02")
    assert found["k"] == 10
    assert found["total"] is None
    # every person is hidden; only the empty cells (nobody) show as 0
    assert found["cells"] == [[None, None, 0], [0, 0, None]]
    assert [c["key"] for c in found["columns"]] == ["1980-M", "1990-F", "2000-M"]


def test_k_is_the_dated_parameter(city, lake_root):
    lake.export()
    PolicyParameter.objects.filter(name=opendata.SUPPRESSION_PARAMETER).update(valid_to=dt.date(2029, 12, 31))
    PolicyParameter.objects.create(
        name=opendata.SUPPRESSION_PARAMETER,
        value=Decimal("1"),
        unit="persons",
        valid_from=dt.date(2030, 1, 1),
        region="120000",
        source="test",
        confidence="R",
    )
    codes_changed()
    later = opendata.release("insured-by-district-decade-sex", "2025-02", today=dt.date(2030, 6, 1))
    assert later["k"] == 1
    assert later["suppressed"] == 0
    assert later["cells"] == [[1, 1, 0], [0, 0, 1]]
    assert (later["row_totals"], later["column_totals"], later["total"]) == ([2, 1], [1, 1, 1], 3)


def test_the_public_api_page_and_download(city, lake_root, client, django_assert_max_num_queries):
    lake.export()
    with django_assert_max_num_queries(3):
        listed = client.get("/api/v1/analytics/open")
    assert listed.status_code == 200
    assert listed.json()[0]["name"] == "insured-by-district-decade-sex"
    assert listed.json()[0]["periods"][0] == "2025-03"
    answer = client.get("/api/v1/analytics/open/insured-by-district-decade-sex", {"period": "2025-02"})
    assert answer.status_code == 200
    assert answer.json()["total"] is None and answer.json()["suppressed"] > 0
    assert client.get("/api/v1/analytics/open/nothing").status_code == 404
    assert client.get("/api/v1/analytics/open/insured-by-district-decade-sex", {"period": "1999-01"}).status_code == 422
    page = client.get("/statistics/open/?period=2025-02", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert "公开统计" in text and "1980年代出生" in text and "—" in text
    download = client.get("/statistics/open/download.csv?period=2025-02")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 5  # district, three columns, total
    assert [row[0][:6] for row in rows[1:3]] == ["120101", "120103"]
    assert [row[1:] for row in rows[1:4]] == [["", "", "0", ""], ["0", "0", "", ""], ["", "", "", ""]]


@pytest.mark.django_db
def test_before_any_export_the_page_says_so(lake_root, client):
    page = client.get("/statistics/open/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert client.get("/api/v1/analytics/open/insured-by-district-decade-sex").status_code == 404


def _claim(person, pooling: str, visit: dt.date, *, kind: str = "settlement", reversed_: bool = False, n: int = 0):
    from django.utils import timezone

    from hrss.medical.models import Claim, Institution, Policy

    amount = Decimal("100.10") if kind == "settlement" else Decimal("-100.10")
    return Claim.objects.create(
        institution=Institution.objects.get(code="H12010100001"),  # 120101
        transaction_id=f"T-{person.pk.hex[:8]}-{pooling}-{visit:%m%d}-{kind}-{n}",
        request_hash="test",
        kind=kind,
        person=person,
        policy=Policy.objects.order_by("pk").first(),
        pooling=pooling,
        visit_date=visit,
        total=amount,
        out_of_catalogue=0,
        class_b_self_pay=0,
        scope=amount,
        deductible_applied=0,
        fund=amount * Decimal("0.7"),
        over_cap=0,
        patient=amount * Decimal("0.3"),
        account=0,
        cash=amount * Decimal("0.3"),
        reversed_at=timezone.now() if reversed_ else None,
    )


def test_persons_treated_by_district_and_kind_of_care(city, lake_root, client):
    """Each person once per kind of care in the month; a reversed settlement, a refund and
    another month's visit count nothing. The lake holds the month and amounts, not the claim."""
    first, second, third = city.persons[:3]
    feb = dt.date(2025, 2, 10)
    _claim(first, "outpatient", feb)
    _claim(first, "outpatient", feb + dt.timedelta(days=3), n=1)  # the same person again
    _claim(first, "inpatient", feb)
    _claim(second, "outpatient", feb, reversed_=True)  # reversed: not treated
    _claim(second, "outpatient", feb, kind="refund")
    _claim(third, "chronic", dt.date(2025, 3, 2))  # another month
    lake.export()
    table = opendata.OPEN_TABLES["persons-treated-by-district-pooling"]
    with engine.session() as connection:
        sources = [engine.lake_table(connection, name) for name in table.tables]
        rows = connection.to_pyarrow(table.build(*sources, period_index("2025-02"))).to_pylist()
        amounts = connection.to_pyarrow(sources[0].fund_fen.sum()).as_py()
    assert {(r["row"], r["column"]): r["count"] for r in rows} == {
        ("120101", "outpatient"): 1,
        ("120101", "inpatient"): 1,
    }
    assert amounts == 5 * 7007 - 7007  # fen: five settlements (one reversed, its row still there), one refund
    with translation.override("zh-hans"):
        found = opendata.release("persons-treated-by-district-pooling", "2025-02")
    assert {c["key"]: c["label"] for c in found["columns"]} == {"inpatient": "住院", "outpatient": "门诊统筹"}
    assert found["total"] is None  # two persons: below k, nothing published
    page = client.get(
        "/statistics/open/",
        {"table": "persons-treated-by-district-pooling", "period": "2025-02"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    text = page.content.decode()
    assert page.status_code == 200 and "分区县、分就医类别的就医人数" in text and "门诊统筹" in text
