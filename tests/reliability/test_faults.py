"""Faults: a registry import killed mid-run (SIGKILL) and run again gives exactly the
result of one clean run — nothing lost, nothing doubled."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import time

import psycopg
import pytest

from hrss.testing import make_id_number
from tests.reliability.conftest import hrss_command

pytestmark = pytest.mark.django_db
ROWS = 3000


def _query(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as raw:
            return raw.execute(sql).fetchall()
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as raw:
        return raw.execute(sql).fetchall()


def _run(url, var_dir, *args, timeout=600):
    process = hrss_command(url, var_dir, *args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, out
    return out


def test_import_killed_mid_run_then_rerun_is_exact(tmp_path, scratch_database):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    _run(scratch_database, var_dir, "migrate", "--no-input", "-v", "0")
    districts = ["120101", "120102", "120103", "120116"]
    numbers = [make_id_number(districts[i % 4], dt.date(1950, 1, 1) + dt.timedelta(days=i)) for i in range(ROWS)]
    assert len(set(numbers)) == ROWS
    lines = ["id_number,name,household_district,residence_district"]
    lines += [f"{n},人员{i},{districts[i % 4]},{districts[i % 4]}" for i, n in enumerate(numbers)]
    lines.append("120101199001011230,坏行,120101,120101")  # one invalid row, reported each time
    path = tmp_path / "persons.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    victim = hrss_command(
        scratch_database,
        var_dir,
        "registry",
        "import",
        str(path),
        "--source",
        "public_security",
        "--batch-size",
        "100",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some batches, but not all, are committed
        time.sleep(0.05)
        try:
            done = _query(scratch_database, "SELECT COUNT(*) FROM registry_person")[0][0]
        except (sqlite3.OperationalError, psycopg.Error):
            continue
        if done >= 300:
            break
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    partial = _query(scratch_database, "SELECT COUNT(*) FROM registry_person")[0][0]
    assert 0 < partial < ROWS, "the import should have been killed part-way"
    assert partial % 100 == 0, "only whole batches are ever committed"

    out = _run(scratch_database, var_dir, "registry", "import", str(path), "--source", "public_security")
    assert (
        f"{ROWS + 1} rows: {ROWS - partial} created, 0 updated, {partial} unchanged, 0 sent to review, 1 invalid" in out
    )
    assert _query(scratch_database, "SELECT COUNT(*), COUNT(DISTINCT id_number_index) FROM registry_person")[0] == (
        ROWS,
        ROWS,
    )
    names = {row[0] for row in _query(scratch_database, "SELECT name FROM registry_person")}
    assert names == {f"人员{i}" for i in range(ROWS)}
    out = _run(scratch_database, var_dir, "registry", "import", str(path), "--source", "public_security")
    assert f"0 created, 0 updated, {ROWS} unchanged" in out
    _run(scratch_database, var_dir, "audit", "verify")
