"""The exams pages and API as their users meet them: a citizen registers and sees the
ticket and score, the office takes the exam step by step, a marker marks blind, a proctor
checks a ticket; bad input is answered in the page, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from hrss.core import scope as roles
from hrss.exams.models import AnswerSheet, ExamStatus, Registration, Seat
from hrss.exams.tests import builders as b
from hrss.testing import make_person, make_user, sign_in

pytestmark = pytest.mark.django_db


def _citizen(name: str = "页面考生"):
    person = make_person(name=name, birth=dt.date(1997, 3, 3))
    return person, sign_in(Client(), make_user(f"c{person.pk.hex[:8]}", roles.CITIZEN, person=person))


def test_a_citizen_registers_in_the_page_and_an_ineligible_one_is_told_why():
    b.bank()
    exam = b.exam(fee="0")
    page = Client().get(reverse("exams:exam", args=[exam.code]))
    assert page.status_code == 200 and "岗位1" in page.content.decode()
    person, client = _citizen()
    done = client.post(reverse("exams:register", args=[exam.code]), {"post": "P01"})
    assert done.status_code == 302 and Registration.objects.filter(person=person).exists()
    old = make_person(name="超龄", birth=dt.date(1960, 1, 1))
    old_client = sign_in(Client(), make_user("old", roles.CITIZEN, person=old))
    refused = old_client.post(reverse("exams:register", args=[exam.code]), {"post": "P01"})
    assert refused.status_code == 422 and "年龄" in refused.content.decode()
    assert client.get(reverse("exams:register", args=[exam.code])).status_code == 302
    assert client.get(reverse("exams:exam", args=["NOPE"])).status_code == 404


def test_the_office_walks_the_exam_and_the_candidate_gets_ticket_and_score():
    b.bank(essays=0)
    exam = b.exam(fee="0", essays=0)
    person, client = _citizen()
    client.post(reverse("exams:register", args=[exam.code]), {"post": "P01"})
    office = sign_in(Client(), make_user("office", roles.REVIEWER, city_wide=True))
    detail = office.get(reverse("exams:office_exam", args=[exam.code]))
    assert person.name in detail.content.decode()
    registration = Registration.objects.get(person=person)
    office.post(reverse("exams:office_review", args=[registration.pk]), {"exam": exam.code, "decision": "approve"})
    for step in ("paper", "close", "seats"):
        answer = office.post(reverse("exams:office_step", args=[exam.code]), {"step": step})
        assert answer.status_code == 302, answer.content.decode()[:500]
    assert office.post(reverse("exams:office_step", args=[exam.code]), {"step": "publish"}).status_code == 409
    seat = Seat.objects.get(registration=registration)
    bad = office.post(reverse("exams:office_sheets", args=[exam.code]), {"file": _file(b"\xff\xfe")})
    assert bad.status_code == 422
    from hrss.exams import services
    from hrss.exams.models import Paper

    key = services.paper_layout(Paper.objects.get(exam=exam))[0]
    sheets = office.post(
        reverse("exams:office_sheets", args=[exam.code]),
        {"file": _file(f"ticket,answers\n{seat.ticket},{key}\n".encode())},
    )
    assert sheets.status_code == 302 and AnswerSheet.objects.count() == 1
    for step in ("score", "publish"):
        assert office.post(reverse("exams:office_step", args=[exam.code]), {"step": step}).status_code == 302
    exam.refresh_from_db()
    assert exam.status == ExamStatus.PUBLISHED
    mine = client.get(reverse("exams:mine")).content.decode()
    assert (seat.ticket in mine and "12.0" in mine and "第 1 名" in mine) or "第1名" in mine
    pdf = client.get(reverse("exams:ticket_pdf", args=[registration.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    check = Client().get(reverse("exams:ticket", args=[seat.ticket])).content.decode()
    assert "真实有效" in check and person.name not in check
    assert Client().get(reverse("exams:ticket", args=["X"])).status_code == 404


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("sheets.csv", data, content_type="text/csv")
