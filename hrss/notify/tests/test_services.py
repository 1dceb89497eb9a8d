"""Messages are rows first, delivered after commit by the configured backend."""

import hashlib
import hmac
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from hrss.core.errors import InvalidInput
from hrss.notify import backends, selectors, services
from hrss.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` plays a commit: after-commit deliveries run at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_sms_is_recorded_after_commit_and_the_row_keeps_no_clear_number(caplog, committed):
    caplog.set_level(logging.INFO)
    with committed():
        message = services.send_sms(
            phone="+86 138-0013-8000", template="otp_code", params={"code": "123456", "minutes": 5}
        )
        assert backends.outbox == []  # nothing leaves before commit
    [envelope] = backends.outbox
    assert envelope.recipient == "13800138000" and "123456" in envelope.text
    message.refresh_from_db()
    assert message.status == "sent" and message.provider_id == f"recorded-{message.pk}"
    raw = (
        OutboundMessage.objects.filter(pk=message.pk)
        .values_list(Cast("recipient", TextField()), Cast("params", TextField()))
        .get()
    )
    assert "13800138000" not in raw[0] and "123456" not in raw[1]
    assert "13800138000" not in caplog.text and "138****8000" in caplog.text


def test_rolled_back_message_is_never_sent(committed):
    def send_then_fail():
        with transaction.atomic():
            services.send_sms(phone="13800138000", template="otp_code", params={"code": "1", "minutes": 5})
            raise RuntimeError("rollback")

    with committed(), pytest.raises(RuntimeError):
        send_then_fail()
    assert backends.outbox == [] and not OutboundMessage.objects.exists()


def test_sensitive_parameters_are_erased_once_delivered(committed):
    with committed():
        message = services.send_sms(
            phone="13800138000", template="otp_code", params={"code": "654321", "minutes": 5}, sensitive=True
        )
    message.refresh_from_db()
    assert message.status == "sent" and message.params == ""


def test_bad_phone_and_unknown_template_are_refused():
    with pytest.raises(InvalidInput) as bad_phone:
        services.send_sms(phone="12345", template="otp_code", params={})
    assert bad_phone.value.code == "invalid_phone"
    with pytest.raises(InvalidInput) as unknown:
        services.send_sms(phone="13800138000", template="nope", params={})
    assert unknown.value.code == "unknown_template"


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    answer_status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).answer_status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": "gw-42"}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    _Gateway.received = []
    _Gateway.answer_status = 200
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HRSS_SMS_BACKEND = "hrss.notify.backends.HttpSmsBackend"
    settings.HRSS_SMS_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.HRSS_SMS_SECRET = "gateway-secret"
    yield _Gateway
    server.shutdown()
    server.server_close()


def test_http_backend_posts_signed_json(gateway, committed):
    with committed():
        message = services.send_sms(phone="13900001111", template="otp_code", params={"code": "111222", "minutes": 5})
    message.refresh_from_db()
    assert message.status == "sent" and message.provider_id == "gw-42"
    [(headers, body)] = gateway.received
    payload = json.loads(body)
    assert payload == {
        "id": str(message.pk),
        "channel": "sms",
        "to": "13900001111",
        "template": "otp_code",
        "params": {"code": "111222", "minutes": 5},
    }
    expected = hmac.new(b"gateway-secret", headers["X-Hrss-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["X-Hrss-Signature"] == expected.hexdigest()


def test_http_backend_failure_marks_the_message_failed(gateway, committed):
    gateway.answer_status = 503
    with committed():
        message = services.send_sms(phone="13900001111", template="otp_code", params={"code": "1", "minutes": 5})
    message.refresh_from_db()
    assert message.status == "failed" and "503" in message.error and message.attempts == 1


def test_in_app_inbox_shows_only_the_accounts_own_messages(committed):
    with committed():
        services.send_in_app(user_id="u-1", template="generic", params={"text": "您的申请已受理"})
        services.send_in_app(user_id="u-2", template="generic", params={"text": "other"})
        services.send_wechat(openid="o-abc", template="generic", params={"text": "hi"})
    [item] = selectors.in_app_inbox(user_id="u-1")
    assert item.text == "您的申请已受理" and not item.read
    services.in_app_mark_read(user_id="u-1", message_id=item.id)
    assert selectors.in_app_inbox(user_id="u-1")[0].read
    assert [e.channel for e in backends.outbox] == ["wechat"]


def test_a_message_whose_template_cannot_render_is_failed_with_the_reason():
    """A row written in one process and delivered by a worker that does not know the template
    (or whose parameters no longer fit) ends FAILED with why, never left queued."""
    from hrss.notify.templates import TEMPLATES, template_register

    template_register("only_here", "Hello {name}")
    try:
        with transaction.atomic():
            unknown = services.send_in_app(user_id="u-1", template="only_here", params={"name": "张伟"})
            missing = services.send_in_app(user_id="u-1", template="only_here", params={"name": "张伟"})
    finally:
        TEMPLATES.pop("only_here")
    # The worker does not know the template at all.
    delivered = services.message_deliver(message_id=unknown.pk)
    assert delivered.status == "failed" and delivered.attempts == 1
    assert delivered.error.startswith("unknown_template") and "only_here" in delivered.error
    # The worker knows it, but the parameters no longer fit.
    template_register("only_here", "Hello {name}, your reference is {reference}")
    try:
        delivered = services.message_deliver(message_id=missing.pk)
    finally:
        TEMPLATES.pop("only_here")
    assert delivered.status == "failed" and delivered.error.startswith("template_parameter_missing")
    assert backends.outbox == [] and not OutboundMessage.objects.filter(status="queued").exists()


def test_an_opt_out_withholds_notices_but_not_codes_or_replies(committed):
    assert services.opt_out(channel="sms", recipient="+86 138-0013-8000", source="sms_reply") is True
    assert services.opt_out(channel="sms", recipient="13800138000", source="sms_reply") is False  # once
    assert services.opted_out(channel="sms", recipient="13800138000")
    with committed():
        notice = services.send_sms(phone="13800138000", template="generic", params={"text": "您的办件已受理。"})
        code = services.send_sms(
            phone="13800138000", template="otp_code", params={"code": "246810", "minutes": 5}, sensitive=True
        )
        answer = services.send_sms(phone="13800138000", template="generic", params={"text": "回复内容"}, reply=True)
        other = services.send_sms(phone="13900139000", template="generic", params={"text": "别人的通知"})
    sent = [e.text for e in backends.outbox]
    assert not any("您的办件已受理" in t for t in sent)
    assert (
        any("246810" in t for t in sent) and any("回复内容" in t for t in sent) and any("别人的通知" in t for t in sent)
    )
    notice.refresh_from_db()
    assert notice.status == "withheld"  # kept, shown as not sent
    services.message_deliver(message_id=notice.pk)  # a retry never sends it either
    notice.refresh_from_db()
    assert notice.status == "withheld" and notice.attempts == 0
    for message in (code, answer, other):
        message.refresh_from_db()
        assert message.status == "sent"
    assert services.opt_in(channel="sms", recipient="13800138000") is True
    with committed():
        services.send_sms(phone="13800138000", template="generic", params={"text": "恢复后的通知"})
    assert any("恢复后的通知" in e.text for e in backends.outbox)
