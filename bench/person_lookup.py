"""person-lookup: a person by ID number through the HTTP API, against two baselines.

The city is loaded (``hrss synth`` at the scale's size, unless the database already holds
as many persons); a city-wide counter clerk gets a bearer token. granian serves hrss with
the production layout (WSGI, 2 workers, 4 blocking threads each, DEBUG off, persistent
database connections) plus the baselines of ``bench.urls_bench``: ``/bench/bare`` (constant
JSON through the same middleware) and ``/bench/limit/<id>`` (the same token check, person
read and audit append as hand-written SQL: the limit of an audited lookup on this stack).
A separate load-generator process (``wrk``, else ``bench.loadgen``) keeps ``connections``
requests in flight for ``lookup_seconds``, alternating API, bare and limit runs.

Every staff read of a person appends an audit entry (one INSERT, committed before the
answer leaves; the sealer chains entries later): that cost is part of the figure, and the
run reports the audit entries it wrote.
"""

from __future__ import annotations

import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import PYTHON, REPO, WORK, Database, Scale, dbtools, free_port, median, run_json
from bench.loadgen import run_load
from bench.synth_load import synth

NAME = "person-lookup"
SAMPLE = 20_000
WARM_UP_SECONDS = 3
WORKERS, BLOCKING_THREADS = 2, 4


def _start_server(db: Database, port: int, log: Path) -> subprocess.Popen[bytes]:
    granian = str(Path(PYTHON).with_name("granian"))
    args = [
        granian,
        "--interface",
        "wsgi",
        "--workers",
        str(WORKERS),
        "--blocking-threads",
        str(BLOCKING_THREADS),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-ws",
        "hrss.wsgi:application",
    ]
    env = db.env(DJANGO_SETTINGS_MODULE="bench.settings_bench", HRSS_DEBUG="0")
    with log.open("wb") as handle:
        return subprocess.Popen(args, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT)


