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


def test_import_killed_mid_run_then_rerun_is_exact(tmp_path, migrated_database):
    scratch_database = migrated_database
    var_dir = tmp_path / "var"
    var_dir.mkdir()
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
    _run(scratch_database, var_dir, "audit", "seal")
    assert "unsealed: 0 entries" in _run(scratch_database, var_dir, "audit", "verify")


# --- concurrent duplicates: two connections at the same instant (PostgreSQL) --------------------
#
# Already covered by the owners: one card per person when two card applications race
# (hrss/card/tests/test_concurrency.py). Not covered, and tested here: the same service-hall
# submission twice, the same payment-provider callback twice, the same bank file posted twice.


def _needs_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("two writing connections need PostgreSQL (SQLite's test database is in memory)")


def _race(*calls):
    """Run the calls in threads released together; each result is a value or the exception raised."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the outcome is what the test looks at
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a concurrent call hung"
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_application_submitted_twice_at_once_is_one_application():
    _needs_postgresql()
    from hrss.core import scope as roles
    from hrss.identity.auth import scope_for_user
    from hrss.servicehall import services
    from hrss.servicehall.models import Application
    from hrss.testing import make_person, make_user

    form = {"phone": "13800138000", "unemployed_since": "2026-10-01"}
    for attempt in range(3):
        # a person of their own each time: a second open application for the same item is
        # refused at submission (one open application per item and person)
        person = make_person(district="120101")
        user = make_user(f"race_citizen{attempt}", roles.CITIZEN, person=person)
        key = f"double-{attempt}"

        def submit(key=key, user=user):
            return services.application_submit(
                scope=scope_for_user(user),
                user=user,
                item_code="SH-JY-001",
                form_data=form,
                idempotency_key=key,
                channel="app",
            )

        results = _race(submit, submit)
        assert all(isinstance(result, tuple) for result in results), results
        (first, created_first), (second, created_second) = results
        assert first.pk == second.pk
        assert sorted([created_first, created_second]) == [False, True]
        assert Application.objects.filter(submitted_by=user, idempotency_key=key).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_payment_callback_delivered_twice_at_once_pays_once():
    _needs_postgresql()
    import json
    from decimal import Decimal

    from hrss.card.models import PaymentOrder
    from hrss.card.services import payments
    from hrss.core.models import AuditEntry
    from hrss.core.scope import Scope
    from hrss.testing import make_person

    person = make_person()
    holder = Scope(actor="holder", roles=frozenset({"citizen"}), person_id=person.pk)
    order = payments.payment_order_create(
        scope=holder,
        person=person,
        purpose="contribution",
        description="flexible",
        amount=Decimal("812.40"),
        method="third_party",
        period="2025-03",
    ).order
    assert order.status == PaymentOrder.Status.PENDING
    body = json.dumps({"reference": order.reference, "status": "paid", "amount": "812.40"}).encode()

    def notify():
        return payments.payment_notification_apply(gateway_name=order.gateway, body=body, headers={})

    results = _race(notify, notify, notify)
    assert all(isinstance(result, PaymentOrder) for result in results), results
    order.refresh_from_db()
    assert order.status == PaymentOrder.Status.PAID
    changes = AuditEntry.objects.filter(action="card.payment_status", object_id=order.reference)
    assert [record.detail["status"] for record in changes.order_by("pk")].count("paid") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_bank_file_posted_twice_at_once_is_posted_once():
    _needs_postgresql()
    import io
    from decimal import Decimal

    from hrss.core.errors import Conflict
    from hrss.insurance import rules, services
    from hrss.insurance.models import AccountEntry, Payment, PaymentFile
    from hrss.insurance.selectors import payments as payment_reads
    from hrss.insurance.tests.builders import clerk, employee
    from hrss.testing import make_employer

    march = dt.date(2025, 3, 1)
    employer = make_employer(name="并发单位")
    worker = employee(employer, wage=Decimal("9000"), name="并发职工")
    services.contribution_assess_month(period=march)
    due = rules.from_fen(payment_reads.due_fen(period=march, employer_id=employer.pk))
    data = f"credit_code,period,amount,paid_on,reference\n{employer.credit_code},2025-03,{due},2025-04-10,B1\n".encode()

    def post():
        return services.payment_file_post(scope=clerk(), stream=io.BytesIO(data), filename="bank.csv", source="bank")

    results = _race(post, post)
    posted = [result for result in results if isinstance(result, PaymentFile)]
    refused = [result for result in results if not isinstance(result, PaymentFile)]
    assert len(posted) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], Conflict), f"the second post should be a conflict, not {refused[0]!r}"
    assert PaymentFile.objects.count() == 1 and Payment.objects.count() == 1
    credits = AccountEntry.objects.filter(person=worker, kind="contribution", posted_on=march)
    assert credits.count() == 1, "the account was credited twice (or not at all)"


# --- the database connection cut under load (PostgreSQL) ----------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_requests_survive_the_database_connections_being_cut(tmp_path, migrated_database):
    """hrss serve (granian) on a scratch PostgreSQL database; while four clients send requests,
    every backend of that database is terminated three times (the server itself keeps
    running: other people's tests use it). During the cuts a request may fail, but only
    cleanly: a 5xx JSON error, never a hang; afterwards every request succeeds."""
    import threading

    import httpx

    scratch_database = migrated_database
    if not scratch_database.startswith("postgres://"):
        pytest.skip("terminating connections needs PostgreSQL")
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = hrss_command(
        scratch_database,
        var_dir,
        "serve",
        "--no-worker",
        "--workers",
        "1",
        "--port",
        str(port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    outcomes: list[tuple[float, str, int, str]] = []
    lock = threading.Lock()
    stop = threading.Event()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/v1/codes/districts", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not come up")

        def client(paths: list[str]) -> None:
            with httpx.Client(base_url=base, timeout=10) as http:
                while not stop.is_set():
                    for path in paths:
                        started = time.monotonic()
                        try:
                            response = http.get(path)
                            result = (started, path, response.status_code, response.headers.get("content-type", ""))
                        except httpx.TimeoutException:
                            result = (started, path, -1, "timeout")
                        except httpx.TransportError as error:
                            result = (started, path, 0, type(error).__name__)
                        with lock:
                            outcomes.append(result)

        paths = ["/api/v1/codes/districts", "/api/v1/servicehall/items", "/api/v1/card/catalogue"]
        threads = [threading.Thread(target=client, args=(paths[i % 3 :] + paths[: i % 3],)) for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        cuts = []
        terminated = 0
        for _cut in range(3):
            cuts.append(time.monotonic())
            terminated += len(
                _query(
                    scratch_database,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()",
                )
            )
            time.sleep(1.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads), "a client hung"
        after = [httpx.get(f"{base}{path}", timeout=10).status_code for path in paths * 5]
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    assert terminated >= 1, "no connection was cut"
    assert len(outcomes) > 50
    hung = [o for o in outcomes if o[2] == -1]
    unclean = [o for o in outcomes if o[2] >= 500 and "json" not in o[3]]
    other = [o for o in outcomes if o[2] not in (-1, 200) and not o[2] >= 500 and o[2] != 0]
    assert not hung, f"requests hung: {hung[:5]}"
    assert not unclean, f"failures without a JSON error: {unclean[:5]}"
    assert not other, f"unexpected answers: {other[:5]}"
    late = [o for o in outcomes if o[0] > cuts[-1] + 1.0 and o[2] != 200]
    assert not late, f"requests still failing a second after the last cut: {late[:5]}"
    assert after == [200] * len(after)
    failed = [o for o in outcomes if o[2] != 200]
    print(f"{len(outcomes)} requests during 3 cuts ({terminated} connections terminated): {len(failed)} failed cleanly")


def test_a_web_worker_that_dies_is_replaced(tmp_path, scratch_database):
    """hrss serve with two granian workers: one is SIGKILLed (as a crash in native code would
    end it); the other keeps answering, a replacement is spawned, and the server stays up."""
    import httpx
    import psutil

    var_dir = tmp_path / "var"
    var_dir.mkdir()  # no migration: the OpenAPI document needs no table
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w")
    server = hrss_command(
        scratch_database,
        var_dir,
        "serve",
        "--no-worker",
        "--no-scheduler",
        "--workers",
        "2",
        "--port",
        str(port),
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def workers() -> set[int]:
        # serve → granian (main) → its worker processes
        granian = [c for c in psutil.Process(server.pid).children() if "granian" in " ".join(c.cmdline())]
        return {w.pid for g in granian for w in g.children()}

    def answered(timeout: float = 5) -> bool:
        try:
            return httpx.get(f"{base}/api/v1/openapi.json", timeout=timeout).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        deadline = time.monotonic() + 60
        while not (answered() and len(workers()) == 2):
            assert time.monotonic() < deadline, "the server did not come up with two workers"
            time.sleep(0.2)
        before = workers()
        victim = min(before)
        psutil.Process(victim).send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 30
        while True:
            now = workers()
            if len(now) == 2 and victim not in now:
                break
            assert server.poll() is None, "hrss serve stopped when one worker died"
            assert time.monotonic() < deadline, f"no replacement worker: {now}"
            time.sleep(0.2)
        # Every request is answered; one the new worker takes while it still starts Django
        # may wait for it, which on a loaded CI machine took more than 5 s (a bound, not a figure).
        assert [answered(timeout=30) for _ in range(20)] == [True] * 20
        assert server.poll() is None
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    assert "Unexpected exit from worker" in (tmp_path / "serve.log").read_text()
