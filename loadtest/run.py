"""``make loadtest``: a small synthetic city, the production server, and the locust scenario.

1. a scratch SQLite database in a temporary folder: ``hrss migrate``, ``hrss synth``;
2. accounts and API tokens for citizens and counter clerks (``loadtest/prepare.py``);
3. ``hrss serve`` (granian, 2 workers, no task worker) on a free loopback port;
4. locust, headless, for the stated users and time; then the figures: requests, throughput,
   latency percentiles and errors, overall and per request kind.

Exits 1 if any request failed (the target is zero errors). Only loopback is ever addressed.

    .venv/bin/python loadtest/run.py --users 20 --duration 60
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _hrss(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "hrss"), *args], env=env, check=True, cwd=ROOT)  # noqa: S603


def _wait_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback only
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not come up at {url}")


def _summary(stats_csv: Path, users: int, duration: int) -> int:
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print()
    print(f"load test: {users} users for {duration} s against hrss serve (granian, 2 workers, SQLite)")
    header = f"{'request':<32} {'count':>7} {'errors':>6} {'rps':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}"
    print(header)
    print("-" * len(header))
    for row in [*(r for r in rows if r["Name"] != "Aggregated"), total]:
        print(
            f"{row['Name'][:32]:<32} {row['Request Count']:>7} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6} "
            f"{float(row['Max Response Time']):>7.0f}"
        )
    errors = int(total["Failure Count"])
    print(
        f"\nTOTAL {total['Request Count']} requests, {float(total['Requests/s']):.1f} req/s, "
        f"p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms, errors {errors}"
    )
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--persons", type=int, default=2000, help="size of the synthetic city")
    parser.add_argument("--workers", type=int, default=2, help="granian workers")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hrss-load-") as scratch:
        folder = Path(scratch)
        (folder / "var").mkdir()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hrss.settings",
            "HRSS_VAR_DIR": str(folder / "var"),
            "HRSS_DATABASE_URL": f"sqlite:///{folder / 'load.sqlite3'}",
            "HRSS_LOG_LEVEL": "WARNING",
        }
        print(f"== preparing a city of {args.persons} persons in {folder}", flush=True)
        _hrss(env, "migrate", "--no-input", "-v", "0")
        _hrss(env, "synth", "--persons", str(args.persons), "--months", "12", "--no-progress")
        tokens = folder / "tokens.json"
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "loadtest.prepare", str(tokens), str(max(args.users * 5, 50)), "5"],
            env=env,
            check=True,
            cwd=ROOT,
        )
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "hrss"), "serve", "--no-worker", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_up(f"{base}/healthz")
            print(f"== locust: {args.users} users, {args.duration} s, against {base}", flush=True)
            subprocess.run(  # noqa: S603
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "loadtest" / "locustfile.py"),
                    "--headless",
                    "--only-summary",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{args.duration}s",
                    "--host",
                    base,
                    "--csv",
                    str(folder / "load"),
                    "--loglevel",
                    "WARNING",
                    "--exit-code-on-error",
                    "0",
                ],
                env={**env, "HRSS_LOAD_TOKENS": str(tokens)},
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        return _summary(folder / "load_stats.csv", args.users, args.duration)


if __name__ == "__main__":
    sys.exit(main())
