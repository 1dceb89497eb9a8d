"""The benchmark harness's own logic (the benchmarks themselves run with ``make bench``)."""

import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings

sys.path.insert(0, str(settings.BASE_DIR))

from bench import harness  # bench/ sits beside hrss/ in the source tree
from bench.common import Database, median
from bench.loadgen import parse_wrk

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8000
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    1.02ms  20.11ms   90.00%
  Latency Distribution
     50%  850.00us
     75%    2.30ms
     90%    3.10ms
     99%    1.20s
  11700 requests in 3.00s, 2.50MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   3899.50
Transfer/sec:    853.00KB
"""


def test_wrk_output_is_read():
    figures = parse_wrk(WRK_OUTPUT)
    assert figures["requests"] == 11700 and figures["rps"] == 3899.5 and figures["non_2xx"] == 3
    assert figures["p50_ms"] == pytest.approx(0.85) and figures["p99_ms"] == pytest.approx(1200)


def test_scratch_databases_are_never_the_shared_ones():
    for name in ("test", "postgres", "template1"):
        with pytest.raises(ValueError, match="refusing"):
            Database.postgresql(f"postgres://postgres@127.0.0.1:5432/{name}")
    db = Database.postgresql("postgres://postgres@127.0.0.1:5432/hrss_bench")
    assert db.name == "hrss_bench"
    assert Database.sqlite().name.endswith("bench.sqlite3")


def test_results_table_has_figure_baseline_and_ratio():
    report = {
        "scale": "small",
        "finished_at": "2026-01-01T00:00:00+00:00",
        "repeat": 3,
        "seconds": 12.0,
        "machine": {"cpu": "cpu", "cores": 2, "memory": "24 GiB", "load_average": [0.1, 0.2, 0.3]},
        "load_average_at_end": [0.1, 0.2, 0.3],
        "versions": {"django": "5.2"},
        "databases": {"sqlite": "SQLite"},
        "results": [
            {
                "name": "synth-load",
                "database": "sqlite",
                "ratio": 0.5,
                "extra": {"whole city (all steps), seconds": 3.5},
                "figure": {"label": "persons/s", "value": 50_000.0, "unit": "persons/s"},
                "baseline": {"label": "from a file", "value": 100_000.0, "unit": "persons/s"},
            },
            {
                "name": "person-lookup",
                "database": "sqlite",
                "figures": {"p50_ms": 4.0, "p99_ms": 9.0, "rps": 400.0},
                "baselines": {"p50_ms": 1.0, "p99_ms": 3.0, "rps": 2000.0},
                "ratios": {"p50_ms": 4.0, "p99_ms": 3.0, "rps": 0.2},
                "limits": {"p50_ms": 2.0, "p99_ms": 4.5, "rps": 800.0},
                "limit_ratios": {"p50_ms": 2.0, "p99_ms": 2.0, "rps": 0.5},
            },
            {"name": "synth-load", "database": "postgresql", "error": "database not reachable"},
        ],
    }
    text = harness.markdown(report)
    assert "| synth-load | sqlite | persons/s | 50,000 persons/s | from a file | 100,000 persons/s | 0.50 |" in text
    assert "| person-lookup | sqlite | throughput (person by ID number) | 400 req/s" in text and "| 0.20 |" in text
    assert "| throughput (hand-written SQL limit) | 800 req/s | 0.50 |" in text
    assert "failed" in text and "whole city (all steps), seconds: 3.50" in text
    assert median([3.0, 1.0, 2.0]) == 2.0


@override_settings(ROOT_URLCONF="bench.urls_bench")
def test_bare_endpoint_answers_constant_json():
    response = Client().get("/bench/bare")
    assert response.status_code == 200 and response.json()["benchmark"] == "bare"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls_bench")
def test_the_hand_written_limit_answers_what_the_api_answers_and_audits_the_read():
    from hrss.core.models import AuditEntry
    from hrss.identity.auth import token_create
    from hrss.testing import make_person, make_user

    person = make_person(name="基准")
    token = token_create(user=make_user("bench_clerk", "counter_clerk", city_wide=True))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    api = client.get(f"/api/v1/registry/persons/{person.id_number}").json()
    before = AuditEntry.objects.filter(action="registry.person.read").count()
    limit = client.get(f"/bench/limit/{person.id_number}")
    assert limit.status_code == 200
    assert AuditEntry.objects.filter(action="registry.person.read").count() == before + 1
    body = limit.json()
    for key in ("id_number", "name", "sex", "birth_date", "household_district", "residence_district", "status"):
        assert body[key] == api[key], key
    assert Client(HTTP_AUTHORIZATION="Bearer hrss_nope").get(f"/bench/limit/{person.id_number}").status_code == 401


def test_claim_settle_bills_ids_and_settlement_file_totals():
    import random
    from decimal import Decimal

    from bench import claim_settle
    from hrss.medical import reconcile

    sizes = set()
    for _ in range(200):
        lines = claim_settle.bill(random.Random(len(sizes) + _))
        codes = [line["code"] for line in lines]
        assert 1 <= len(lines) <= 3 and len(set(codes)) == len(codes)
        sizes.add(len(lines))
    assert sizes == {1, 2, 3}
    runs = [{"fresh": "BCS-1-", "sent": [2, 0, 1]}]
    assert claim_settle._sent_ids(runs) == ["BCS-1-0-0", "BCS-1-0-1", "BCS-1-2-0"]
    line = reconcile.Line(
        transaction_id="T1",
        kind="settlement",
        original_transaction_id="",
        visit_date=None,
        settled_at="2026-12-06T10:00:00+08:00",
        amounts={"total": Decimal("100"), "fund": Decimal("61.5"), "account": Decimal("38.5"), "cash": Decimal(0)},
    )
    data = reconcile.settlement_file([line, line])
    assert claim_settle._file_totals(data.decode()) == (2, Decimal("123.00"))
    assert claim_settle._file_totals("nothing\n") is None
