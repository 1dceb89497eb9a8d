"""What every benchmark shares: scratch databases, subprocesses, medians, machine facts."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORK = Path(os.environ.get("HRSS_VAR_DIR", REPO / "var")) / "bench"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/hrss_bench"


@dataclass(frozen=True)
class Scale:
    name: str
    persons: int
    employers: int
    months: int
    repeat: int
    lookup_seconds: int
    lookup_connections: int = 8
    seed: int = 2020


SCALES = {
    # a minute-long check that the harness itself works (figures meaningless)
    "smoke": Scale("smoke", persons=3_000, employers=150, months=12, repeat=1, lookup_seconds=3),
    "small": Scale("small", persons=100_000, employers=5_000, months=12, repeat=3, lookup_seconds=10),
    "large": Scale("large", persons=1_000_000, employers=50_000, months=24, repeat=3, lookup_seconds=20),
    # the whole city of the mission (14 million people): once, on PostgreSQL; not in `make bench`
    "city": Scale("city", persons=14_000_000, employers=700_000, months=12, repeat=1, lookup_seconds=20),
}


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def migrations_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(REPO.glob("hrss/**/migrations/*.py")):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def run(args: Sequence[str], *, env: dict[str, str], timeout: float = 3600) -> str:
    """Run a command from the repository root; its stdout, or an error with its output."""
    result = subprocess.run(list(args), cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    return result.stdout


def run_json(args: Sequence[str], *, env: dict[str, str], timeout: float = 3600) -> Any:
    out = run(args, env=env, timeout=timeout)
    return json.loads(out.strip().splitlines()[-1])


def hrss(*args: str) -> list[str]:
    return [PYTHON, "-m", "hrss.cli", *args]


def dbtools(*args: str) -> list[str]:
    return [PYTHON, "-m", "bench.dbtools", *args]


@dataclass
class Database:
    """A scratch database for benchmarks, emptied between runs."""

    kind: str  # "postgresql" | "sqlite"
    url: str
    template_url: str
    notes: list[str] = field(default_factory=list)
    _kept: set[str] | None = None  # PostgreSQL: the tables a reset keeps (set by prepare_template)

    @classmethod
    def postgresql(cls, url: str = DEFAULT_PG_URL) -> Database:
        name = urlsplit(url).path.lstrip("/")
        if name in ("", "postgres", "template0", "template1", "test"):
            raise ValueError(f"refusing to use {name!r} as a scratch benchmark database")
        return cls("postgresql", url, url)

    @classmethod
    def sqlite(cls) -> Database:
        WORK.mkdir(parents=True, exist_ok=True)
        return cls("sqlite", f"sqlite:///{WORK / 'bench.sqlite3'}", f"sqlite:///{WORK / 'template.sqlite3'}")

    def env(self, url: str | None = None, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update({"HRSS_DATABASE_URL": url or self.url, "PYTHONPATH": str(REPO), **extra})
        return env

    @property
    def name(self) -> str:
        """The PostgreSQL database name, or the SQLite file path."""
        return _name(self.url)

    # -- PostgreSQL administration through the maintenance database
    def _admin(self, statement: str) -> None:
        import psycopg

        admin = urlunsplit(urlsplit(self.url)._replace(path="/postgres"))
        # CREATE DATABASE can wait on other sessions of a shared cluster: fail instead of hanging.
        with psycopg.connect(admin, autocommit=True, options="-c statement_timeout=60000") as conn:
            conn.execute(statement)

    def _pg_exists(self, name: str) -> bool:
        import psycopg

        admin = urlunsplit(urlsplit(self.url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None

    def prepare_template(self) -> None:
        """Make the scratch database ready: migrated (PostgreSQL) or an empty migrated template (SQLite).

        PostgreSQL databases are never dropped between runs: ``DROP DATABASE`` waits for
        every backend of the cluster to acknowledge a barrier, which a stuck session of
        someone else's can hold up indefinitely. They are emptied with ``TRUNCATE``.
        """
        WORK.mkdir(parents=True, exist_ok=True)
        if self.kind == "postgresql":
            if not self._pg_exists(self.name):
                self._admin(f'CREATE DATABASE "{self.name}"')
            run(hrss("migrate", "--no-input", "-v", "0"), env=self.env(), timeout=1800)
            # What the migrations load (code tables, reference data) is what a reset keeps: the
            # tables a freshly migrated SQLite template has rows in.
            Database.sqlite().prepare_template()
            self._kept = Database.sqlite().migrated_tables()
            return
        stamp = WORK / f"template-{self.kind}.fingerprint"
        fingerprint = migrations_fingerprint()
        template_name = _name(self.template_url)
        if Path(template_name).exists() and stamp.exists() and stamp.read_text() == fingerprint:
            return
        for suffix in ("", "-wal", "-shm"):
            Path(template_name + suffix).unlink(missing_ok=True)
        run(hrss("migrate", "--no-input", "-v", "0"), env=self.env(self.template_url), timeout=1800)
        stamp.write_text(fingerprint)

    def migrated_tables(self) -> set[str]:
        """The tables the migrations alone fill (rows in the SQLite template)."""
        with sqlite3.connect(_name(self.template_url)) as template:
            tables = [name for (name,) in template.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {name for name in tables if template.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()}  # noqa: S608 - names from the catalogue

    def reset(self) -> None:
        """Back to what the migrations left: every table emptied but those the migrations fill
        (code tables, reference data; PostgreSQL), or a copy of the migrated template (SQLite).
        Tables without foreign keys (the contribution ledger, payment files) are emptied too:
        a reset that left them made the next run's synth find its months assessed and paid."""
        if self.kind == "postgresql":
            import psycopg
            import psycopg.sql

            kept = self._kept if self._kept is not None else Database.sqlite().migrated_tables()
            with psycopg.connect(self.url, autocommit=True) as conn:
                tables = [
                    name
                    for (name,) in conn.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
                    ).fetchall()
                    if name not in kept
                ]
                if tables:
                    names = psycopg.sql.SQL(", ").join(psycopg.sql.Identifier(name) for name in tables)
                    conn.execute(psycopg.sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(names))
            return
        target = Path(self.name)
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        source = sqlite3.connect(_name(self.template_url))
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)
        source.close()
        destination.close()

    def server_version(self) -> str:
        if self.kind == "sqlite":
            return f"SQLite {sqlite3.sqlite_version}"
        import psycopg

        with psycopg.connect(self.url) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            settings: dict[str, str] = dict(
                conn.execute(
                    "SELECT name, setting FROM pg_settings WHERE name IN "
                    "('shared_buffers', 'max_wal_size', 'synchronous_commit', 'wal_level', 'max_parallel_maintenance_workers')"
                ).fetchall()
            )
        return f"PostgreSQL {row[0] if row else '?'} {json.dumps(settings, sort_keys=True)}"


def _name(url: str) -> str:
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///") :]
    return urlsplit(url).path.lstrip("/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def machine() -> dict[str, Any]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = f"{int(meminfo.read_text().split()[1]) / 1024 / 1024:.1f} GiB"
    return {
        "host": platform.node(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "load_average": list(os.getloadavg()),
    }


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("django", "django-ninja", "granian", "psycopg", "numpy", "polars", "cryptography"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            continue
    wrk = shutil.which("wrk")
    if wrk:
        found["wrk"] = (
            subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False).stdout.split("[")[0].strip()
        )
    with contextlib.suppress(OSError):
        found["git"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip()
    return found


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started
