"""Fuzz the running platform as a newcomer's outside fuzzer would (X1).

Starts hrss exactly as `make run` does (production mode, DEBUG off) on a free loopback port
with a fresh database and the demo data in a temporary folder, then runs the installed
schemathesis CLI (`st run`, its default phases, the `not_a_server_error` check) against
`/api/v1/openapi.json` once anonymously and once as each demo account, with a bearer token
made by `hrss token create`. Prints one line per caller and the time each took; exits non-zero
when any caller found a failure. The server, its worker and the folder are removed at the end.

Usage: python tools/fuzz_live.py [--max-examples N] [--jobs J] [--roles anonymous,citizen,...] [--phases examples,...] [--seed S] [--keep]
(`--phases examples` sends only the request examples of the OpenAPI document: about a minute.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Every demo account `hrss demo` creates (portal/management/commands/demo.py), and anonymous.
CALLERS = ["anonymous", "citizen", "employer", "clerk", "clerk_hexi", "reviewer", "approver", "analyst", "admin"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback URL we built
                return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the server did not answer {url} within {seconds:.0f} s")


def fuzz(
    st: str, base: str, caller: str, token: str | None, args: argparse.Namespace, work: Path
) -> tuple[str, str, float, str, str]:
    """One caller's schemathesis run: (caller, verdict, seconds, summary line, stdout)."""
    cmd = [st, "run", f"{base}/api/v1/openapi.json", "--checks", "not_a_server_error"]
    # one worker per run: schemathesis parses schemas with ast in threads, and CPython 3.11 can fail
    # that ("AST constructor recursion depth mismatch") when two threads of one process do it at once
    cmd += ["--max-examples", str(args.max_examples), "--workers", "1", "--no-color"]
    cmd += ["--phases", args.phases] if args.phases else []
    cmd += ["--seed", args.seed] if args.seed else []
    if token:
        cmd += ["--header", f"Authorization: Bearer {token}"]
    began = time.monotonic()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRSS_")}
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=work)  # noqa: S603
    (work / f"st-{caller}.log").write_text(out.stdout + out.stderr)
    summary = [line.strip() for line in out.stdout.splitlines() if " generated" in line]
    verdict = "ok" if out.returncode == 0 else "FAILED"
    return caller, verdict, time.monotonic() - began, summary[-1] if summary else "", out.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("HRSS_LIVE_FUZZ_EXAMPLES", "10")))
    parser.add_argument("--roles", default=",".join(CALLERS))
    parser.add_argument("--phases", default="", help="schemathesis phases to run (default: all of them)")
    parser.add_argument("--seed", default="", help="schemathesis seed, to replay a failing run")
    parser.add_argument(
        "--jobs", type=int, default=int(os.environ.get("HRSS_LIVE_FUZZ_JOBS", "2")), help="callers fuzzed at once"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs, reports)")
    args = parser.parse_args()

    bin_dir = Path(sys.executable).parent
    hrss, st = str(bin_dir / "hrss"), str(bin_dir / "st")
    work = Path(tempfile.mkdtemp(prefix="hrss-fuzz-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRSS_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(HRSS_VAR_DIR=str(work / "var"), HRSS_PORT=str(port), PYTHONUNBUFFERED="1")
    log = (work / "server.log").open("w")
    started = time.monotonic()

    def step(*cmd: str) -> str:
        return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603

    step(hrss, "migrate", "--no-input")
    step(hrss, "collectstatic", "--no-input", "--verbosity", "0")
    step(hrss, "demo")
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [hrss, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    failures = 0
    try:
        wait_for(f"{base}/api/v1/openapi.json", 120)
        print(f"serving on {base} after {time.monotonic() - started:.0f} s (log {work / 'server.log'})", flush=True)
        callers = [r for r in args.roles.split(",") if r]
        # Tokens first, one at a time (each is a short write); then the callers, `--jobs` at a time:
        # the server has two web workers and a fuzzer mostly waits on it, so two overlap well.
        tokens = {
            c: step(hrss, "token", "create", "--user", c).strip().split()[-1] for c in callers if c != "anonymous"
        }
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for caller, verdict, seconds, summary, out in pool.map(
                lambda c: fuzz(st, base, c, tokens.get(c), args, work), callers
            ):
                print(f"{caller:12s} {verdict:6s} {seconds:6.0f} s  {summary}", flush=True)
                if verdict != "ok":
                    failures += 1
                    print(out[-6000:], flush=True)
        server_log = (work / "server.log").read_text()
        tracebacks = server_log.count("Traceback")
        if tracebacks:
            failures += 1
            print(f"FAILED: {tracebacks} tracebacks in the server log", flush=True)
        deaths = server_log.count("Unexpected exit from worker")
        if deaths:
            failures += 1
            print(f"FAILED: {deaths} web worker(s) died (respawned) during the run", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
        if failures or args.keep:
            print(f"reports kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"live fuzz: {failures} caller(s) with failures, {time.monotonic() - started:.0f} s in all")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
