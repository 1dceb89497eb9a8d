"""#24's "done when", as `make run` leaves the site: after `hrss kb generate` and `hrss demo`,
an SMS "CX" from the demo citizen's phone answers her latest application, other texts are
answered from the knowledge base, and the voice menu exports."""

from __future__ import annotations

import hashlib
import hmac
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from hrss.hotline import ivr
from hrss.identity.models import User
from hrss.servicehall.models import Application

pytestmark = pytest.mark.django_db
SECRET = "sms-secret"


def sms(phone: str, text: str) -> str:
    ts = str(int(time.time()))
    signature = hmac.new(SECRET.encode(), f"{ts}\n{phone}\n{text}".encode(), hashlib.sha256).hexdigest()
    response = Client().post("/channels/sms/", {"phone": phone, "text": text, "timestamp": ts, "signature": signature})
    assert response.status_code == 200
    return response.json()["reply"]


def test_after_make_run_cx_answers_the_demo_citizen(settings, tmp_path):
    settings.DEBUG = True
    settings.HRSS_CARD_FACTORY_DIR = tmp_path / "factory"
    settings.HRSS_SMS_CALLBACK_SECRET = SECRET
    call_command("kb", "generate", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    citizen = User.objects.get(username="citizen")
    latest = Application.objects.filter(applicant_person_id=citizen.person_id).order_by("-submitted_at").first()
    assert latest is not None
    reply = sms("13800138000", "CX")
    assert reply.startswith(latest.reference) and latest.item.name_zh_hans in reply
    assert "养老金" in sms("13800138000", "养老金怎么算")
    assert "[hrss-ivr-main]" in ivr.export("asterisk")
