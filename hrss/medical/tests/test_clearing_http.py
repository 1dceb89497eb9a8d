"""The signed HTTP clearing backend (S5) against a real HTTP server on this machine (a thread
running ``http.server``): the body is the statement, the signature verifies with the shared
key, the statement id is the idempotency key; a 503 is tried again, a 400 is not, a platform
that does not answer within the timeout is tried again; settings select the backend."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hrss.core.payments import SIGNATURE_HEADER, TIMESTAMP_HEADER
from hrss.medical import clearing

KEY = "clearing-test-key-0123456789abcdef0123"
STATEMENT = clearing.Statement(
    home="120000",
    other_region="110100",
    month="2026-10",
    receivable_claims=3,
    receivable_fund=Decimal("812.40"),
    receivable_account=Decimal("50.00"),
    payable_claims=1,
    payable_fund=Decimal("100.00"),
    payable_account=Decimal("0.00"),
)


class Platform(ThreadingHTTPServer):
    """Answers each POST with the next scripted (status, delay); then 200 with a reference."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.script: list[tuple[int, float]] = []
        self.received: list[tuple[dict[str, str], bytes]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/clearing/statements"


class Handler(BaseHTTPRequestHandler):
    server: Platform

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        status, delay = self.server.script.pop(0) if self.server.script else (200, 0.0)
        time.sleep(delay)
        answer = json.dumps({"reference": f"NCP-{len(self.server.received)}"} if status == 200 else {"error": "x"})
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer.encode())
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (the timeout test)
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def platform() -> Iterator[Platform]:
    server = Platform()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def backend(platform: Platform, **options: Any) -> clearing.HttpClearing:
    return clearing.HttpClearing(url=platform.url, key=KEY, backoff=0, **{"timeout": 2.0, "attempts": 3, **options})


def test_the_statement_is_posted_signed_under_its_idempotency_key(platform):
    body = clearing.statement_body(STATEMENT)
    assert backend(platform).send(STATEMENT, body) == "NCP-1"
    ((headers, received),) = platform.received
    assert received == body and json.loads(received)["statement_id"] == "CLR-120000-110100-2026-10"
    assert headers["idempotency-key"] == STATEMENT.statement_id
    timestamp = headers[TIMESTAMP_HEADER.lower()]
    expected = hmac.new(KEY.encode(), timestamp.encode() + b"." + received, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers[SIGNATURE_HEADER.lower()], expected)
    forged = hmac.new(b"another key", timestamp.encode() + b"." + received, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER.lower()] != forged


def test_a_503_is_tried_again_with_the_same_idempotency_key(platform):
    platform.script = [(503, 0.0)]
    assert backend(platform).send(STATEMENT, clearing.statement_body(STATEMENT)) == "NCP-2"
    assert [h["idempotency-key"] for h, _b in platform.received] == [STATEMENT.statement_id] * 2


def test_a_400_is_not_tried_again(platform):
    platform.script = [(400, 0.0)]
    with pytest.raises(clearing.ClearingUnavailable) as refused:
        backend(platform).send(STATEMENT, clearing.statement_body(STATEMENT))
    assert refused.value.code == "medical_clearing_refused" and len(platform.received) == 1


def test_the_attempts_run_out_on_5xx_and_a_timeout_is_tried_again(platform):
    platform.script = [(503, 0.0), (502, 0.0), (500, 0.0)]
    with pytest.raises(clearing.ClearingUnavailable) as failed:
        backend(platform).send(STATEMENT, clearing.statement_body(STATEMENT))
    assert failed.value.code == "medical_clearing_unavailable" and len(platform.received) == 3
    platform.received.clear()
    platform.script = [(200, 0.6)]  # answers after the timeout: no answer, so tried again
    assert backend(platform, timeout=0.2).send(STATEMENT, clearing.statement_body(STATEMENT)) == "NCP-2"
    assert len(platform.received) == 2


def test_settings_select_the_backend(platform, settings):
    settings.HRSS_MEDICAL_CLEARING_BACKEND = "hrss.medical.clearing.HttpClearing"
    settings.HRSS_MEDICAL_CLEARING_URL = platform.url
    settings.HRSS_MEDICAL_CLEARING_KEY = KEY
    chosen = clearing.backend()
    assert isinstance(chosen, clearing.HttpClearing) and chosen.url == platform.url
    settings.HRSS_MEDICAL_CLEARING_KEY = ""
    with pytest.raises(Exception, match="HRSS_MEDICAL_CLEARING_KEY"):
        clearing.backend()
    settings.HRSS_MEDICAL_CLEARING_BACKEND = ""
    assert isinstance(clearing.backend(), clearing.RecordingClearing)
