"""What a browser walk of the exams pages found, each fixed and kept fixed: the fee paid on the
development provider's page, the office's steps, decided registrations, the office's note,
the certificate beside the registration, the re-check, a registered citizen on the exam's
page, the exam's hours on the ticket, and the demo exam's dates."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from hrss.core import exchange
from hrss.core import scope as roles
from hrss.core.models import AuditEntry
from hrss.exams import demo, rules, services
from hrss.exams.models import Appeal, Exam, ExamStatus, FeeOrder, Paper, Registration, Score
from hrss.exams.tests import builders as b
from hrss.testing import make_person, make_user, sign_in

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _citizen(name: str = "走查考生", birth: dt.date = dt.date(1995, 5, 5)) -> tuple[Any, Client]:
    person = make_person(name=name, birth=birth)
    return person, sign_in(Client(), make_user(f"w{person.pk.hex[:10]}", roles.CITIZEN, person=person))


def _office() -> Client:
    return sign_in(Client(), make_user(f"o{uuid.uuid4().hex[:8]}", roles.REVIEWER, city_wide=True))


def _registered(exam: Exam, *, approve: bool | None = True, note: str = "") -> tuple[Any, Client, Registration]:
    person, client = _citizen(name=f"考生{uuid.uuid4().hex[:4]}")
    registration = services.registration_create(scope=b.citizen(person), exam_code=exam.code, post_code="P01")
    if approve is not None:
        registration = services.registration_review(
            scope=b.OFFICE, registration_id=registration.pk, approve=approve, note=note
        )
    return person, client, registration


# 1. The fee through the development provider's own page ------------------------------------


def test_the_citizen_pays_the_fee_on_the_local_provider_page_through_the_provider_callback() -> None:
    exam = b.exam(fee="60.00")
    _person, client, registration = _registered(exam)
    started = client.post(reverse("exams:fee", args=[registration.pk]))
    assert started.status_code == 302 and started["Location"].startswith("/payments/local/")
    order = FeeOrder.objects.get(registration=registration)
    page = client.get(started["Location"], **ZH).content.decode()
    assert order.reference in page and "60.00" in page and exam.name in page
    # paying again before confirming leads to the same order's page, not a second charge
    assert client.post(reverse("exams:fee", args=[registration.pk]))["Location"] == started["Location"]
    done = client.post(started["Location"], {"decision": "paid"}, **ZH)
    assert done.status_code == 302 and done["Location"] == reverse("exams:mine")
    order.refresh_from_db()
    registration.refresh_from_db()
    assert order.status == FeeOrder.Status.PAID and registration.status == Registration.Status.CONFIRMED
    mine = client.get(done["Location"], **ZH).content.decode()
    assert "已支付成功" in mine and "<dt>报名状态</dt><dd>报名成功</dd>" in mine
    # a repeated confirmation is the provider's repeated callback: nothing changes
    paid_at = order.paid_at
    assert client.post(started["Location"], {"decision": "paid"}).status_code == 302
    order.refresh_from_db()
    assert order.paid_at == paid_at and FeeOrder.objects.filter(registration=registration).count() == 1
    assert AuditEntry.objects.filter(action="exams.fee.status", object_id=order.reference).count() == 1


def test_a_cancelled_payment_leaves_the_fee_due_and_a_new_order_can_be_paid() -> None:
    exam = b.exam(fee="60.00")
    _person, client, registration = _registered(exam)
    first = client.post(reverse("exams:fee", args=[registration.pk]))["Location"]
    client.post(first, {"decision": "failed"})
    assert FeeOrder.objects.get(registration=registration).status == FeeOrder.Status.FAILED
    second = client.post(reverse("exams:fee", args=[registration.pk]))["Location"]
    assert second != first
    client.post(second, {"decision": "paid"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_the_local_provider_page_is_absent_under_a_signed_gateway(settings: Any) -> None:
    exam = b.exam(fee="60.00")
    _person, client, registration = _registered(exam)
    url = client.post(reverse("exams:fee", args=[registration.pk]))["Location"]
    settings.HRSS_PAYMENT_GATEWAYS = {
        "thirdparty": {
            "BACKEND": "hrss.core.payments.HttpGateway",
            "OPTIONS": {"base_url": "https://pay.example.cn", "merchant_id": "m", "key": "k" * 40},
        }
    }
    assert client.post(url, {"decision": "paid"}).status_code == 404
    assert FeeOrder.objects.get(registration=registration).status == FeeOrder.Status.PENDING


# 2. Only the next valid steps --------------------------------------------------------------


def _steps(office: Client, exam: Exam) -> list[str]:
    page = office.get(reverse("exams:office_exam", args=[exam.code]), **ZH)
    html = page.content.decode()
    select = html.split('id="step"', 1)[1].split("</select>", 1)[0] if 'id="step"' in html else ""
    return [part.split('"', 1)[0] for part in select.split('value="')[1:]]


def test_the_office_is_offered_only_the_steps_the_exam_can_take_now() -> None:
    assert rules.next_steps("draft", sealed=False) == ("open", "paper")
    assert rules.next_steps("open", sealed=True) == ("close",)
    assert rules.next_steps("seated", sealed=False) == ("paper",)
    assert rules.next_steps("seated", sealed=True) == ("score",)
    assert rules.next_steps("scored", sealed=True) == ("score", "publish")
    assert rules.next_steps("published", sealed=True) == ()
    b.bank(essays=0)
    exam = b.exam(essays=0, fee="0")
    office = _office()
    assert _steps(office, exam) == ["paper", "close"]
    services.paper_assemble(scope=b.OFFICE, exam_code=exam.code)
    assert _steps(office, exam) == ["close"]  # no "paper" on a sealed exam (it was a 409)
    services.exam_advance(scope=b.OFFICE, code=exam.code, step="close")
    assert _steps(office, exam) == ["seats"]
    Exam.objects.filter(pk=exam.pk).update(status=ExamStatus.PUBLISHED)
    page = office.get(reverse("exams:office_exam", args=[exam.code]), **ZH).content.decode()
    assert _steps(office, exam) == [] and "没有待办步骤" in page


# 3, 4, 5. Decided registrations, the office's note, the certificate -----------------------


def test_decided_registrations_stay_on_the_office_page_with_their_decision_and_filter() -> None:
    exam = b.exam(fee="10.00")
    approved, _c, _r = _registered(exam, approve=True, note="材料齐全")
    refused, _c2, _r2 = _registered(exam, approve=False, note="学历不符")
    waiting, _c3, _r3 = _registered(exam, approve=None)
    office = _office()
    url = reverse("exams:office_exam", args=[exam.code])
    page = office.get(url, **ZH).content.decode()
    decided = page.split("已审查的报名", 1)[1]
    assert approved.name in decided and refused.name in decided and waiting.name not in decided
    with translation.override("zh-hans"):
        refused_label = str(Registration.Status.REFUSED.label)
    assert "待缴费" in decided and "材料齐全" in decided and "学历不符" in decided and refused_label in decided
    only_refused = office.get(url, {"decided": "refused"}, **ZH).content.decode().split("已审查的报名", 1)[1]
    assert refused.name in only_refused and approved.name not in only_refused
    assert office.get(url, {"decided": "nonsense"}).status_code == 200  # an unknown filter shows all


def test_the_office_page_reads_in_constant_queries_however_many_are_decided() -> None:
    exam = b.exam(fee="10.00")
    office = _office()
    url = reverse("exams:office_exam", args=[exam.code])
    _registered(exam, approve=True, note="材料齐全")
    _registered(exam, approve=None)
    office.get(url)
    with CaptureQueriesContext(connection) as few:
        office.get(url)
    for _ in range(6):
        _registered(exam, approve=False, note="不符合")
        _registered(exam, approve=None)
    with CaptureQueriesContext(connection) as many:
        office.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_citizen_sees_the_status_and_the_office_note_apart() -> None:
    exam = b.exam(fee="10.00")
    _person, client, _registration = _registered(exam, approve=True, note="材料齐全")
    page = client.get(reverse("exams:mine"), **ZH).content.decode()
    assert "待缴费：材料齐全" not in page
    assert "<dt>报名状态</dt><dd>待缴费</dd>" in page and "<dt>审查意见</dt><dd>材料齐全</dd>" in page


def test_the_reviewer_sees_the_certificate_number_and_what_the_check_found(monkeypatch: Any) -> None:
    exam = b.exam(fee="10.00")
    exam.posts.filter(code="P01").update(certificate_kind="teacher")
    person, client = _citizen()

    def found(kind: str, number: str, *, on: dt.date) -> exchange.CertificateCheck | None:
        if number != "JS2020001":
            return None
        return exchange.CertificateCheck(
            kind=kind, number=number, valid=True, status="valid", person_id=person.pk,
            title="高级中学教师资格", issued_on=dt.date(2020, 7, 1),
        )  # fmt: skip

    monkeypatch.setattr(exchange, "certificate_check", found)
    refused = client.post(
        reverse("exams:register", args=[exam.code]), {"post": "P01", "certificate_number": "X1"}, **ZH
    )
    assert refused.status_code == 422
    answer = client.post(
        reverse("exams:register", args=[exam.code]), {"post": "P01", "certificate_number": "js2020001"}
    )
    assert answer.status_code == 302
    page = _office().get(reverse("exams:office_exam", args=[exam.code]), **ZH).content.decode()
    to_review = page.split("已审查的报名", 1)[0]
    assert "JS2020001" in to_review and "有效：高级中学教师资格（2020-07-01）" in to_review


# 6. The re-check -------------------------------------------------------------------------


def _published(*, total_twice: bool = False) -> tuple[Client, Registration]:
    b.bank(essays=0)
    exam = b.exam(essays=0, fee="0")
    person, client = _citizen()
    registration = services.registration_create(scope=b.citizen(person), exam_code=exam.code, post_code="P01")
    services.registration_review(scope=b.OFFICE, registration_id=registration.pk, approve=True)
    services.paper_assemble(scope=b.OFFICE, exam_code=exam.code)
    services.exam_advance(scope=b.OFFICE, code=exam.code, step="close")
    services.seats_allocate(scope=b.OFFICE, exam_code=exam.code)
    key = services.paper_layout(Paper.objects.get(exam=exam))[0]
    ticket = Registration.objects.get(pk=registration.pk).seat.ticket
    services.sheets_record(scope=b.OFFICE, exam_code=exam.code, sheets={ticket: key}, scripts={})
    services.exam_score(scope=b.OFFICE, exam_code=exam.code)
    services.results_publish(scope=b.OFFICE, exam_code=exam.code)
    return client, registration


def test_the_recheck_asks_a_bounded_reason_and_shows_status_and_outcome_with_one_score_format() -> None:
    assert [rules.score_text(v) for v in (Decimal("50"), Decimal("50.0"), Decimal("49.95"), 12)] == [
        "50.0",
        "50.0",
        "50.0",
        "12.0",
    ]
    client, registration = _published()
    mine = client.get(reverse("exams:mine"), **ZH).content.decode()
    assert 'name="reason"' in mine and 'maxlength="500"' in mine and "申请理由（必填，不超过 500 个字）" in mine
    url = reverse("exams:appeal", args=[registration.pk])
    empty = client.post(url, {"reason": "  "}, **ZH)
    assert empty.status_code == 422 and "请填写申请复核的理由" in empty.content.decode()
    long = client.post(url, {"reason": "长" * 501}, **ZH)
    assert long.status_code == 422 and "不超过 500 个字" in long.content.decode() and not Appeal.objects.exists()
    assert client.post(url, {"reason": "第3题我选的是A"}).status_code == 302
    open_ = client.get(reverse("exams:mine"), **ZH).content.decode()
    assert "复核状态" in open_ and "复核中" in open_ and "第3题我选的是A" in open_ and 'name="reason"' not in open_
    appeal = Appeal.objects.get()
    # the re-check's own total comes back without its decimal (50, not 50.0): shown alike
    Score.objects.filter(registration=registration).update(total=Decimal("11"))
    Appeal.objects.filter(pk=appeal.pk).update(total_before=Decimal("11"))
    office = _office()
    decided = office.post(reverse("exams:office_appeal", args=[appeal.pk]), follow=True, **ZH).content.decode()
    assert "原成绩 11.0，复核后 12.0" in decided
    outcome = client.get(reverse("exams:mine"), **ZH).content.decode()
    assert "总分由 11.0 更正为 12.0" in outcome and "12.0" in outcome


# 7. A registered citizen on the exam's page -----------------------------------------------


def test_the_exam_page_shows_a_registered_citizen_their_registration_instead_of_the_form() -> None:
    exam = b.exam(fee="10.00")
    _person, client = _citizen()
    url = reverse("exams:exam", args=[exam.code])
    assert 'action="{}"'.format(reverse("exams:register", args=[exam.code])) in client.get(url).content.decode()
    client.post(reverse("exams:register", args=[exam.code]), {"post": "P01"})
    page = client.get(url, **ZH).content.decode()
    assert reverse("exams:register", args=[exam.code]) not in page
    assert "您的报名" in page and "待资格审查" in page and "岗位1" in page.split("您的报名", 1)[1]


# 8. The exam's hours on the ticket --------------------------------------------------------


def test_the_admission_ticket_prints_the_exam_hours() -> None:
    b.bank(essays=0)
    exam = b.exam(essays=0, fee="0")
    _person, client, registration = _registered(exam)
    services.exam_advance(scope=b.OFFICE, code=exam.code, step="close")
    services.seats_allocate(scope=b.OFFICE, exam_code=exam.code)
    pdf = client.get(reverse("exams:ticket_pdf", args=[registration.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = text.replace("\x00", "").replace(" ", "").replace("\n", "")
    assert "考试时间" in text and "09:00–11:00" in text
    Exam.objects.filter(pk=exam.pk).update(start_time=None, end_time=None)
    pdf = client.get(reverse("exams:ticket_pdf", args=[registration.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\x00", "")
    assert "以考点公告为准" in text.replace(" ", "").replace("\n", "")


# 9. The demo exam's dates ---------------------------------------------------------------


def test_the_demo_exam_with_published_results_lies_in_the_past_and_a_second_run_changes_nothing() -> None:
    citizen = make_person(name="示范考生", birth=dt.date(1995, 1, 1))
    for n in range(3):
        make_person(name=f"示范{n}", birth=dt.date(1993 + n, 3, 3))
    first = demo.demo_exams(citizen=citizen)
    today = timezone.localdate()
    done = Exam.objects.get(code=demo.DONE)
    assert done.status == ExamStatus.PUBLISHED and done.published_at is not None
    assert (
        done.registration_opens
        < done.registration_closes
        < done.held_on
        < timezone.localtime(done.published_at).date()
        < today
    )
    assert not Registration.objects.filter(exam=done, created_at__date__gt=done.registration_closes).exists()
    assert (done.start_time, done.end_time) == (dt.time(9), dt.time(11, 30))
    open_ = Exam.objects.get(code=demo.OPEN)
    assert open_.registration_opens <= today <= open_.registration_closes < open_.held_on
    assert demo.demo_exams(citizen=citizen) == first
    assert Exam.objects.get(code=demo.DONE).held_on == done.held_on
