"""HTTP load from a separate process: ``wrk`` when installed, else a small Python generator.

Both run a closed loop over keep-alive connections for a fixed time and report requests
per second and latency percentiles. ``wrk`` (C, one thread) is preferred: a Python client
on the same two cores would take CPU from the server it measures. The Python generator
needs nothing beyond ``make install``, so every benchmark runs on a fresh machine; the
results name the tool that produced them.

Two shapes of load: GET a rotating file of paths (``run_load``), or POST a rotating file
of JSON bodies to one path and count the answers whose JSON ``expect_key`` is not
``expect_value`` (``run_post_load``), so a run that did nothing useful cannot pass as fast.
The Python generator can also make every POST new (``fresh``: a placeholder in the bodies
replaced by an id unique to the request, ``<fresh><connection>-<n>``, for endpoints that are
idempotent by such an id); it then reports how many each connection sent, so the ids can be
checked against what the server stored.

``python -m bench.loadgen --base URL --paths FILE --token T --connections 8 --seconds 10``
prints one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LUA = Path(__file__).with_name("wrk_paths.lua")
POST_LUA = Path(__file__).with_name("wrk_post.lua")
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
FRESH = "@FRESH@"  # in a POST body: replaced by an id unique to the request (``run_python(fresh=...)``)


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(*, base: str, paths: Path, token: str, connections: int, seconds: float) -> dict[str, Any]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise FileNotFoundError("wrk")
    args = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{int(seconds)}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        base,
        "--",
        str(paths),
    ]
    out = subprocess.run(
        args, capture_output=True, text=True, env={**os.environ, "BENCH_TOKEN": token}, check=True
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, Any]:
    """The figures of ``wrk --latency`` output."""
    percentiles = {m.group(1): _ms(m.group(2)) for m in re.finditer(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "tool": "wrk",
        "requests": requests,
        "rps": rps,
        "p50_ms": percentiles["50"],
        "p90_ms": percentiles.get("90"),
        "p99_ms": percentiles["99"],
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


def run_python(
    *,
    base: str,
    paths: Path | None = None,
    token: str,
    connections: int,
    seconds: float,
    post_path: str | None = None,
    bodies: Path | None = None,
    expect: tuple[str, str] | None = None,
    fresh: str | None = None,
) -> dict[str, Any]:
    """The closed loop in Python threads: GET each of ``paths`` in turn, or POST each of
    ``bodies`` to ``post_path``; with ``expect`` = (key, value), an answer whose JSON lacks
    that value counts as invalid; with ``fresh``, ``FRESH`` in a body becomes
    ``<fresh><connection>-<n>`` (the n-th request of that connection, from 0)."""
    source = bodies if post_path else paths
    if source is None:
        raise ValueError("give paths to GET, or a post_path with bodies to POST")
    items = [line.strip() for line in source.read_text().splitlines() if line.strip()]
    if not items:
        raise ValueError(f"{source} is empty")
    parts = urlsplit(base)
    headers = {"Connection": "keep-alive"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if post_path:
        headers["Content-Type"] = "application/json"
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    failures = [0] * connections
    invalid = [0] * connections
    errors = [0] * connections
    sent = [0] * connections

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
        position = index * 7919
        while time.perf_counter() < deadline:
            item = items[position % len(items)]
            position += 1
            if fresh is not None:
                item = item.replace(FRESH, f"{fresh}{index}-{sent[index]}")
            sent[index] += 1
            started = time.perf_counter()
            try:
                if post_path:
                    conn.request("POST", post_path, body=item.encode(), headers=headers)
                else:
                    conn.request("GET", item, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
                continue
            latencies[index].append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                failures[index] += 1
            if expect is not None and (response.status != 200 or not _answers(body, expect)):
                invalid[index] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = sorted(value for values in latencies for value in values)

    def percentile(q: float) -> float:
        return every[min(len(every) - 1, int(q * len(every)))] if every else float("nan")

    result: dict[str, Any] = {
        "tool": "python",
        "requests": len(every),
        "rps": len(every) / elapsed,
        "p50_ms": percentile(0.50),
        "p90_ms": percentile(0.90),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "non_2xx": sum(failures),
        "socket_errors": sum(errors),
    }
    if expect is not None:
        result["invalid"] = sum(invalid)
    if fresh is not None:
        result["sent"] = sent
    return result


def _answers(body: bytes, expect: tuple[str, str]) -> bool:
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    return isinstance(answer, dict) and answer.get(expect[0]) == expect[1]


def _use_wrk() -> bool:
    return bool(shutil.which("wrk")) and not os.environ.get("BENCH_PYTHON_LOADGEN")


def run_post_wrk(
    *, base: str, post_path: str, bodies: Path, token: str, connections: int, seconds: float
) -> dict[str, Any]:
    """wrk POSTing ``bodies`` in turn (``wrk_post.lua`` counts answers that are not "valid")."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise FileNotFoundError("wrk")
    args = [wrk, "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--latency", "--timeout", "10s"]
    args += ["-s", str(POST_LUA), base + post_path, "--", str(bodies)]
    out = subprocess.run(
        args, capture_output=True, text=True, env={**os.environ, "BENCH_TOKEN": token}, check=True
    ).stdout
    figures = parse_wrk(out)
    counted = re.search(r"^invalid answers: (\d+)", out, re.M)
    figures["invalid"] = int(counted.group(1)) if counted else figures["requests"]
    return figures


def run_post_load(
    *, base: str, post_path: str, bodies: Path, token: str, connections: int, seconds: float
) -> dict[str, Any]:
    """POST load whose answers must say ``"result": "valid"``: wrk when installed, else Python."""
    load: dict[str, Any] = {"base": base, "post_path": post_path, "bodies": bodies, "token": token}
    load |= {"connections": connections, "seconds": seconds}
    if _use_wrk():
        return run_post_wrk(**load)
    return run_python(expect=("result", "valid"), **load)


def run_load(**kwargs: Any) -> dict[str, Any]:
    """GET load over a file of paths: wrk when installed, else Python."""
    if _use_wrk():
        return run_wrk(**kwargs)
    return run_python(**kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True)
    parser.add_argument("--paths", type=Path, required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--python", action="store_true", help="use the Python generator even if wrk is installed")
    options = parser.parse_args()
    runner = run_python if options.python else run_load
    result = runner(
        base=options.base,
        paths=options.paths,
        token=options.token,
        connections=options.connections,
        seconds=options.seconds,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
