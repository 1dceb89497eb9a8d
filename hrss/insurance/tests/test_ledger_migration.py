"""Migration 0006 folds per-insurance lines into months without losing or changing a line.

The test writes a month the way the old schema held it (one row per insurance; correction
revisions counted per insurance; account entries pointing at line ids), runs the
migration's own fold, and reads the ledger back through the view.
"""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection

from hrss.insurance import services
from hrss.insurance.models import AccountEntry, ContributionLine, ContributionMonth, Correction
from hrss.insurance.tests.builders import clerk, employee, flexible_worker
from hrss.testing import make_employer

pytestmark = pytest.mark.django_db

MARCH = dt.date(2025, 3, 1)
migration = importlib.import_module("hrss.insurance.migrations.0006_contribution_month")

FIELDS = (
    "period",
    "person_id",
    "employer_id",
    "insurance_type",
    "category",
    "kind",
    "revision",
    "base_fen",
    "employer_ppm",
    "individual_ppm",
    "employer_fen",
    "individual_fen",
    "account_fen",
    "run_id",
    "correction_id",
    "created_at",
)


def _old_table() -> None:
    uuid_type = "uuid" if connection.vendor == "postgresql" else "char(32)"
    stamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP VIEW {migration.OLD}")
        cursor.execute(
            f"CREATE TABLE {migration.OLD} (id bigint PRIMARY KEY, period date NOT NULL, "
            f"person_id {uuid_type} NOT NULL, employer_id {uuid_type}, insurance_type varchar(40) NOT NULL, "
            "category varchar(10) NOT NULL, kind varchar(10) NOT NULL, revision integer NOT NULL, "
            "base_fen bigint NOT NULL, employer_ppm integer NOT NULL, individual_ppm integer NOT NULL, "
            "employer_fen bigint NOT NULL, individual_fen bigint NOT NULL, account_fen bigint NOT NULL, "
            f"run_id {uuid_type}, correction_id {uuid_type}, created_at {stamp} NOT NULL)"
        )


def test_folding_old_lines_keeps_every_line_revision_and_account_link():
    firm = make_employer(name="老厂", industry="65")
    worker = employee(firm, wage=Decimal("9000"), name="老工人")
    rider = flexible_worker(base=Decimal("8355"), name="老骑手")
    services.contribution_assess_month(period=MARCH)
    # a pension and a medical correction: old revisions were per insurance (1 and 1)
    services.contribution_correct(
        scope=clerk(), person_id=worker.pk, period=MARCH, insurance_type="pension_enterprise",
        base=Decimal("9500"), reason="补报工资",
    )  # fmt: skip
    services.contribution_correct(
        scope=clerk(), person_id=worker.pk, period=MARCH, insurance_type="medical_employee",
        base=Decimal("9600"), reason="补报工资",
    )  # fmt: skip
    lines = list(ContributionLine.objects.order_by("id"))
    assert len(lines) == 4 + 1 + 2 + 2
    old_revision = {"pension_enterprise": 1, "medical_employee": 1}
    old = []
    for number, line in enumerate(lines, start=100):
        row = {field: getattr(line, field) for field in FIELDS}
        if line.correction_id:
            row["revision"] = old_revision[line.insurance_type]
        old.append((number, row))
    accounts = {}
    for number, row in old:
        if row["account_fen"]:
            entry = AccountEntry.objects.create(
                person_id=row["person_id"], kind="contribution", posted_on=MARCH, year=2025,
                amount_fen=row["account_fen"], line_id=number, created_at=row["created_at"],
            )  # fmt: skip
            accounts[entry.pk] = (row["person_id"], row["insurance_type"], row["kind"], row["account_fen"])
    expected = sorted(_key(row.get) for _n, row in old)
    Correction.objects.filter(insurance_type="medical_employee").update(revision=1)

    ContributionMonth.objects.all().delete()
    _old_table()
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * (len(FIELDS) + 1))
        for number, row in old:
            cursor.execute(
                f"INSERT INTO {migration.OLD} (id, {', '.join(FIELDS)}) VALUES ({placeholders})",  # noqa: S608
                [number, *(_prep(f, row[f]) for f in FIELDS)],
            )
    migration.fold_lines(None, SimpleNamespace(connection=connection))

    assert ContributionMonth.objects.filter(kind="assessed").count() == 2  # one per person and payer
    after = list(ContributionLine.objects.all())
    assert sorted(_key(lambda f, line=line: getattr(line, f)) for line in after) == expected
    # corrections renumbered per person and month, in their order, rows and records agreeing
    revisions = {c.insurance_type: c.revision for c in Correction.objects.filter(person=worker)}
    assert revisions == {"pension_enterprise": 1, "medical_employee": 2}
    for line in after:
        if line.correction_id:
            assert line.revision == revisions[line.insurance_type]
    # account entries follow their line
    for entry in AccountEntry.objects.select_related("line"):
        line = entry.line
        assert (line.person_id, line.insurance_type, line.kind, line.account_fen) == accounts[entry.pk]
    assert {e.line.person_id for e in AccountEntry.objects.select_related("line")} == {worker.pk, rider.pk}


def _key(get) -> tuple[str, ...]:
    """A line without what the fold may renumber (revision) or stamp differently."""
    return tuple(str(get(f)) for f in FIELDS if f not in ("revision", "created_at"))


def _prep(field: str, value):
    return ContributionLine._meta.get_field(field).get_db_prep_save(
        value.pk if hasattr(value, "pk") else value, connection
    )
