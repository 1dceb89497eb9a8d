"""The training pages: public catalogue and verification, the citizen's, the institution's, supervision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hrss.testing import sign_in
from hrss.training.models import Course
from hrss.training.tests import builders

pytestmark = pytest.mark.django_db


def test_public_pages_in_chinese(town):
    builders.course(town)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = client.get("/training/").content.decode()
    assert "电工（五级）实名制培训班" in page and "紧缺职业" in page
    assert "核验证书" in client.get("/training/verify/").content.decode()


def test_the_citizen_enrols_on_the_page_and_sees_the_certificate_and_its_verification(town):
    course = builders.course(town)
    client = sign_in(Client(), town.citizen)
    assert client.post(f"/training/courses/{course.pk}/enrol/").status_code == 302
    assert "电工（五级）实名制培训班" in client.get("/training/my/").content.decode()
    for session in course.sessions.all():
        builders.sign_in_face(town, session, town.citizen, at=session.starts_at)
    enrolment = course.enrolments.get()
    agent = sign_in(Client(), town.agent)
    assert agent.post(f"/training/institution/enrolments/{enrolment.pk}/complete/").status_code == 302
    certificate = builders.certified(town)
    assert certificate.number in client.get("/training/my/").content.decode()
    verified = Client().get("/training/verify/", {"number": certificate.number}).content.decode()
    assert 'id="verification"' in verified and "学**" in verified and town.citizen.person.name not in verified


def test_the_institution_and_supervision_pages(town):
    builders.course(town)
    assert sign_in(Client(), town.agent).get("/training/institution/").status_code == 200
    assert sign_in(Client(), town.approver).get("/training/supervision/").status_code == 200
    assert sign_in(Client(), town.citizen).get("/training/supervision/").status_code == 403
    assert sign_in(Client(), town.agent).get("/training/my/").status_code == 403


def _course_form(town, **values):
    first = timezone.localdate() + dt.timedelta(days=7)
    form = {
        "idempotency_key": "page-course-1",
        "title": "养老护理员（五级）周末班",
        "qualification": "4-10-01-05",
        "level": "5",
        "mode": "site",
        "site": str(town.site_a.pk),
        "hours": "60",
        "capacity": "25",
        "starts_on": first.isoformat(),
        "ends_on": (first + dt.timedelta(days=14)).isoformat(),
        "subsidy_eligible": "on",
        "sessions": f"{first} 09:00-12:00\n{first + dt.timedelta(days=7)} 9:00至11:30\n",
    }
    return {**form, **values}


def test_the_institution_publishes_a_course_with_its_sessions_on_the_page(town):
    agent = sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), town.agent)
    page = agent.get("/training/institution/").content.decode()
    assert "发布课程" in page and "养老护理员（4-10-01-05）" in page
    answer = agent.post("/training/institution/courses/", _course_form(town))
    assert answer.status_code == 302
    course = Course.objects.get(title="养老护理员（五级）周末班")
    assert course.site == town.site_a and course.subsidy_eligible and course.hours == 60
    starts = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in course.sessions.order_by("starts_at")]
    assert starts == ["09:00", "09:00"]
    assert "课程“养老护理员（五级）周末班”已发布" in agent.get("/training/institution/").content.decode()
    # The same form sent again (a double click, a retry) publishes nothing more.
    assert agent.post("/training/institution/courses/", _course_form(town)).status_code == 302
    assert Course.objects.filter(title="养老护理员（五级）周末班").count() == 1


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"sessions": "下周一上午"}, "sessions", "每行写一次课"),
        ({"capacity": "40"}, "capacity", "超过教室的 30 个座位"),
        ({"qualification": "6-18-02-04"}, "qualification", "不在贵机构的许可培训范围内"),
        ({"starts_on": "明天"}, "starts_on", "请输入日期"),
        ({"mode": "online", "title": ""}, "title", ""),
    ],
)
def test_a_wrong_course_form_is_shown_again_with_the_error_and_nothing_published(town, values, field, message):
    agent = sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), town.agent)
    answer = agent.post("/training/institution/courses/", _course_form(town, idempotency_key=field, **values))
    assert answer.status_code == 422
    page = answer.content.decode()
    assert message in page and f'aria-describedby="c-{field.removesuffix("_on")}-error"' in page
    assert '<details class="card" open>' in page
    assert not Course.objects.exists()


def test_only_an_institutions_agent_publishes_courses(town):
    citizen = sign_in(Client(), town.citizen)
    assert citizen.post("/training/institution/courses/", _course_form(town)).status_code == 403
    assert not Course.objects.exists()


def test_supervision_refreshes_its_live_part_and_a_new_case_appears_in_it(town):
    from hrss.training import services

    staff = sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), town.approver)
    page = staff.get("/training/supervision/").content.decode()
    assert 'hx-trigger="every 30s"' in page and "没有待处理的线索" in page
    here = builders.course(town, site=town.site_a, title="电工班（和平）")
    there = builders.course(town, site=town.site_b, title="电工班（河西）")
    for course in (here, there):
        services.enrol(scope=builders.scope(town.citizen), course_id=course.pk)
    first, second = here.sessions.order_by("starts_at")[0], there.sessions.order_by("starts_at")[0]
    builders.sign_in_face(town, first, town.citizen, at=first.starts_at)
    builders.sign_in_face(town, second, town.citizen, at=second.starts_at + dt.timedelta(minutes=5))

    live = staff.get("/training/supervision/", HTTP_HX_REQUEST="true")
    text = live.content.decode()
    assert live.status_code == 200 and text.lstrip().startswith('<div id="live"')
    assert "<html" not in text and "撤销证书" not in text  # only the live part, not the forms
    assert "同一时间在两处签到" in text and "没有待处理的线索" not in text


def test_the_body_keeps_proctor_logs_and_photos_by_their_sha256_on_the_page(town):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from hrss.training.models import ProctorRecord

    session = builders.exam(town)
    body = sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), town.body_agent)
    url = f"/training/body/sessions/{session.pk}/proctor/"
    photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    assert body.post(url, {"kind": "incident", "text": "考生3号迟到15分钟，未准入场。"}).status_code == 302
    assert body.post(url, {"kind": "photo", "photo": SimpleUploadedFile("room.png", photo)}).status_code == 302
    not_a_photo = body.post(url, {"kind": "photo", "photo": SimpleUploadedFile("notes.txt", b"hello")}, follow=True)
    assert "请附上JPEG或PNG格式的照片" in not_a_photo.content.decode()
    records = list(ProctorRecord.objects.filter(session=session).order_by("created_at"))
    assert [(r.kind, r.sha256) for r in records] == [
        ("incident", ""),
        ("photo", hashlib.sha256(photo).hexdigest()),
    ]
    page = body.get("/training/institution/").content.decode()
    assert "考生3号迟到15分钟" in page and f"SHA-256 {records[1].sha256[:16]}" in page
    # Another employer's agent (the training school) cannot write in the body's session.
    assert sign_in(Client(), town.agent).post(url, {"kind": "log", "text": "x"}).status_code in (403, 404)
