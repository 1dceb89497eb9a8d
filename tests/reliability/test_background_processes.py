"""The task worker and the scheduler as the real, separate processes ``hrss serve`` starts.

Against a database the test prepares with ``migrate`` (a file-based SQLite database, or a
scratch PostgreSQL database under ``HRSS_DATABASE_URL``):

- ``hrss demo`` queues its messages; the real ``db_worker`` delivers every one (the bug
  this catches: the worker failed every hall message with "unknown template", because the
  templates were registered only in the web process on first use);
- every scheduled job, enqueued twice and run by the worker, has the same outcome;
- two ``hrss schedule start`` processes: one fires (the lease), a run missed while no
  scheduler ran is enqueued once, and both stop cleanly.

Every wait is bounded; every process started here is stopped here.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.reliability.conftest import hrss_command

pytestmark = pytest.mark.django_db
DELIVER = "hrss.notify.tasks.deliver_message"
JOB_TASK = "hrss.core.tasks.scheduled_job_run"
# The lake export last: it snapshots what the other jobs change (the card jobs touch the cards
# it extracts), so run before them its second run would rightly find a new snapshot to write.
JOBS = (
    "analytics.early_warning",
    "card.lapse_losses",
    "card.produce",
    "credit.collect",
    "employment.index_rebuild",
    "employment.special_groups_review",
    "employment.vacancies_expire",
    "insurance.crosscheck",
    "insurance.remind",
    "medical.insured_sync",
    "medical.accounts_credit",
    "medical.monitor",
    "servicehall.escalate",
    "analytics.lake_export",
)
WAIT = 180  # seconds: a bound, never a pass/fail figure


def _query(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as raw:
            return raw.execute(sql).fetchall()
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as raw:
        return raw.execute(sql).fetchall()


def _run(url: str, var_dir: Path, *args: str, timeout: int = 600) -> str:
    process = hrss_command(url, var_dir, *args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert process.returncode == 0, out
    return out


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out or ""


def _tasks(url: str, path: str) -> dict[str, int]:
    # path is one of this module's constants
    sql = f"SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult WHERE task_path = '{path}' GROUP BY status"  # noqa: S608
    return dict(_query(url, sql))


def _wait_until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory, migrated_template: Any) -> Iterator[tuple[str, Path]]:
    """A migrated database (the session's template copied) with the demo in it, shared by the
    tests of this module (in order)."""
    root = tmp_path_factory.mktemp("background")
    var_dir = root / "var"
    var_dir.mkdir()
    url = migrated_template.copy(root)
    _run(url, var_dir, "demo")
    yield url, var_dir
    migrated_template.drop(url)


def _worker(url: str, var_dir: Path, *extra: str) -> subprocess.Popen:
    return hrss_command(
        url,
        var_dir,
        "db_worker",
        "--queue-name",
        "*",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.2",
        *extra,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_the_worker_process_delivers_every_demo_message_through_the_recording_backend(database):
    url, var_dir = database
    queued = _query(url, "SELECT COUNT(*) FROM notify_outboundmessage WHERE status = 'queued'")[0][0]
    assert queued > 0, "the demo sends messages"
    assert _tasks(url, DELIVER) == {"READY": queued}  # the demo process only enqueued them

    worker = _worker(url, var_dir)
    try:
        _wait_until(lambda: set(_tasks(url, DELIVER)) - {"SUCCESSFUL", "FAILED"} == set(), "the worker to finish")
    finally:
        log = _stop(worker)
    assert _tasks(url, DELIVER) == {"SUCCESSFUL": queued}, log
    assert "unknown template" not in log.lower()
    by_status = dict(_query(url, "SELECT status, COUNT(*) FROM notify_outboundmessage GROUP BY status"))
    assert by_status == {"sent": queued}, by_status
    sms = _query(url, "SELECT backend, provider_id FROM notify_outboundmessage WHERE channel = 'sms'")
    assert sms, "the demo texts applicants"
    assert {backend for backend, _id in sms} == {"hrss.notify.backends.RecordingBackend"}
    assert all(provider_id.startswith("recorded-") for _backend, provider_id in sms)
    assert "recorded sms to" in log  # the recording backend itself ran, in the worker


def _job_runs(url: str) -> list[tuple[str, str, dict]]:
    rows = _query(url, "SELECT job, outcome, counts FROM core_jobrun ORDER BY id")
    return [(job, outcome, counts if isinstance(counts, dict) else json.loads(counts)) for job, outcome, counts in rows]


def _state(url: str) -> list[tuple]:
    return [
        *_query(url, "SELECT template, status, COUNT(*) FROM notify_outboundmessage GROUP BY template, status"),
        *_query(url, "SELECT status, COUNT(*) FROM card_card GROUP BY status"),
        *_query(url, "SELECT escalation_level, state, COUNT(*) FROM servicehall_workitem GROUP BY 1, 2"),
        *_query(url, "SELECT COUNT(*) FROM insurance_enrolmentreminder"),
        *_query(url, "SELECT COUNT(*) FROM servicehall_application WHERE overdue"),
        *_query(url, "SELECT rule, status, COUNT(*) FROM medical_monitoringflag GROUP BY 1, 2"),
        *_query(url, "SELECT period, basis, COUNT(*) FROM medical_accountcredit GROUP BY 1, 2"),
        *_query(url, "SELECT category_id, region, COUNT(*) FROM medical_insured GROUP BY 1, 2"),
        *_query(url, "SELECT rule, status, COUNT(*) FROM analytics_earlywarning GROUP BY 1, 2"),
        *_query(url, "SELECT status, COUNT(*) FROM employment_vacancy GROUP BY status"),
    ]


def test_every_job_enqueued_twice_runs_in_the_worker_with_the_same_outcome(database):
    url, var_dir = database
    states = []
    for _round in range(2):
        for job in JOBS:
            _run(url, var_dir, "schedule", "run", job, "--enqueue")
        _run(url, var_dir, "db_worker", "--queue-name", "*", "--batch", "--no-reload", "--no-startup-delay")
        states.append(_state(url))
    assert states[0] == states[1]
    assert _tasks(url, JOB_TASK) == {"SUCCESSFUL": 2 * len(JOBS)}
    assert set(_tasks(url, DELIVER)) == {"SUCCESSFUL"}  # whatever the jobs sent was delivered
    runs = _job_runs(url)
    assert sorted(job for job, _o, _c in runs) == sorted(JOBS * 2)
    assert {outcome for _j, outcome, _c in runs} == {"succeeded"}
    second = runs[len(JOBS) :]
    assert all(value == 0 for _job, _o, counts in second for value in counts.values()), second


def test_the_worker_seals_the_audit_log_the_demo_and_the_jobs_wrote(database):
    url, var_dir = database
    assert _query(url, "SELECT COUNT(*) FROM core_auditentry WHERE chain_seq IS NULL")[0][0] > 0
    _run(url, var_dir, "schedule", "run", "core.audit_seal", "--enqueue")
    _run(url, var_dir, "db_worker", "--queue-name", "*", "--batch", "--no-reload", "--no-startup-delay")
    assert _query(url, "SELECT COUNT(*) FROM core_auditentry WHERE chain_seq IS NULL")[0][0] == 0
    sealed = _query(url, "SELECT COUNT(*) FROM core_auditentry")[0][0]
    out = _run(url, var_dir, "audit", "verify")
    assert f"intact: {sealed} entries" in out and "unsealed: 0 entries" in out


def test_two_schedulers_one_fires_and_a_missed_run_is_enqueued_once(database):
    url, var_dir = database
    # card.lapse_losses last ran three days ago: its 00:10 runs since were missed (no scheduler ran).
    _run(
        url,
        var_dir,
        "shell",
        "-c",
        "import datetime as dt; from django.utils import timezone; from hrss.core.models import JobRun; "
        "old = timezone.now() - dt.timedelta(days=3); "
        "JobRun.objects.filter(job='card.lapse_losses').update(started_at=old, finished_at=old)",
    )
    before = sum(_tasks(url, JOB_TASK).values())
    schedulers = [
        hrss_command(
            url,
            var_dir,
            "schedule",
            "start",
            "--lease-seconds",
            "30",  # renewed every 10 s: a holder slowed down by a loaded machine keeps it
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        _wait_until(lambda: sum(_tasks(url, JOB_TASK).values()) > before, "the catch-up run to be enqueued")
        # Each tries for the lease as soon as it is up; give the slower one time for its try
        # (if it had not tried yet this test could only pass wrongly, never fail wrongly).
        _wait_until(lambda: all(p.poll() is None for p in schedulers), "both schedulers running")
        time.sleep(4)
        holder = _query(url, "SELECT holder FROM core_schedulerlease")[0][0]
        # core.audit_seal fires every minute and may be enqueued meanwhile: only the card job counts
        caught_up = [
            row
            for row in _query(
                url,
                f"SELECT args_kwargs FROM django_tasks_database_dbtaskresult WHERE task_path = '{JOB_TASK}' "  # noqa: S608
                "AND status = 'READY'",
            )
            if "card.lapse_losses" in str(row[0])
        ]
    finally:
        logs = [_stop(p) for p in schedulers]
    assert len(caught_up) == 1, (caught_up, logs)
    assert "card.lapse_losses" in str(caught_up[0][0])
    assert sum("firing" in log for log in logs) == 1, logs  # one scheduler fired, the other waited
    assert any(str(p.pid) in holder for p in schedulers)
    assert [p.returncode for p in schedulers] == [0, 0], logs
    assert _query(url, "SELECT holder FROM core_schedulerlease")[0][0] == ""  # released on stop


def test_hrss_serve_starts_the_scheduler_with_the_worker_and_ctrl_c_stops_all(database):
    import socket
    import urllib.request

    url, var_dir = database
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serve = hrss_command(
        url,
        var_dir,
        "serve",
        "--port",
        str(port),
        "--workers",
        "1",
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until(lambda: _query(url, "SELECT holder FROM core_schedulerlease")[0][0] != "", "the scheduler's lease")

        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False

        _wait_until(answers, "the web server")
    finally:
        if serve.poll() is None:
            serve.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            log, _ = serve.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()
            raise
    assert serve.returncode == 0, log
    assert "hrss stopped." in log and "scheduler stopped." in log
    assert _query(url, "SELECT holder FROM core_schedulerlease")[0][0] == ""  # the scheduler let go of the lease
