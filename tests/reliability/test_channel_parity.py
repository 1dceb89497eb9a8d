"""A1's channel parity: the catalogue says, for every item, on which channels it can be
started (``channels``) and on which its applicant can follow it (``tracking_channels``). This
walks every item through every channel it claims, through that channel's own entry point —
the web hall's form, the mobile web app's form (``source=pwa``), the API a WeChat front end
calls, the kiosk session, the counter's walk-in; then the application page, the API, a WeChat
message, an SMS reply code, the 12333 keypad, the kiosk and the counter for following it — and checks that a
channel an item does not claim refuses to start it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import time
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hrss.core import scope as roles
from hrss.identity.kiosk import KIOSK_COOKIE
from hrss.servicehall.models import Application, Channel, ServiceItem
from hrss.servicehall.tests.builders import bearer, make_retiree, sign_in
from hrss.testing import make_employer, make_person, make_user

pytestmark = pytest.mark.django_db

START_CHANNELS = {Channel.WEB, Channel.APP, Channel.WECHAT, Channel.KIOSK, Channel.COUNTER}
_n = itertools.count(1)
PHONE = "13800138000"


def _value(item: ServiceItem, field: dict[str, Any]) -> str:
    kind = field["type"]
    if kind == "choice":
        values = [value for value, _label in field["choices"]]
        # a choice that makes another field required (``required_when``) would need that field too
        conditional = {other["required_when"].get(field["name"]) for other in item.form if other.get("required_when")}
        values = [value for value in values if value not in conditional] or values
        return "outlet" if "outlet" in values else values[0]  # a card collected needs no address
    if kind == "date":
        today = timezone.localdate()
        return (
            today.replace(day=1).isoformat()
            if "month" in field["name"]
            else (today - dt.timedelta(days=20)).isoformat()
        )
    return {"integer": "3", "decimal": "1000", "tel": PHONE, "boolean": "", "textarea": "测试内容"}.get(kind, "测试")


def _credit_record(subject: Any) -> dict[str, str]:
    """An objection (信用信息异议申请) names one of the applicant's credit records."""
    from hrss.core.creditfacts import CreditFact
    from hrss.credit import services as credit

    is_employer = hasattr(subject, "credit_code")
    fact = CreditFact(
        kind="contribution_arrears" if is_employer else "benefit_fraud",
        source_ref=f"parity:{subject.pk}",
        occurred_on=timezone.localdate() - dt.timedelta(days=5),
        summary="渠道测试记录",
        employer_id=subject.pk if is_employer else None,
        person_id=None if is_employer else subject.pk,
    )
    credit.record([fact], source="insurance" if is_employer else "medical")
    return {"record": str(subject.credit_events.get().pk)}


# What an item's form needs that the applicant must have first (the generic values cannot name it).
PREPARED = {"SH-XY-001": _credit_record, "SH-XY-002": _credit_record}


def form_for(item: ServiceItem, subject: Any = None) -> dict[str, str]:
    """Every field an applicant types (read-only ones are prefilled from the registry)."""
    form = {f["name"]: _value(item, f) for f in item.form if not f.get("readonly") and f.get("required")}
    if item.code in PREPARED and subject is not None:
        form.update(PREPARED[item.code](subject))
    return form


def applicant(item: ServiceItem) -> tuple[Any, Any]:
    """(user, person or employer): a new applicant per application (one open application each),
    each with a mobile number of their own (one-time codes are rate-limited per number)."""
    n = next(_n)
    phone = f"139{n:08d}"
    if item.applicant_type == "employer":
        employer = make_employer(name=f"渠道测试单位{n}", contact_phone=phone)
        return make_user(f"parity-agent-{n}", roles.EMPLOYER_AGENT, employer=employer), employer
    if item.code == "SH-YL-004":  # a pension award needs someone of retirement age with their years
        person = make_retiree()
        person.phone = phone
        person.save(update_fields=["phone"])
    else:
        person = make_person(name=f"渠道{n}", phone=phone)
    return make_user(f"parity-citizen-{n}", roles.CITIZEN, person=person), person


def start(item: ServiceItem, channel: str, clerk: Any) -> Any:
    """Submit through the channel's own entry point; the response."""
    user, subject = applicant(item)
    form = {**form_for(item, subject), "idempotency_key": f"parity-{item.code}-{channel}-{next(_n)}"}
    if channel == Channel.COUNTER:  # the walk-in: a citizen by ID number, an employer's agent by credit code
        who = (
            {"credit_code": subject.credit_code}
            if item.applicant_type == "employer"
            else {"id_number": subject.id_number}
        )
        return sign_in(Client(), clerk).post(f"/workbench/walk-in/{item.code}/", {**form, **who})
    if channel == Channel.WECHAT:  # the WeChat front end (official-account H5) calls the API
        body = {
            "item_code": item.code,
            "form": {k: v for k, v in form.items() if k != "idempotency_key"},
            "channel": "wechat",
            "idempotency_key": form["idempotency_key"],
        }
        return bearer(user).post("/api/v1/servicehall/applications", body, content_type="application/json")
    client = sign_in(Client(), user)
    if channel == Channel.KIOSK:
        client.cookies[KIOSK_COOKIE] = "1"
    if channel == Channel.APP:
        form["source"] = "pwa"
    return client.post(f"/hall/items/{item.code}/apply/", form)


