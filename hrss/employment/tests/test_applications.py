"""Applications and interview invitations (E1): a seeker applies, the employer's agent sees
the applicants of its own vacancies only and invites one, and the invitation reaches the
seeker through notify, once."""

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.employment import selectors, services
from hrss.employment.models import InterviewInvitation, JobApplication
from hrss.employment.notify_templates import INTERVIEW_INVITATION_TEMPLATE, NEW_APPLICANT_TEMPLATE
from hrss.employment.tests import builders
from hrss.identity.auth import token_create
from hrss.notify.models import OutboundMessage
from hrss.testing import make_person, make_user, sign_in

pytestmark = pytest.mark.django_db


def seeker_with_phone(**kw):
    from hrss.core import scope as roles

    person = make_person(district="120101", name=kw.pop("name", "李娜"), phone="13900139000")
    return make_user(f"applicant-{person.pk.hex[:8]}", roles.CITIZEN, person=person)


def later(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_a_seeker_applies_once_and_the_employers_agent_is_told():
    agent = builders.agent(name="应聘测试单位")
    vacancy = builders.vacancy(agent, title="数据分析师")
    user = seeker_with_phone()
    first = services.application_submit(scope=builders.scope(user), vacancy_id=vacancy.pk, note="五年经验")
    again = services.application_submit(scope=builders.scope(user), vacancy_id=vacancy.pk, note="再点一次")
    assert again.pk == first.pk and again.note == "五年经验"
    assert JobApplication.objects.count() == 1
    told = OutboundMessage.objects.filter(template=NEW_APPLICANT_TEMPLATE)
    assert [(m.channel, m.recipient) for m in told] == [("in_app", str(agent.pk))]
    assert "数据分析师" in json.loads(told.get().params)["title"]
    assert AuditEntry.objects.filter(action="employment.application_submit").count() == 1


def test_a_closed_expired_or_unknown_vacancy_cannot_be_applied_for_and_an_agent_cannot_apply():
    agent = builders.agent()
    user = builders.seeker()
    closed = builders.vacancy(agent)
    services.vacancy_close(scope=builders.scope(agent), vacancy_id=closed.pk)
    expired = builders.vacancy(agent)
    type(expired).objects.filter(pk=expired.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    for vacancy_id in (closed.pk, expired.pk, uuid.uuid4()):
        with pytest.raises(NotFound):
            services.application_submit(scope=builders.scope(user), vacancy_id=vacancy_id)
    with pytest.raises(PermissionDenied):
        services.application_submit(scope=builders.scope(agent), vacancy_id=builders.vacancy(agent).pk)
    assert not JobApplication.objects.exists()


def test_the_agent_invites_an_applicant_who_is_told_in_app_and_by_sms_once():
    agent = builders.agent(name="面试测试单位")
    vacancy = builders.vacancy(agent, title="运维工程师", address="和平区南京路100号")
    user = seeker_with_phone()
    application = services.application_submit(scope=builders.scope(user), vacancy_id=vacancy.pk)
    at = later()
    invitation = services.invitation_send(
        scope=builders.scope(agent), application_id=application.pk, at=at, place="南京路100号三楼", note="带身份证"
    )
    again = services.invitation_send(
        scope=builders.scope(agent), application_id=application.pk, at=later(5), place="别处"
    )
    assert again.pk == invitation.pk and InterviewInvitation.objects.count() == 1
    application.refresh_from_db()
    assert application.status == JobApplication.Status.INVITED
    sent = OutboundMessage.objects.filter(template=INTERVIEW_INVITATION_TEMPLATE).order_by("channel")
    assert [(m.channel, m.recipient) for m in sent] == [("in_app", str(user.pk)), ("sms", "13900139000")]
    params = json.loads(sent[0].params)
    assert params["employer"] == "面试测试单位" and params["title"] == "运维工程师"
    assert params["at"] == timezone.localtime(at).strftime("%Y-%m-%d %H:%M") and params["place"] == "南京路100号三楼"
    mine = selectors.applications_mine(scope=builders.scope(user), limit=10)
    assert mine[0].invitation.place == "南京路100号三楼"
    assert AuditEntry.objects.filter(action="employment.invitation_send").count() == 1


def test_an_invitation_in_the_past_too_far_ahead_or_without_a_place_is_refused():
    agent = builders.agent()
    application = services.application_submit(
        scope=builders.scope(builders.seeker()), vacancy_id=builders.vacancy(agent).pk
    )
    for at, place, field in (
        (timezone.now() - dt.timedelta(hours=1), "三楼", "at"),
        (later(200), "三楼", "at"),
        (later(), "  ", "place"),
    ):
        with pytest.raises(InvalidInput) as refused:
            services.invitation_send(scope=builders.scope(agent), application_id=application.pk, at=at, place=place)
        assert field in refused.value.fields
    assert not InterviewInvitation.objects.exists()
    assert not OutboundMessage.objects.filter(template=INTERVIEW_INVITATION_TEMPLATE).exists()


def test_another_employers_agent_neither_sees_the_applicants_nor_invites_them():
    agent, other = builders.agent(), builders.agent(name="别家单位")
    vacancy = builders.vacancy(agent)
    application = services.application_submit(scope=builders.scope(builders.seeker()), vacancy_id=vacancy.pk)
    with pytest.raises(NotFound):
        selectors.applicants_of_vacancy(scope=builders.scope(other), vacancy_id=vacancy.pk, limit=10)
    with pytest.raises(NotFound):
        services.invitation_send(scope=builders.scope(other), application_id=application.pk, at=later(), place="x")
    with pytest.raises(PermissionDenied):
        selectors.applicants_of_vacancy(scope=builders.scope(builders.seeker()), vacancy_id=vacancy.pk, limit=10)


def test_the_profile_is_shown_to_the_employer_only_when_the_seeker_allows_it_and_the_read_is_audited():
    agent = builders.agent()
    vacancy = builders.vacancy(agent)
    private, open_ = builders.seeker(name="甲"), builders.seeker(name="乙")
    builders.profile(private, skills=["保密技能"])
    builders.profile(open_, skills=["Linux"], visible_to_employers=True)
    for user in (private, open_):
        services.application_submit(scope=builders.scope(user), vacancy_id=vacancy.pk)
    applicants = selectors.applicants_of_vacancy(scope=builders.scope(agent), vacancy_id=vacancy.pk, limit=10)
    shown = {a.application.person.name: a.profile for a in applicants}
    assert shown["甲"] is None
    assert shown["乙"] is not None and shown["乙"].skills == ["Linux"]
    read = AuditEntry.objects.get(action="employment.applicants_read")
    assert read.object_id == str(vacancy.pk) and len(read.detail["applications"]) == 2


def test_the_api_applies_lists_and_invites():
    agent = builders.agent()
    vacancy = builders.vacancy(agent)
    user = seeker_with_phone()
    citizen = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
    employer = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=agent)}")
    url = f"/api/v1/employment/vacancies/{vacancy.pk}/applications"
    applied = citizen.post(url, {"note": "可随时到岗"}, content_type="application/json")
    assert applied.status_code == 201, applied.content
    assert applied.json()["vacancy"]["id"] == str(vacancy.pk) and applied.json()["invitation"] is None
    assert citizen.post(url, {}, content_type="application/json").json()["id"] == applied.json()["id"]
    assert citizen.get(url).status_code == 403
    listed = employer.get(url).json()
    assert [a["name"] for a in listed] == ["李娜"] and listed[0]["profile"] is None
    invite = f"/api/v1/employment/applications/{listed[0]['id']}/invitation"
    body = {"at": later().isoformat(), "place": "三楼人事部"}
    assert employer.post(invite, body, content_type="application/json").status_code == 201
    past = {"at": (timezone.now() - dt.timedelta(days=1)).isoformat(), "place": "三楼"}
    fresh = services.application_submit(scope=builders.scope(builders.seeker()), vacancy_id=vacancy.pk)
    refused = employer.post(
        f"/api/v1/employment/applications/{fresh.pk}/invitation", past, content_type="application/json"
    )
    assert refused.status_code == 422 and "at" in refused.json()["fields"]
    mine = citizen.get("/api/v1/employment/me/applications").json()
    assert mine[0]["status"] == "invited" and mine[0]["invitation"]["place"] == "三楼人事部"


