"""The benchmarks' load generator works without wrk (a fresh machine after ``make install``):
its Python client POSTs the bodies in turn and counts every answer that is not "valid"."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from bench.loadgen import run_post_load


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def _verifier(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A stand-in verify-code endpoint: valid unless the code is "forged" or the token is missing."""
    body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
    if environ.get("HTTP_AUTHORIZATION") != "Bearer t0ken":
        start_response("401 Unauthorized", [("Content-Type", "application/json")])
        return [b'{"code": "unauthorized"}']
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps({"result": "invalid" if body["code"] == "forged" else "valid"}).encode()]


@pytest.fixture
def server() -> Iterator[WSGIServer]:
    httpd = make_server("127.0.0.1", 0, _verifier, handler_class=_Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_the_python_client_counts_answers_that_are_not_valid(server, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("BENCH_PYTHON_LOADGEN", "1")  # as on a machine without wrk
    bodies = tmp_path / "bodies.txt"
    bodies.write_text('{"code": "a"}\n{"code": "forged"}\n')
    base = f"http://127.0.0.1:{server.server_port}"
    load = {"base": base, "post_path": "/verify-code", "bodies": bodies, "connections": 2, "seconds": 0.5}

    figures = run_post_load(token="t0ken", **load)
    assert figures["tool"] == "python" and figures["requests"] > 2
    assert figures["non_2xx"] == 0 and figures["socket_errors"] == 0
    assert 0 < figures["invalid"] < figures["requests"]  # the forged codes, and only them
    assert figures["p50_ms"] <= figures["p99_ms"]

    refused = run_post_load(token="wrong", **load)
    assert refused["non_2xx"] == refused["invalid"] == refused["requests"] > 0


def test_fresh_bodies_carry_an_id_unique_to_each_request(tmp_path: Path):
    """For endpoints idempotent by an id (a settlement's transaction id): every POST gets
    ``<prefix><connection>-<n>``, and the run says how many each connection sent, so that the
    ids can be checked against what the server stored."""
    from bench.loadgen import FRESH, run_python

    seen: list[str] = []
    lock = threading.Lock()

    def recorder(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
        with lock:
            seen.append(body["id"])
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"kind": "settlement"}']

    httpd = make_server("127.0.0.1", 0, recorder, handler_class=_Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        bodies = tmp_path / "bodies.txt"
        bodies.write_text(json.dumps({"id": FRESH}) + "\n")
        figures = run_python(
            base=f"http://127.0.0.1:{httpd.server_port}",
            token="t",
            connections=2,
            seconds=0.5,
            post_path="/settle",
            bodies=bodies,
            expect=("kind", "settlement"),
            fresh="BENCH-",
        )
    finally:
        httpd.shutdown()
        httpd.server_close()
    expected = {f"BENCH-{c}-{n}" for c, count in enumerate(figures["sent"]) for n in range(count)}
    assert len(seen) == len(set(seen)) == sum(figures["sent"]) > 2
    assert set(seen) == expected and figures["invalid"] == 0
