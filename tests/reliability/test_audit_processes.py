"""The audit log across real processes, on a scratch database of the test database's kind:

- the sealer is SIGKILLed part-way through a backlog; a second run seals the rest, and the
  whole chain verifies with every entry in it once (nothing lost, nothing sealed twice);
- several writer processes append while two sealers run: every entry ends up in one
  unbroken chain.

Every wait is bounded; every process started here is stopped here.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest

from tests.reliability.conftest import hrss_command

BACKLOG = 60_000
BATCH = 1_000
WRITERS, PER_WRITER = 3, 150


def _query(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as raw:
            return raw.execute(sql).fetchall()
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as raw:
        return raw.execute(sql).fetchall()


def _run(url: str, var_dir: Path, *args: str) -> str:
    process = hrss_command(url, var_dir, *args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 0, out
    return out


def _backlog(url: str, rows: int) -> None:
    """Appended, unsealed entries, written straight into the table (as many requests would)."""
    values = [
        ("2026-01-01 00:00:00+00:00", "clerk", "counter_clerk", "registry.person.read", "person", str(i), "", "{}", "")
        for i in range(rows)
    ]
    sql = (
        "INSERT INTO core_auditentry (at, actor, actor_role, action, object_type, object_id, purpose, detail, "
        "prev_hash) VALUES ({})"
    )
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as raw:
            raw.executemany(sql.format(", ".join(["?"] * 9)), values)
        return
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as raw, raw.cursor() as cursor:
        cursor.executemany(sql.format(", ".join(["%s"] * 9)), values)


@pytest.fixture
def migrated(tmp_path: Path, migrated_database: str) -> tuple[str, Path]:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    return migrated_database, var_dir


def test_a_sealer_killed_mid_batch_loses_nothing_and_the_next_run_completes_the_chain(migrated):
    url, var_dir = migrated
    _backlog(url, BACKLOG)
    victim = hrss_command(
        url, var_dir, "audit", "seal", "--batch-size", str(BATCH), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some batches, but not all, are committed
        time.sleep(0.02)
        try:
            sealed = _query(url, "SELECT COUNT(*) FROM core_auditentry WHERE chain_seq IS NOT NULL")[0][0]
        except (sqlite3.OperationalError, psycopg.Error):
            continue
        if sealed >= 2 * BATCH:
            break
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    sealed = _query(url, "SELECT COUNT(*) FROM core_auditentry WHERE chain_seq IS NOT NULL")[0][0]
    assert 0 < sealed < BACKLOG, "the sealer should have been killed part-way"
    assert sealed % BATCH == 0, "only whole batches are ever sealed"
    assert "audit chain intact" in _run(url, var_dir, "audit", "verify")

    _run(url, var_dir, "audit", "seal", "--batch-size", str(BATCH))
    out = _run(url, var_dir, "audit", "verify")
    assert f"intact: {BACKLOG} entries" in out and "unsealed: 0 entries" in out
    assert _query(
        url, "SELECT COUNT(*), COUNT(DISTINCT chain_seq), MIN(chain_seq), MAX(chain_seq) FROM core_auditentry"
    )[0] == (BACKLOG, BACKLOG, 1, BACKLOG)


WRITER = textwrap.dedent(
    """
    import sys, django
    django.setup()
    from django.db import transaction
    from hrss.core.audit import audit_record
    for i in range(int(sys.argv[2])):
        with transaction.atomic():
            audit_record(actor="writer" + sys.argv[1], action="test.append", object_id=str(i))
    """
)


def test_writers_in_several_processes_and_two_sealers_make_one_unbroken_chain(migrated):
    import os

    url, var_dir = migrated
    env = {
        **os.environ,
        "HRSS_DATABASE_URL": url,
        "HRSS_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "hrss.settings",
    }
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(n), str(PER_WRITER)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for n in range(WRITERS)
    ]
    sealers: list[subprocess.Popen] = []
    try:
        while any(writer.poll() is None for writer in writers):
            sealers = [s for s in sealers if s.poll() is None]
            while len(sealers) < 2:  # two sealers at once, again and again while the writers append
                sealers.append(
                    hrss_command(url, var_dir, "audit", "seal", "--batch-size", "50", stdout=subprocess.DEVNULL)
                )
            time.sleep(0.1)
        for writer in writers:
            out, _ = writer.communicate(timeout=300)
            assert writer.returncode == 0, out
        for sealer in sealers:
            assert sealer.wait(timeout=300) == 0
    finally:
        for process in [*writers, *sealers]:
            if process.poll() is None:
                process.kill()
    _run(url, var_dir, "audit", "seal")
    total = WRITERS * PER_WRITER
    out = _run(url, var_dir, "audit", "verify")
    assert f"intact: {total} entries" in out and "unsealed: 0 entries" in out
    per_writer = _query(url, "SELECT actor, COUNT(*) FROM core_auditentry GROUP BY actor ORDER BY actor")
    assert per_writer == [(f"writer{n}", PER_WRITER) for n in range(WRITERS)]
