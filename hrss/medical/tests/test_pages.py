"""The citizen's medical page (就医一卡通): in Chinese, with visits, lines and the year's totals."""

from __future__ import annotations

import pytest
from django.test import Client

from hrss.medical import services
from hrss.medical.tests.builders import BILL, PIN, hospital_scope, insured, lines
from hrss.portal.tests.test_language import english_in
from hrss.testing import make_person, make_user, sign_in

pytestmark = pytest.mark.django_db


def test_the_citizen_sees_visits_lines_and_totals_in_chinese(tmp_path):
    person, card = insured(tmp_path)
    services.claim_settle(
        scope=hospital_scope(),
        transaction_id="P1",
        card_number=card.number,
        card_pin=PIN,
        visit=services.Visit(pooling="outpatient", lines=lines(*BILL)),
    )
    services.claim_reverse(scope=hospital_scope(), transaction_id="P1-R", original_transaction_id="P1")
    client = sign_in(Client(), make_user("medical-page", "citizen", person=person))
    page = client.get("/medical/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    for shown in (
        "我的就医",
        "天津医科大学总医院",
        "阿托伐他汀钙片",
        "乙类：个人先行自付一定比例",
        "冲正",
        "已冲正",
        "在职职工",
    ):
        assert shown in text, shown
    assert english_in(text) == []
    # The menu shows the page to citizens.
    assert 'href="/medical/"' in client.get("/my/").content.decode()


def test_not_insured_and_not_a_citizen(tmp_path):
    client = sign_in(Client(), make_user("medical-none", "citizen", person=make_person()))
    assert "您未在本市参加基本医疗保险" in client.get("/medical/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert Client().get("/medical/").status_code == 302  # to sign-in