def _wait_ready(base: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"granian exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/bench/bare", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"granian did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def measure(db: Database, scale: Scale, say: Callable[[str], None]) -> dict[str, Any]:
    WORK.mkdir(parents=True, exist_ok=True)
    counts = run_json(dbtools("counts"), env=db.env()) if _migrated(db) else {"persons": 0}
    if counts["persons"] != scale.persons:  # a city of another scale is reloaded: figures are per size
        say(f"{NAME} {db.kind}: loading a city of {scale.persons:,} persons")
        db.reset()
        synth(db, scale)
    token = run_json(dbtools("staff-token"), env=db.env())["token"]
    api_paths, bare_paths = WORK / f"lookup-paths-{db.kind}.txt", WORK / "bare-paths.txt"
    limit_paths = WORK / f"limit-paths-{db.kind}.txt"
    run_json(dbtools("sample-ids", str(SAMPLE), str(api_paths)), env=db.env())
    bare_paths.write_text("/bench/bare\n")
    limit_paths.write_text(api_paths.read_text().replace("/api/v1/registry/persons/", "/bench/limit/"))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = WORK / f"granian-{db.kind}.log"
    server = _start_server(db, port, log)
    api_runs: list[dict[str, Any]] = []
    bare_runs: list[dict[str, Any]] = []
    limit_runs: list[dict[str, Any]] = []
    single_runs: list[dict[str, Any]] = []  # one request in flight: latency without queueing
    try:
        _wait_ready(base, server, log)
        load = {"base": base, "token": token, "connections": scale.lookup_connections}
        say(f"{NAME} {db.kind}: warming up")
        run_load(paths=api_paths, seconds=WARM_UP_SECONDS, **load)
        run_load(paths=bare_paths, seconds=WARM_UP_SECONDS, **load)
        run_load(paths=limit_paths, seconds=WARM_UP_SECONDS, **load)
        before = run_json(dbtools("counts"), env=db.env())
        for attempt in range(scale.repeat):
            say(
                f"{NAME} {db.kind}: {scale.lookup_seconds} s of lookups, then of the bare endpoint, "
                f"then of the hand-written limit ({attempt + 1}/{scale.repeat})"
            )
            api_runs.append(run_load(paths=api_paths, seconds=scale.lookup_seconds, **load))
            bare_runs.append(run_load(paths=bare_paths, seconds=scale.lookup_seconds, **load))
            limit_runs.append(run_load(paths=limit_paths, seconds=scale.lookup_seconds, **load))
        for attempt in range(scale.repeat):
            say(f"{NAME} {db.kind}: lookups one at a time ({attempt + 1}/{scale.repeat})")
            light = {**load, "connections": 1}
            single_runs.append(run_load(paths=api_paths, seconds=max(3, scale.lookup_seconds // 2), **light))
    finally:
        _stop(server)
    after = run_json(dbtools("counts"), env=db.env())
    variant = _without_synchronous_commit(db, scale, token, api_paths, say) if db.kind == "postgresql" else None
    failed = sum(r["non_2xx"] + r["socket_errors"] for r in api_runs + bare_runs + limit_runs + single_runs)
    if failed:
        raise RuntimeError(f"{failed} requests failed during {NAME} on {db.kind}: see {log}")
    api_requests = sum(r["requests"] for r in api_runs + single_runs)
    limit_requests = sum(r["requests"] for r in limit_runs)
    figures = {key: median([r[key] for r in api_runs]) for key in ("p50_ms", "p99_ms", "rps")}
    baselines = {key: median([r[key] for r in bare_runs]) for key in ("p50_ms", "p99_ms", "rps")}
    limits = {key: median([r[key] for r in limit_runs]) for key in ("p50_ms", "p99_ms", "rps")}
    return {
        "name": NAME,
        "database": db.kind,
        "figures": figures,
        "baselines": baselines,
        "ratios": {key: figures[key] / baselines[key] for key in figures},
        "limits": limits,
        "limit_ratios": {key: figures[key] / limits[key] for key in figures},
        "extra": {
            "persons": before["persons"],
            "audit entries per lookup": (after["audit_entries"] - before["audit_entries"] - limit_requests)
            / api_requests,
            "server": f"granian wsgi, {WORKERS} workers x {BLOCKING_THREADS} threads, DEBUG off",
            "load": f"{api_runs[0]['tool']}, {scale.lookup_connections} connections, {scale.lookup_seconds} s per run",
            "one request at a time: p50_ms": median([r["p50_ms"] for r in single_runs]),
            "one request at a time: p99_ms": median([r["p99_ms"] for r in single_runs]),
            "one request at a time: rps": median([r["rps"] for r in single_runs]),
            **(variant or {}),
        },
        "runs": api_runs,
        "baseline_runs": bare_runs,
        "limit_runs": limit_runs,
        "single_runs": single_runs,
    }


def _without_synchronous_commit(
    db: Database, scale: Scale, token: str, api_paths: Path, say: Callable[[str], None]
) -> dict[str, float]:
    """The same lookups with ``synchronous_commit = off``: how much the audit chain's durable commit costs.

    Each audited read commits while holding the chain's advisory lock, so reads queue
    behind one WAL flush each. Not a recommendation: a crash could lose the last moments
    of read-audit entries (a suffix of the chain, so it still verifies).
    """
    import psycopg

    with psycopg.connect(db.url, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{db.name}" SET synchronous_commit = off')
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = WORK / f"granian-{db.kind}-async.log"
    server = _start_server(db, port, log)
    runs = []
    try:
        _wait_ready(base, server, log)
        load = {"base": base, "token": token, "connections": scale.lookup_connections}
        run_load(paths=api_paths, seconds=WARM_UP_SECONDS, **load)
        for attempt in range(scale.repeat):
            say(f"{NAME} {db.kind}: lookups with synchronous_commit off ({attempt + 1}/{scale.repeat})")
            runs.append(run_load(paths=api_paths, seconds=scale.lookup_seconds, **load))
    finally:
        _stop(server)
        with psycopg.connect(db.url, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{db.name}" RESET synchronous_commit')
    return {
        f"with synchronous_commit off: {key}": median([r[key] for r in runs]) for key in ("p50_ms", "p99_ms", "rps")
    }


def _migrated(db: Database) -> bool:
    if db.kind == "sqlite":
        return Path(db.name).exists()
    import psycopg

    try:
        with psycopg.connect(db.url) as conn:
            return conn.execute("SELECT to_regclass('registry_person')").fetchone()[0] is not None  # type: ignore[index]
    except psycopg.OperationalError:
        return False
