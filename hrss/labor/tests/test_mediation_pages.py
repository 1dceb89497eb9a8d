"""Mediation on the pages, in zh-hans: the worker applies and follows it, the mediation staff
see their queue, record a session and an agreement or a failure; refusals are said on the page."""

from __future__ import annotations

import pytest
from django.test import Client

from hrss.labor.models import Mediation, MediationStatus
from hrss.labor.tests.builders import make_arbitrator, organisation
from hrss.servicehall.tests.builders import sign_in

pytestmark = pytest.mark.django_db


def zh(user):
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), user)


def _form(city, org, **values):
    return {
        "idempotency_key": "page-1",
        "organisation": str(org.pk),
        "respondent": city.employer.credit_code,
        "claims": "支付2026年10月工资4300元",
        "amount": "4300",
        **values,
    }


def test_the_worker_applies_on_the_page_once_and_follows_it(city):
    org = organisation()
    worker = zh(city.citizen)
    page = worker.get("/labor/mediations/mine/").content.decode()
    assert "申请调解" in page and org.name in page
    answer = worker.post("/labor/mediations/mine/", _form(city, org))
    row = Mediation.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/labor/mediations/{row.reference}/"
    assert worker.post("/labor/mediations/mine/", _form(city, org)).status_code == 302  # resent: the same one
    assert Mediation.objects.count() == 1
    detail = worker.get(answer["Location"]).content.decode()
    assert row.reference in detail and "调解中" in detail and "支付2026年10月工资4300元" in detail
    assert "记录调解" not in detail  # the mediator's forms are not the worker's
    assert row.reference in worker.get("/labor/mediations/mine/").content.decode()


def test_a_wrong_application_comes_back_with_the_error_and_nothing_filed(city):
    org = organisation()
    answer = zh(city.citizen).post("/labor/mediations/mine/", _form(city, org, claims=" "))
    page = answer.content.decode()
    assert answer.status_code == 422 and 'aria-describedby="m-claims-error"' in page
    assert "请填写仲裁请求" in page
    assert not Mediation.objects.exists()


def test_the_mediator_records_a_session_and_the_agreement(city):
    org = organisation()
    zh(city.citizen).post("/labor/mediations/mine/", _form(city, org))
    row = Mediation.objects.get()
    mediator = zh(make_arbitrator())
    queue = mediator.get("/labor/mediations/queue/").content.decode()
    assert row.reference in queue
    url = f"/labor/mediations/{row.reference}/"
    assert "记录调解" in mediator.get(url).content.decode()
    # An agreement before any session is refused on the page.
    refused = mediator.post(url + "agree/", {"text": "单位于十日内支付工资4300元。"}, follow=True)
    assert "请先记录双方达成协议的调解会" in refused.content.decode()
    held = mediator.post(url + "session/", {"held_at": "2000-01-01T09:00", "mode": "online", "note": "x"}, follow=True)
    assert "调解记录须在调解结束后填写" in held.content.decode()
    from django.utils import timezone

    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    assert (
        mediator.post(url + "session/", {"held_at": now, "mode": "online", "note": "双方视频调解。"}).status_code == 302
    )
    done = mediator.post(url + "agree/", {"text": "单位于十日内支付工资4300元。", "amount": "4300"}, follow=True)
    row.refresh_from_db()
    assert row.status == MediationStatus.AGREED and row.amount_agreed == 4300
    assert "调解协议已记录" in done.content.decode() and "单位于十日内支付工资4300元" in done.content.decode()
    assert row.reference not in mediator.get("/labor/mediations/queue/").content.decode()


def test_a_failed_mediation_points_the_worker_to_arbitration(city):
    org = organisation()
    zh(city.citizen).post("/labor/mediations/mine/", _form(city, org))
    row = Mediation.objects.get()
    zh(make_arbitrator()).post(f"/labor/mediations/{row.reference}/fail/", {"reason": "单位拒绝调解。"})
    row.refresh_from_db()
    assert row.status == MediationStatus.FAILED
    page = zh(city.citizen).get(f"/labor/mediations/{row.reference}/").content.decode()
    assert "单位拒绝调解" in page and "/hall/items/SH-ZC-001/" in page


def test_others_cannot_read_or_act(city):
    org = organisation()
    zh(city.citizen).post("/labor/mediations/mine/", _form(city, org))
    row = Mediation.objects.get()
    assert zh(city.clerk).get("/labor/mediations/queue/").status_code == 403
    assert zh(city.clerk).get(f"/labor/mediations/{row.reference}/").status_code == 404
    assert zh(city.citizen).post(f"/labor/mediations/{row.reference}/fail/", {"reason": "x"}).status_code == 403
    assert Mediation.objects.get().status == MediationStatus.OPEN