def test_every_item_starts_on_every_channel_it_claims_and_on_no_other():
    items = list(ServiceItem.objects.order_by("code"))
    assert items
    clerk = make_user("parity-clerk", roles.COUNTER_CLERK, city_wide=True)
    failures = []
    for item in items:
        for channel in sorted(START_CHANNELS):
            before = Application.objects.filter(item=item, channel=channel).count()
            response = start(item, channel, clerk)
            if response is None:
                if channel in item.channels:
                    failures.append(f"{item.code} claims {channel} but no entry point serves its applicants")
                continue
            made = Application.objects.filter(item=item, channel=channel).count() - before
            if channel in item.channels and made != 1:
                detail = response.content[:300].decode(errors="replace")
                failures.append(f"{item.code} on {channel}: not started ({response.status_code}) {detail}")
            if channel not in item.channels and made:
                failures.append(f"{item.code} started on {channel}, which it does not claim")
    assert not failures, "\n".join(failures)


def _sms(phone: str, text: str, secret: str) -> Any:
    ts = str(int(time.time()))
    signature = hmac.new(secret.encode(), f"{ts}\n{phone}\n{text}".encode(), hashlib.sha256).hexdigest()
    return Client().post("/channels/sms/", {"phone": phone, "text": text, "timestamp": ts, "signature": signature})


def _wechat(text: str, token: str) -> str:
    ts, nonce = str(int(time.time())), "parity"
    signature = hashlib.sha1("".join(sorted([token, ts, nonce])).encode()).hexdigest()  # noqa: S324 - WeChat's protocol
    xml = (
        "<xml><ToUserName>gh_bureau</ToUserName><FromUserName>openid-parity</FromUserName><CreateTime>1</CreateTime>"
        f"<MsgType>text</MsgType><Content>{text}</Content><MsgId>1</MsgId></xml>"
    )
    query = f"signature={signature}&timestamp={ts}&nonce={nonce}"
    return Client().post(f"/channels/wechat/?{query}", xml, content_type="text/xml").content.decode()


def track(application: Application, channel: str, user: Any, clerk: Any) -> bool:
    """Does the channel's own entry point tell the applicant where the application stands?"""
    reference = application.reference
    if channel == Channel.WEB:
        return reference in sign_in(Client(), user).get(f"/hall/applications/{reference}/").content.decode()
    if channel == Channel.APP:
        answer = bearer(user).get(f"/api/v1/servicehall/applications/{reference}")
        return answer.status_code == 200 and answer.json()["status"] == application.status
    if channel == Channel.KIOSK:
        client = sign_in(Client(), user)
        client.cookies[KIOSK_COOKIE] = "1"
        return reference in client.get(f"/hall/applications/{reference}/").content.decode()
    if channel == Channel.COUNTER:
        return reference in sign_in(Client(), clerk).get(f"/workbench/applications/{reference}/").content.decode()
    if channel == Channel.SMS:
        owner = application.applicant_person or application.applicant_employer
        phone = getattr(owner, "phone", "") or getattr(owner, "contact_phone", "")
        return reference in _sms(phone, f"CX {reference}", "parity-sms").json()["reply"]
    if channel == Channel.HOTLINE:  # the IVR platform's keypad query, after its identity check
        from hrss.hotline.tests.test_keypad import agency, keyed, last_code
        from hrss.identity.services import _phone_set

        person = application.applicant_person
        _phone_set(user, person.phone)
        user.save()
        ivr = agency(["hotline:ivr"], name=f"12333 IVR {reference}")
        found = ivr.post(
            "/api/v1/hotline/ivr/identify",
            {"caller": person.phone, "id_number": keyed(person.id_number)},
            content_type="application/json",
        ).json()
        assert "challenge" in found, found
        verified = ivr.post(
            "/api/v1/hotline/ivr/verify",
            {"challenge": found["challenge"], "code": last_code(person.phone)},
            content_type="application/json",
        ).json()
        answer = ivr.post(
            "/api/v1/hotline/ivr/query",
            {"session": verified["session"], "query": "application_status"},
            content_type="application/json",
        )
        return answer.status_code == 200 and reference in answer.json()["text"]
    if channel == Channel.WECHAT:
        tail = application.applicant_person.id_number[-4:]
        return reference in _wechat(f"{reference} {tail}", "parity-wechat").split("Content")[1]
    return False


def test_every_item_is_followed_on_every_channel_it_claims(settings):
    from hrss.notify import backends

    # SMS (the keypad's one-time codes) delivered in-process to the recording backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.HRSS_SMS_BACKEND = "hrss.notify.backends.RecordingBackend"
    backends.outbox.clear()
    settings.HRSS_SMS_CALLBACK_SECRET = "parity-sms"
    settings.HRSS_WECHAT_TOKEN = "parity-wechat"
    clerk = make_user("parity-clerk", roles.COUNTER_CLERK, city_wide=True)
    failures = []
    for item in ServiceItem.objects.order_by("code"):
        if not item.tracking_channels:
            failures.append(f"{item.code} states no channel to follow it on")
        user, subject = applicant(item)
        answer = bearer(user).post(
            "/api/v1/servicehall/applications",
            {
                "item_code": item.code,
                "form": form_for(item, subject),
                "channel": "app",
                "idempotency_key": f"track-{item.code}",
            },
            content_type="application/json",
        )
        assert answer.status_code in (200, 201), (item.code, answer.content[:300])
        application = Application.objects.get(reference=answer.json()["application"]["reference"])
        for channel in item.tracking_channels:
            if not track(application, channel, user, clerk):
                failures.append(f"{item.code}: not followed on {channel}")
    assert not failures, "\n".join(failures)
