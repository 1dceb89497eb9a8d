"""The daily job ``employment.vacancies_expire`` (E1): open vacancies past their last day
become expired in one UPDATE, each employer's agents are told once, a second run does nothing."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrss.core.models import AuditEntry
from hrss.core.schedule import job_get
from hrss.employment import jobs
from hrss.employment.models import Vacancy
from hrss.employment.notify_templates import VACANCIES_EXPIRED_TEMPLATE
from hrss.employment.tests import builders
from hrss.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _past(vacancy, days=1):
    Vacancy.objects.filter(pk=vacancy.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=days))


def test_open_vacancies_past_their_last_day_expire_and_the_agents_are_told_once():
    agent = builders.agent(name="过期测试单位")
    other = builders.agent(name="另一单位")
    old1, old2 = builders.vacancy(agent, title="旧岗位一"), builders.vacancy(agent, title="旧岗位二")
    today_last = builders.vacancy(agent, title="今天截止")
    Vacancy.objects.filter(pk=today_last.pk).update(valid_until=timezone.localdate())
    closed = builders.vacancy(other, title="已关闭")
    fresh = builders.vacancy(other, title="新岗位")
    for vacancy in (old1, old2, closed):
        _past(vacancy)
    Vacancy.objects.filter(pk=closed.pk).update(status=Vacancy.Status.CLOSED)

    counts = jobs.vacancies_expire()

    assert counts == {"expired": 2, "told": 1}
    status = dict(Vacancy.objects.values_list("title", "status"))
    assert status == {
        "旧岗位一": "expired",
        "旧岗位二": "expired",
        "今天截止": "open",
        "已关闭": "closed",
        "新岗位": "open",
    }
    told = OutboundMessage.objects.get(template=VACANCIES_EXPIRED_TEMPLATE)
    assert (told.channel, told.recipient) == ("in_app", str(agent.pk))
    params = json.loads(told.params)
    assert params["count"] == 2 and "旧岗位一" in params["titles"] and "旧岗位二" in params["titles"]
    assert AuditEntry.objects.filter(action="employment.vacancies_expire").count() == 1
    assert fresh.pk  # untouched

    assert jobs.vacancies_expire() == {"expired": 0, "told": 0}
    assert OutboundMessage.objects.filter(template=VACANCIES_EXPIRED_TEMPLATE).count() == 1


def test_the_expiry_is_one_update_however_many_vacancies():
    agent = builders.agent()
    for n in range(6):
        _past(builders.vacancy(agent, title=f"岗位{n}"))
    with CaptureQueriesContext(connection) as queries:
        jobs.vacancies_expire()
    updates = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "employment_vacancy" in q["sql"]
    ]
    assert len(updates) == 1
    assert Vacancy.objects.filter(status=Vacancy.Status.EXPIRED).count() == 6


def test_the_job_is_scheduled_daily():
    job = job_get("employment.vacancies_expire")
    assert job.func == "hrss.employment.jobs.vacancies_expire"
    assert job.cron.split()[2:] == ["*", "*", "*"]


def test_an_expired_vacancy_cannot_be_applied_for_and_shows_to_its_employer():
    agent = builders.agent()
    vacancy = builders.vacancy(agent, title="过期岗位")
    _past(vacancy)
    jobs.vacancies_expire()
    from hrss.core.errors import NotFound
    from hrss.employment import selectors, services

    with pytest.raises(NotFound):
        services.application_submit(scope=builders.scope(builders.seeker()), vacancy_id=vacancy.pk)
    assert selectors.vacancy_get(scope=builders.scope(agent), vacancy_id=vacancy.pk).status == "expired"