def test_the_pages_walk_apply_candidates_and_invite_in_chinese():
    agent = builders.agent(name="页面测试单位")
    vacancy = builders.vacancy(agent, title="前端开发")
    user = builders.seeker(name="王芳")
    builders.profile(user)
    citizen = sign_in(Client(), user)
    assert "前端开发" in citizen.get("/employment/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert citizen.post(f"/employment/vacancies/{vacancy.pk}/apply/").status_code == 302
    employer = sign_in(Client(), agent)
    listing = employer.get("/employment/vacancies/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "1 位应聘者" in listing
    page = employer.get(f"/employment/vacancies/{vacancy.pk}/candidates/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "王芳" in page.content.decode() and "发送面试邀请" in page.content.decode()
    application = JobApplication.objects.get()
    bad = employer.post(f"/employment/applications/{application.pk}/invite/", {"at": "明天", "place": "三楼"})
    assert bad.status_code == 422
    at = timezone.localtime(later()).strftime("%Y-%m-%dT%H:%M")
    sent = employer.post(f"/employment/applications/{application.pk}/invite/", {"at": at, "place": "三楼会议室"})
    assert sent.status_code == 302
    mine = citizen.get("/employment/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已邀请面试" in mine and "三楼会议室" in mine
    assert citizen.get(f"/employment/vacancies/{vacancy.pk}/candidates/").status_code == 403
    assert (
        sign_in(Client(), builders.agent(name="他人"))
        .get(f"/employment/vacancies/{vacancy.pk}/candidates/")
        .status_code
        == 404
    )
