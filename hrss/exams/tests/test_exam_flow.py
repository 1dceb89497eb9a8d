"""An exam from the bank to published results (R4): paper drawn reproducibly and sealed,
registration checked for eligibility, reviewed and paid, seats allocated with posts apart,
objective scoring, blind double marking with a third marker, ranks, a re-check."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.exams import rules, selectors, services
from hrss.exams.models import Appeal, ExamStatus, Item, Paper, Registration, Score, Script, Seat
from hrss.exams.tests import builders as b
from hrss.testing import make_person

pytestmark = pytest.mark.django_db


def test_questions_are_encrypted_at_rest_and_reading_one_is_audited():
    b.bank(objective=1, essays=0)
    item = Item.objects.get()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT stem, key FROM exams_item")
        stem, key = cursor.fetchone()
    assert "law" not in stem and key != item.key and "$" in stem
    text = selectors.item_read(scope=b.OFFICE, code=item.code, purpose="review")
    assert text.stem == "law 第1题" and text.options == ["甲", "乙", "丙", "丁"]
    assert AuditEntry.objects.filter(action="exams.item.read", object_id=f"{item.code}v1").count() == 1
    with pytest.raises(PermissionDenied):
        selectors.item_read(scope=b.citizen(make_person()), code=item.code, purpose="x")


def test_a_new_version_keeps_the_old_one_and_bad_questions_are_refused_field_by_field():
    b.bank(objective=1, essays=0)
    first = Item.objects.get()
    data = {
        "kind": "single",
        "tag": "law",
        "difficulty": 2,
        "points": "2",
        "stem": "改",
        "options": list("abcd"),
        "key": "B",
    }
    second = services.item_add(scope=b.OFFICE, data=data, code=first.code)
    assert second.version == 2 and Item.objects.filter(code=first.code, current=True).get() == second
    with pytest.raises(InvalidInput) as refused:
        services.item_add(scope=b.OFFICE, data={**data, "kind": "multiple", "key": "Z", "difficulty": 9})
    assert {"key", "difficulty"} <= set(refused.value.fields)


def test_the_paper_is_drawn_by_the_blueprint_reproducibly_from_its_seed_and_sealed():
    b.bank(objective=10, essays=2)
    one, two = b.exam(objective=5, essays=1), b.exam(objective=5, essays=1)
    first = services.paper_assemble(scope=b.OFFICE, exam_code=one.code, seed=42)
    again = services.paper_assemble(scope=b.OFFICE, exam_code=two.code, seed=42)
    assert first.items == again.items and len(first.items) == 6 and first.sha256 == again.sha256
    kinds = list(Item.objects.filter(pk__in=first.items).values_list("pk", "kind"))
    assert [{str(pk): kind for pk, kind in kinds}[pk] for pk in first.items][-1] == "essay"
    with pytest.raises(Conflict):
        services.paper_assemble(scope=b.OFFICE, exam_code=one.code, seed=1)
    too_big = b.exam(objective=11, essays=0)
    with pytest.raises(Conflict) as small:
        services.paper_assemble(scope=b.OFFICE, exam_code=too_big.code)
    assert small.value.code == "bank_too_small" and not Paper.objects.filter(exam=too_big).exists()


def test_registration_checks_age_and_household_and_keeps_nothing_when_ineligible():
    exam = b.exam()
    exam.posts.filter(code="P02").update(districts=["120103"])
    old = make_person(name="年长", birth=dt.date(1970, 1, 1))
    with pytest.raises(InvalidInput) as refused:
        services.registration_create(scope=b.citizen(old), exam_code=exam.code, post_code="P01")
    assert refused.value.code == "not_eligible" and "age" in refused.value.fields
    young = make_person(name="年轻", birth=dt.date(1998, 1, 1))
    with pytest.raises(InvalidInput) as elsewhere:
        services.registration_create(scope=b.citizen(young), exam_code=exam.code, post_code="P02")
    assert set(elsewhere.value.fields) == {"household"}
    assert not Registration.objects.exists()
    registration = services.registration_create(scope=b.citizen(young), exam_code=exam.code, post_code="P01")
    retry = services.registration_create(scope=b.citizen(young), exam_code=exam.code, post_code="P01")
    assert retry.pk == registration.pk and registration.status == Registration.Status.REVIEW
    with pytest.raises(Conflict):
        services.registration_create(scope=b.citizen(young), exam_code=exam.code, post_code="P02")


def test_review_then_the_fee_through_the_provider_confirms_once():
    exam = b.exam(fee="80.00")
    person = make_person(name="缴费", birth=dt.date(1996, 2, 2))
    registration = services.registration_create(scope=b.citizen(person), exam_code=exam.code, post_code="P01")
    with pytest.raises(InvalidInput):
        services.registration_review(scope=b.OFFICE, registration_id=registration.pk, approve=False)
    services.registration_review(scope=b.OFFICE, registration_id=registration.pk, approve=True)
    order, url = services.fee_pay(scope=b.citizen(person), registration_id=registration.pk)
    # The recording gateway sends the payer to the platform's own confirmation page.
    assert url.startswith("/payments/local/") and order.amount == Decimal("80.00")
    again, again_url = services.fee_pay(scope=b.citizen(person), registration_id=registration.pk)
    assert again.pk == order.pk and again_url == url  # the pending order's page, again
    wrong = json.dumps({"reference": order.reference, "status": "paid", "amount": "8.00"}).encode()
    with pytest.raises(Conflict):
        services.fee_notification_apply(gateway_name="thirdparty", body=wrong, headers={})
    body = json.dumps({"reference": order.reference, "status": "paid", "amount": "80.00"}).encode()
    services.fee_notification_apply(gateway_name="thirdparty", body=body, headers={})
    services.fee_notification_apply(gateway_name="thirdparty", body=body, headers={})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert AuditEntry.objects.filter(action="exams.fee.status", object_id=order.reference).count() == 1


def _to_seated(candidates: int = 6, capacity: int = 4):
    b.bank(objective=6, essays=1)
    exam = b.exam(sites=[b.site(rooms=2, capacity=capacity)])
    services.paper_assemble(scope=b.OFFICE, exam_code=exam.code, seed=7)
    registrations = [
        b.confirmed(exam, post="P01" if i < candidates - 2 else "P02", name=f"考生{i}") for i in range(candidates)
    ]
    services.exam_advance(scope=b.OFFICE, code=exam.code, step="close")
    services.seats_allocate(scope=b.OFFICE, exam_code=exam.code)
    return exam, registrations


def test_seats_fill_the_rooms_with_posts_apart_and_too_few_seats_are_refused():
    exam, _registrations = _to_seated()
    seats = list(Seat.objects.filter(exam=exam).select_related("registration").order_by("room__code", "number"))
    assert len(seats) == 6 and {seat.number for seat in seats} <= {1, 2, 3, 4}
    posts = [seat.registration.post_id for seat in seats[:4]]
    assert posts[0] != posts[1] and posts[2] != posts[3]
    check = selectors.ticket_verify(seats[0].ticket)
    assert check.valid and check.name.endswith("*") and check.room == seats[0].room.code
    with pytest.raises(NotFound):
        selectors.ticket_verify("NOPE")
    crowded = b.exam(sites=[b.site(rooms=1, capacity=1)])
    b.confirmed(crowded, name="甲"), b.confirmed(crowded, name="乙")
    services.exam_advance(scope=b.OFFICE, code=crowded.code, step="close")
    with pytest.raises(Conflict) as few:
        services.seats_allocate(scope=b.OFFICE, exam_code=crowded.code)
    assert few.value.code == "seats_too_few"


def _key(exam) -> str:
    key, _points, _written = services.paper_layout(Paper.objects.get(exam=exam))
    return key


def test_scoring_double_marking_third_marker_ranks_publication_and_re_check():
    exam, registrations = _to_seated()
    key = _key(exam)
    tickets = {r.pk: Seat.objects.get(registration=r).ticket for r in registrations}
    wrong = "".join("1" if c != "1" else "2" for c in key)
    sheets = {tickets[r.pk]: key if i % 2 == 0 else key[:3] + wrong[3:] for i, r in enumerate(registrations)}
    written = services.paper_layout(Paper.objects.get(exam=exam))[2]
    scripts = {ticket: {written[0]: "答案"} for ticket in sheets}
    with pytest.raises(InvalidInput):
        services.sheets_record(scope=b.OFFICE, exam_code=exam.code, sheets={"X": key}, scripts={})
    services.sheets_record(scope=b.OFFICE, exam_code=exam.code, sheets=sheets, scripts=scripts)
    with pytest.raises(Conflict) as unfinished:
        services.exam_score(scope=b.OFFICE, exam_code=exam.code)
    assert unfinished.value.code == "marking_unfinished"

    first, second, third = b.marker("m1"), b.marker("m2"), b.marker("m3")
    for script in Script.objects.all():
        services.mark_record(scope=first, script_code=script.code, score=Decimal("10"))
        with pytest.raises(Conflict):
            services.mark_record(scope=first, script_code=script.code, score=Decimal("10"))
    apart = Script.objects.first()
    for script in Script.objects.all():
        services.mark_record(scope=second, script_code=script.code, score=Decimal("18" if script == apart else "12"))
    apart.refresh_from_db()
    assert apart.status == Script.Status.THIRD
    assert Script.objects.filter(status=Script.Status.FINAL, final=Decimal("11.0")).count() == 5
    shown = selectors.marking_next(scope=third)
    assert shown is not None and shown.code == apart.code and shown.round == 3 and "考生" not in shown.text
    assert selectors.marking_next(scope=first) is None  # marked every script already
    services.mark_record(scope=third, script_code=apart.code, score=Decimal("16"))
    apart.refresh_from_db()
    assert apart.status == Script.Status.FINAL and apart.final == Decimal("17.0")  # 16 with the nearer 18

    assert services.exam_score(scope=b.OFFICE, exam_code=exam.code) == 6
    scores = {s.registration_id: s for s in Score.objects.all()}
    full = sum(Decimal("2") for _ in key)
    top = scores[registrations[0].pk]
    assert top.objective == full and top.total == full + top.written
    p01 = sorted((s.rank, -s.total) for s in scores.values() if s.post.code == "P01")
    assert p01[0][0] == 1 and [total for _rank, total in p01] == sorted(total for _rank, total in p01)

    mine = b.citizen(registrations[1].person)
    assert not selectors.score_visible(selectors.registration_mine(scope=mine, registration_id=registrations[1].pk))
    with pytest.raises(Conflict):
        services.appeal_create(scope=mine, registration_id=registrations[1].pk, reason="复核")
    services.results_publish(scope=b.OFFICE, exam_code=exam.code)
    assert selectors.score_visible(selectors.registration_mine(scope=mine, registration_id=registrations[1].pk))

    # A sheet misread at scanning is corrected; the re-check finds the difference and re-ranks.
    appeal = services.appeal_create(scope=mine, registration_id=registrations[1].pk, reason="客观题成绩有误")
    assert services.appeal_create(scope=mine, registration_id=registrations[1].pk, reason="again").pk == appeal.pk
    from hrss.exams.models import AnswerSheet

    AnswerSheet.objects.filter(registration=registrations[1]).update(answers=key)
    decided = services.appeal_decide(scope=b.OFFICE, appeal_id=appeal.pk)
    assert decided.status == Appeal.Status.CORRECTED and decided.total_after > decided.total_before
    assert Score.objects.get(registration=registrations[1]).total == decided.total_after
    exam.refresh_from_db()
    assert exam.status == ExamStatus.PUBLISHED


def test_rules_rank_ties_and_third_marking():
    assert rules.competition_ranks(["a", "a", "a", "b"], [90, 95, 90, 10]) == [2, 1, 2, 1]
    assert rules.third_marked(Decimal(10), Decimal(18), Decimal(14)) == Decimal("16.0")
    assert rules.answer_mask("ca") == "5" and rules.mask_letters("5") == "AC"
    scores = rules.objective_scores(
        key="1248", points=[Decimal(1), Decimal("1.5"), Decimal(2), Decimal(1)], sheets=["1248", "1000", ""]
    )
    assert list(scores) == [55, 10, 0]


def test_scoring_without_a_sealed_paper_is_refused_not_an_error():
    exam = b.exam()
    b.confirmed(exam, name="无卷")
    services.exam_advance(scope=b.OFFICE, code=exam.code, step="close")
    services.seats_allocate(scope=b.OFFICE, exam_code=exam.code)
    with pytest.raises(Conflict) as refused:
        services.exam_score(scope=b.OFFICE, exam_code=exam.code)
    assert refused.value.code == "paper_missing"
