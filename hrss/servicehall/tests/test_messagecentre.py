"""One message centre per person: the messages of every channel, read status, and opt-outs
that notify honours."""

from __future__ import annotations

import pytest
from django.test import Client

from hrss.notify import services as notify
from hrss.notify.models import OutboundMessage
from hrss.servicehall import messagecentre
from hrss.servicehall.models import WechatSubscription
from hrss.servicehall.tests.builders import (
    ARBITRATION_FORM,
    flush_on_commit,
    make_city_with_phone,
    record_sms,
    submit,
)
from hrss.testing import sign_in

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _recorded_sms(settings):
    outbox = record_sms(settings)
    yield outbox
    outbox.clear()


@pytest.fixture
def city(db):
    return make_city_with_phone()


def test_every_channel_in_one_list_and_only_mine(city):
    application = submit(city)
    WechatSubscription.objects.create(application=application, openid="openid-zhang")
    notify.send_wechat(openid="openid-zhang", template="generic", params={"text": "微信上的通知"})
    notify.send_sms(phone="13900139000", template="generic", params={"text": "别人的短信"})
    flush_on_commit()
    entries = messagecentre.messages_for(user=city.citizen)
    channels = {e.channel for e in entries}
    assert {"sms", "wechat"} <= channels
    texts = " ".join(e.text for e in entries)
    assert application.reference in texts and "微信上的通知" in texts and "别人的短信" not in texts
    assert all(application.reference not in e.text for e in messagecentre.messages_for(user=city.agent))


def test_the_page_opts_out_and_notify_withholds_then_opts_back_in(city, django_assert_max_num_queries):
    client = sign_in(Client(), city.citizen, second_factor=False)
    page = client.get("/hall/messages/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "消息中心" in page.content.decode()
    response = client.post("/hall/messages/preference/", {"channel": "sms", "receive": "0"})
    assert response.status_code == 302
    assert notify.opted_out(channel="sms", recipient="13800138000")
    application = submit(city)
    flush_on_commit()
    withheld = OutboundMessage.objects.filter(status="withheld")
    assert withheld.exists()
    for _n in range(3):
        submit(city, "SH-ZC-001", form=ARBITRATION_FORM)  # several may be open at once
    flush_on_commit()
    with django_assert_max_num_queries(30):
        page = client.get("/hall/messages/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert application.reference in text and "未发送：接收人已退订" in text
    assert [p.opted_out for p in page.context["preferences"] if p.channel == "sms"] == [True]
    client.post("/hall/messages/preference/", {"channel": "sms", "receive": "1"})
    assert not notify.opted_out(channel="sms", recipient="13800138000")
    assert client.post("/hall/messages/preference/", {"channel": "fax", "receive": "1"}).status_code == 404


def test_in_app_messages_are_marked_read_by_their_owner_only(city):
    mine = notify.send_in_app(user_id=city.citizen.pk, template="generic", params={"text": "站内信"})
    client = sign_in(Client(), city.citizen, second_factor=False)
    other = sign_in(Client(), city.agent, second_factor=False)
    assert other.post(f"/hall/messages/{mine.pk}/read/").status_code == 404
    [entry] = [e for e in messagecentre.messages_for(user=city.citizen) if e.channel == "in_app"]
    assert not entry.read
    assert client.post(f"/hall/messages/{mine.pk}/read/").status_code == 302
    [entry] = [e for e in messagecentre.messages_for(user=city.citizen) if e.channel == "in_app"]
    assert entry.read


def test_anonymous_callers_are_sent_to_sign_in(db):
    response = Client().get("/hall/messages/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_hotlines_old_address_leads_to_the_one_message_centre(db):
    response = Client().get("/hotline/messages/")
    assert response.status_code == 301 and response["Location"] == "/hall/messages/"
