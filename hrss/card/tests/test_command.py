"""`hrss card ...` end to end: production files out and back, lapsing, reconciliation, coverage."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hrss.card import services
from hrss.card.models import Card
from hrss.card.tests.builders import OFFICE
from hrss.testing import make_person

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("card", *args, stdout=out)
    return out.getvalue()


def test_production_round_trip_in_json_with_a_failure(tmp_path: Path):
    for _ in range(3):
        services.card_apply(person=make_person(), channel="counter", scope=OFFICE)
    assert "3 cards" in run("produce", "--dir", str(tmp_path), "--format", "json")
    personalisation = next(tmp_path.glob("CP*.json"))
    assert personalisation.stat().st_mode & 0o777 == 0o600  # ID numbers in clear: owner-readable only
    assert "results:" in run("factory-simulate", str(personalisation), "--fail-every", "3")
    results = next(tmp_path.glob("*.results.csv"))
    out = run("results", str(results))
    assert "2 made, 1 failed" in out and "chip personalisation error" in out
    assert sorted(Card.objects.values_list("status", flat=True)) == ["applied", "made", "made"]
    assert "0 temporary loss reports lapsed" in run("lapse-losses")
    assert "和平区" in run("coverage")


def test_reconcile_writes_a_report(tmp_path: Path):
    statement = tmp_path / "bank-2026-03-02.csv"
    statement.write_text("reference,amount\nPO-X,5.00\n")
    out = run("reconcile", str(statement), "--gateway", "bank", "--date", "2026-03-02")
    assert "DIFFERENCES" in out and "1 extra" in out
    assert "extra,PO-X,,5.00,unknown reference" in statement.with_suffix(".report.csv").read_text()


def test_command_errors_are_readable(tmp_path: Path):
    bad = tmp_path / "results.csv"
    bad.write_text("card_number,result\n")
    with pytest.raises(CommandError, match="lacks the columns batch"):
        run("results", str(bad))


def test_produce_with_nothing_waiting_writes_nothing(tmp_path: Path):
    """The daily job: a day without applications is no error, and no empty file."""
    assert "no card applications are waiting for production" in run("produce", "--dir", str(tmp_path))
    assert list(tmp_path.iterdir()) == []
