"""SMS and WeChat answered from the same status services and knowledge base as the web:
``CX`` alone from an account's phone, keywords and menu clicks from the knowledge base
(through the hall's extension point: the hall never imports the hotline), and the WeChat
custom menu exported in WeChat's own JSON."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time

import pytest
from django.test import Client
from wechatpy.utils import check_signature  # noqa: F401 - the same library the hall uses

from hrss.core.errors import InvalidInput
from hrss.hotline import replies, wechat_menu
from hrss.hotline.tests.conftest import flush_on_commit
from hrss.notify import backends
from hrss.servicehall import extension_points
from hrss.servicehall.tests.builders import submit

pytestmark = pytest.mark.django_db(transaction=False)
SECRET = "sms-secret"
TOKEN = "wechat-token"


@pytest.fixture(autouse=True)
def _channels(settings):
    settings.HRSS_SMS_CALLBACK_SECRET = SECRET
    settings.HRSS_WECHAT_TOKEN = TOKEN
    settings.HRSS_PUBLIC_URL = "https://12333.example.gov.cn"


def sms(phone: str, text: str) -> str:
    ts = str(int(time.time()))
    signature = hmac.new(SECRET.encode(), f"{ts}\n{phone}\n{text}".encode(), hashlib.sha256).hexdigest()
    response = Client().post("/channels/sms/", {"phone": phone, "text": text, "timestamp": ts, "signature": signature})
    assert response.status_code == 200
    return response.json()["reply"]


def sent_to(phone: str) -> list[str]:
    flush_on_commit()
    return [e.text for e in backends.outbox if e.recipient == phone]


def wechat(body: str) -> str:
    ts, nonce = str(int(time.time())), "nonce1"
    signature = hashlib.sha1("".join(sorted([TOKEN, ts, nonce])).encode()).hexdigest()  # noqa: S324 - WeChat's scheme
    response = Client().post(
        f"/channels/wechat/?signature={signature}&timestamp={ts}&nonce={nonce}", body, content_type="text/xml"
    )
    assert response.status_code == 200
    return response.content.decode()


def text_message(content: str) -> str:
    return (
        "<xml><ToUserName><![CDATA[gh_hrss]]></ToUserName><FromUserName><![CDATA[openid-1]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>1</MsgId></xml>"
    )


def click(key: str) -> str:
    return (
        "<xml><ToUserName><![CDATA[gh_hrss]]></ToUserName><FromUserName><![CDATA[openid-1]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[{key}]]></EventKey></xml>"
    )


def test_cx_alone_from_the_accounts_phone_answers_its_latest_application(city):
    application = submit(city)
    sent_to("13800138000")  # the submission's own notice
    backends.outbox.clear()
    reply = sms("13800138000", "cx")
    assert application.reference in reply and "失业登记" in reply
    assert sent_to("13800138000") == [reply]  # the provider is asked to send exactly this
    assert application.reference in sms("+86 138-0013-8000", " CX ")


def test_cx_alone_from_an_unknown_phone_or_an_account_without_applications(city):
    assert "没有关联账户" in sms("13900000000", "CX")
    assert "还没有申请" in sms("13800138000", "CX")


def test_other_sms_texts_are_answered_from_the_knowledge_base(city, kb):
    reply = sms("13900000000", "养老金怎么算")
    assert reply.startswith("基本养老金怎么算")
    assert reply.endswith("https://12333.example.gov.cn/hotline/articles/policy-pension/")
    assert sent_to("13900000000") == [reply]


def test_without_an_answer_the_hall_says_how_to_query(city, kb):
    assert "回复CX" in sms("13900000000", "的了吗")


def test_wechat_keywords_and_menu_clicks_come_from_the_knowledge_base(city, kb):
    assert "基本养老金怎么算" in wechat(text_message("退休金怎么算"))
    answer = wechat(click("kb:policy-minimum-wage"))
    assert "/hotline/articles/policy-minimum-wage/" in answer
    assert "身份证" in wechat(click("status"))  # how to ask for a status
    assert "身份证" in wechat(click("kb:no-such-article"))


def test_the_hall_answers_alone_when_no_provider_is_registered(city, kb):
    extension_points.unregister_channel_reply(replies.channel_reply)
    try:
        assert "回复CX" in sms("13900000000", "养老金怎么算")
    finally:
        extension_points.register_channel_reply(replies.channel_reply)
    assert replies.channel_reply in extension_points._channel_replies  # HotlineConfig.ready() registered it


def test_the_wechat_menu_is_wechats_json_within_its_limits(db, settings):
    settings.HRSS_PUBLIC_URL = "https://12333.example.gov.cn/"
    menu = wechat_menu.menu_json()
    assert 1 <= len(menu["button"]) <= 3
    for button in menu["button"]:
        assert set(button) == {"name", "sub_button"} and len(button["name"].encode()) <= 16
        assert 1 <= len(button["sub_button"]) <= 5
        for sub in button["sub_button"]:
            assert len(sub["name"].encode()) <= 60
            if sub["type"] == "view":
                assert set(sub) == {"type", "name", "url"} and sub["url"].startswith("https://12333.example.gov.cn/")
            else:
                assert set(sub) == {"type", "name", "key"}
    json.dumps(menu, ensure_ascii=False)  # what menu/create receives


def test_every_menu_key_has_an_answer(kb):
    for key in wechat_menu.click_keys():
        assert key == "status" or replies.channel_reply(text=key, channel="wechat"), key


def test_a_menu_wechat_would_refuse_is_refused_here(db):
    data = copy.deepcopy(wechat_menu._data())
    data["button"].append(copy.deepcopy(data["button"][0]))
    data["button"][0]["name"] = "一个太长的按钮名字"
    data["button"][0]["sub_button"][0]["link"] = "nowhere:page"
    with pytest.raises(InvalidInput) as refused:
        wechat_menu.menu_build(data)
    problems = refused.value.fields["menu"]
    assert "1 to 3 buttons" in problems and "1-16 bytes" in problems and "nowhere:page" in problems


def test_td_unsubscribes_the_number_from_sms_notices_and_cx_still_answers(city):
    from hrss.notify import services as notify

    assert "不再" in sms("13800138000", "TD")
    assert notify.opted_out(channel="sms", recipient="13800138000")
    assert len(sent_to("13800138000")) == 1  # the confirmation answers the number's own text
    backends.outbox.clear()
    application = submit(city)  # its notice by SMS is withheld
    assert sent_to("13800138000") == []
    reply = sms("13800138000", "CX")  # an answer to the number's own text still goes
    assert application.reference in reply and sent_to("13800138000") == [reply]
