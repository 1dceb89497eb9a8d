"""The insurance app in Simplified Chinese on its pages (every catalogue is checked in hrss/portal/tests/test_i18n.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from hrss.codes.selectors import insurance_type_name
from hrss.insurance import rules, services
from hrss.insurance.tests.builders import employee
from hrss.testing import make_employer, make_user


@pytest.mark.django_db
def test_insurance_names_come_from_the_codes_table_in_each_language():
    with translation.override("zh-hans"):
        assert insurance_type_name(rules.PENSION) == "企业职工基本养老保险"
        assert insurance_type_name(rules.MEDICAL) == "职工基本医疗保险"
    with translation.override("zh-hant"):
        assert insurance_type_name(rules.UNEMPLOYMENT) == "失業保險"
    with translation.override("en"):
        assert insurance_type_name(rules.WORK_INJURY) == "Work injury insurance"
    assert insurance_type_name("no_such_insurance") == "no_such_insurance"


def _staff_client(user) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.mark.django_db
def test_staff_overview_in_simplified_chinese():
    employee(make_employer(name="软件公司", industry="65"), wage=Decimal("10000"), name="程序员")
    services.contribution_assess_month(period=dt.date(2025, 3, 1))
    page = _staff_client(make_user("clerk", "counter_clerk", city_wide=True)).get("/insurance/staff/")
    text = page.content.decode()
    assert page.status_code == 200
    for chinese in ("社会保险：经办概览", "月度征缴核定", "人月记录数", "已完成", "没有待处理的案件。"):
        assert chinese in text, chinese
    assert "Person-months" not in text and "Monthly assessment runs" not in text


@pytest.mark.django_db
def test_calculator_refuses_in_simplified_chinese():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "养老金测算" in client.get("/insurance/estimate/").content.decode()
    response = client.post(
        "/insurance/estimate/",
        {
            "average_wage": "many",
            "average_index": "0.8",
            "contribution_months": "360",
            "account_balance": "1000",
            "retirement_age_years": "60",
        },
    )
    text = response.content.decode()
    assert "请检查以下内容：" in text and "请填写数字" in text


def test_words_shared_with_other_apps_keep_their_own_meaning():
    """Django merges every catalogue: the same English in two apps needs a context."""
    from hrss.insurance.models import Enrolment

    with translation.override("zh-hans"):
        assert translation.pgettext("contribution amount", "Due") == "应缴"
        assert translation.gettext("Due") == "到期"  # the service hall's deadline
        assert translation.pgettext("age", "years") == "岁"
        assert str(Enrolment.StopReason.RETIRED.label) == "退休"
