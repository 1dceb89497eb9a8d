"""The lake export: de-identified, incremental, and a rerun writes nothing twice."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from hrss.analytics import lake
from hrss.core.errors import Conflict
from hrss.insurance.tests.builders import assess


def _files(root):
    return sorted(p for p in root.rglob("*.parquet"))


def _strings(root) -> set[str]:
    found: set[str] = set()
    for path in _files(root):
        table = pq.read_table(path)
        for column in table.columns:
            found.update(str(value) for value in column.to_pylist() if value is not None)
    return found


def test_the_apps_declare_their_tables():
    assert {"persons", "employers", "employments", "contributions"} <= set(lake.tables())


def test_the_lake_holds_no_registry_plaintext(city, lake_root):
    lake.export()
    assert _files(lake_root)
    strings = _strings(lake_root)
    raw = b"".join(path.read_bytes() for path in _files(lake_root))
    for person in city.persons:
        secrets = [person.name, person.id_number, str(person.pk), person.pk.hex]
        if getattr(person, "phone", ""):
            secrets.append(person.phone)
        for secret in secrets:
            assert secret not in strings, secret
            assert secret.encode() not in raw, secret
    for firm in (city.factory, city.shop):
        for secret in (firm.name, firm.credit_code, str(firm.pk)):
            assert secret not in strings, secret
            assert secret.encode() not in raw, secret


def test_a_person_is_one_pseudonym_in_every_table(city, lake_root):
    lake.export()
    persons = pq.read_table(lake.table_files(lake_root, "persons")).to_pylist()
    contributions = pq.read_table(lake.table_files(lake_root, "contributions")).to_pylist()
    assert {row["person"] for row in persons} >= {row["insured"] for row in contributions}
    assert len({row["insured"] for row in contributions}) == 3
    cohorts = sorted(row["birth_cohort"] for row in persons)
    assert cohorts == [1980, 1990, 2000]


def test_a_rerun_writes_nothing_and_new_months_only_append(city, lake_root):
    first = {r.name: r for r in lake.export()}
    assert first["contributions"].rows > 0
    before = {path: path.stat().st_mtime_ns for path in _files(lake_root)}

    again = lake.export()
    assert all(result.skipped and result.rows == 0 for result in again)
    assert {path: path.stat().st_mtime_ns for path in _files(lake_root)} == before

    assess(dt.date(2025, 4, 1), 1)
    third = {r.name: r for r in lake.export()}
    assert third["contributions"].rows == 2  # 甲 and 丙 in April
    assert third["persons"].skipped
    after = _files(lake_root)
    assert set(before) < set(after)
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in before.items())
    new = [path for path in after if path not in before]
    assert {path.parent.parent.name for path in new} == {"2025-04"}
    manifest = lake.read_manifest(lake_root)
    total = sum(item["rows"] for item in manifest["tables"]["contributions"]["files"])
    assert total == first["contributions"].rows + 2


def test_a_changed_person_rewrites_the_snapshot_only(city, lake_root):
    lake.export()
    old = lake.table_files(lake_root, "persons")
    person = city.persons[0]
    person.education_id = "20"
    person.save()
    results = {r.name: r for r in lake.export()}
    assert not results["persons"].skipped and results["contributions"].skipped
    new = lake.table_files(lake_root, "persons")
    assert new != old and all(not path.exists() for path in old)


def test_another_key_refuses_to_mix_pseudonyms(city, lake_root, settings):
    lake.export()
    settings.HRSS_LAKE_KEY = "A" * 43 + "="
    with pytest.raises(Conflict):
        lake.export()
    rebuilt = {r.name: r for r in lake.export(rebuild=True)}
    assert rebuilt["contributions"].rows > 0


def test_the_command_exports_and_says_so(city, lake_root, capsys):
    call_command("lake", "export")
    out = capsys.readouterr().out
    assert "contributions" in out and "rows" in out
    call_command("lake", "export")
    assert "unchanged" in capsys.readouterr().out
