"""Shortlists and seekers for a vacancy (E4): the employer's agent shortlists or declines an
applicant (the seeker told in-app), and sees seekers who opted in ranked for its own vacancy
with the reasons (an audited read; another employer's vacancy is not found)."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.employment import selectors, services
from hrss.employment.models import JobApplication
from hrss.employment.notify_templates import APPLICATION_DECLINED_TEMPLATE, APPLICATION_SHORTLISTED_TEMPLATE
from hrss.employment.tests import builders
from hrss.identity.auth import token_create
from hrss.notify.models import OutboundMessage
from hrss.testing import sign_in

pytestmark = pytest.mark.django_db


def applied(agent, seeker=None, **vacancy):
    seeker = seeker or builders.seeker()
    vacancy = builders.vacancy(agent, **vacancy)
    return seeker, services.application_submit(scope=builders.scope(seeker), vacancy_id=vacancy.pk)


def test_the_agent_shortlists_then_declines_and_the_seeker_is_told_each_once():
    agent = builders.agent(name="筛选测试单位")
    seeker, application = applied(agent, title="会计")
    scope = builders.scope(agent)
    assert (
        services.application_decide(scope=scope, application_id=application.pk, decision="shortlisted").status
        == "shortlisted"
    )
    services.application_decide(scope=scope, application_id=application.pk, decision="shortlisted")
    services.application_decide(scope=scope, application_id=application.pk, decision="declined")
    told = [m for m in OutboundMessage.objects.filter(channel="in_app") if m.recipient == str(seeker.pk)]
    assert sorted(m.template for m in told) == sorted([APPLICATION_SHORTLISTED_TEMPLATE, APPLICATION_DECLINED_TEMPLATE])
    assert AuditEntry.objects.filter(action="employment.application_decide").count() == 2


def test_decisions_are_refused_for_others_unknown_decisions_and_invited_to_shortlisted():
    agent = builders.agent()
    _seeker, application = applied(agent)
    with pytest.raises(NotFound):
        services.application_decide(
            scope=builders.scope(builders.agent()), application_id=application.pk, decision="declined"
        )
    with pytest.raises(NotFound):
        services.application_decide(scope=builders.scope(agent), application_id=uuid.uuid4(), decision="declined")
    with pytest.raises(PermissionDenied):
        services.application_decide(
            scope=builders.scope(builders.seeker()), application_id=application.pk, decision="declined"
        )
    with pytest.raises(InvalidInput):
        services.application_decide(scope=builders.scope(agent), application_id=application.pk, decision="hired")
    JobApplication.objects.filter(pk=application.pk).update(status="invited")
    with pytest.raises(Conflict):
        services.application_decide(scope=builders.scope(agent), application_id=application.pk, decision="shortlisted")


def test_seekers_who_opted_in_are_ranked_for_the_employers_own_vacancy_with_reasons():
    agent = builders.agent()
    vacancy = builders.vacancy(agent, occupation="2-02", district="120101", skills=["Python", "SQL"], wage_max=12000)
    best = builders.seeker(name="最合适")
    builders.profile(best, visible_to_employers=True, skills=["Python", "SQL"])
    group = builders.seeker(name="同组")
    builders.profile(group, visible_to_employers=True, occupations=["2-05"], districts=["120103"], skills=[])
    hidden = builders.seeker(name="不公开")
    builders.profile(hidden, visible_to_employers=False)
    dear = builders.seeker(name="要价高")
    builders.profile(dear, visible_to_employers=True, wage_min=20000)
    far = builders.seeker(name="不相关")
    builders.profile(far, visible_to_employers=True, occupations=["4-01"], districts=["120119"])  # far: 蓟州区
    services.application_submit(scope=builders.scope(best), vacancy_id=vacancy.pk)

    fits = selectors.seekers_for_vacancy(scope=builders.scope(agent), vacancy_id=vacancy.pk, limit=10)

    assert [fit.name for fit in fits] == ["最合适", "同组"]
    assert [r.code for r in fits[0].match.reasons] == ["same_occupation", "district", "wage", "skills"]
    assert fits[0].applied and not fits[1].applied
    entry = AuditEntry.objects.get(action="employment.seekers_read")
    assert entry.object_id == str(vacancy.pk) and len(entry.detail["persons"]) == 2
    with pytest.raises(NotFound):
        selectors.seekers_for_vacancy(scope=builders.scope(builders.agent()), vacancy_id=vacancy.pk, limit=10)
    with pytest.raises(PermissionDenied):
        selectors.seekers_for_vacancy(scope=builders.scope(best), vacancy_id=vacancy.pk, limit=10)


def test_the_seekers_read_is_set_based():
    agent = builders.agent()
    vacancy = builders.vacancy(agent)

    def count():
        with CaptureQueriesContext(connection) as queries:
            selectors.seekers_for_vacancy(scope=builders.scope(agent), vacancy_id=vacancy.pk, limit=50)
        return len(queries)

    builders.profile(builders.seeker(), visible_to_employers=True)
    count()  # the first read fills the dated parameters' cache (the nearby distance)
    few = count()
    for _n in range(5):
        builders.profile(builders.seeker(), visible_to_employers=True)
    assert count() == few


def test_the_api_decides_and_ranks_and_refuses_others():
    agent = builders.agent()
    seeker, application = applied(agent)
    builders.profile(seeker, visible_to_employers=True)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=agent)}")
    decided = api.post(
        f"/api/v1/employment/applications/{application.pk}/decision",
        {"decision": "shortlisted"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "shortlisted"
    bad = api.post(
        f"/api/v1/employment/applications/{application.pk}/decision",
        {"decision": "hired"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    unknown = api.post(
        f"/api/v1/employment/applications/{uuid.uuid4()}/decision",
        {"decision": "declined"},
        content_type="application/json",
    )
    assert unknown.status_code == 404
    ranked = api.get(f"/api/v1/employment/vacancies/{application.vacancy_id}/seekers")
    assert ranked.status_code == 200
    assert ranked.json()[0]["applied"] is True and ranked.json()[0]["reasons"]
    assert api.get(f"/api/v1/employment/vacancies/{application.vacancy_id}/seekers?limit=0").status_code == 422
    other = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=builders.agent())}")
    assert other.get(f"/api/v1/employment/vacancies/{application.vacancy_id}/seekers").status_code == 404
    citizen = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=seeker)}")
    assert citizen.get(f"/api/v1/employment/vacancies/{application.vacancy_id}/seekers").status_code == 403


def test_the_pages_shortlist_decline_and_list_seekers_in_chinese():
    agent = builders.agent()
    seeker, application = applied(agent, title="前端开发")
    builders.profile(seeker, visible_to_employers=True)
    client = sign_in(Client(), agent)
    candidates = client.get(f"/employment/vacancies/{application.vacancy_id}/candidates/").content.decode()
    assert f"/employment/applications/{application.pk}/decision/" in candidates
    assert (
        client.post(f"/employment/applications/{application.pk}/decision/", {"decision": "shortlisted"}).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == "shortlisted"
    page = client.get(f"/employment/vacancies/{application.vacancy_id}/seekers/")
    assert page.status_code == 200 and "求职人" in page.content.decode()
    other = sign_in(Client(), builders.agent())
    assert other.get(f"/employment/vacancies/{application.vacancy_id}/seekers/").status_code == 404
    assert (
        other.post(f"/employment/applications/{application.pk}/decision/", {"decision": "declined"}).status_code == 404
    )
