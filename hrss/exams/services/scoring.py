"""Seats, answer sheets, marking, scores, publication and re-checks (R4).

Seating and scoring are set-based: one read of every candidate, the work in memory
(``rules``), one bulk write; an exam of 100,000 candidates is scored in seconds
(``make bench``: exam-score)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.scope import Scope
from hrss.exams import rules
from hrss.exams.access import MARKERS, office_exam
from hrss.exams.models import (
    AnswerSheet,
    Exam,
    ExamStatus,
    Item,
    Paper,
    Registration,
    Room,
    Score,
    Script,
    Seat,
)
from hrss.exams.services.bank import OBJECTIVE

BATCH = 5000


def require_status(exam: Exam, *statuses: str) -> None:
    if exam.status not in statuses:
        raise Conflict(_("The examination is %(status)s.") % {"status": exam.get_status_display()}, code="exam_status")


@transaction.atomic
def seats_allocate(*, scope: Scope, exam_code: str) -> int:
    """Seat every confirmed candidate of a closed exam in its sites' rooms, posts taking
    turns so that candidates of one post sit apart, and number the admission tickets."""
    exam = office_exam(scope, exam_code, lock=True)
    require_status(exam, ExamStatus.CLOSED)
    candidates = list(
        Registration.objects.filter(exam=exam, status=Registration.Status.CONFIRMED).values_list("pk", "post_id")
    )
    rooms = list(
        Room.objects.filter(site__in=exam.sites.all()).order_by("site__code", "code").values_list("pk", "capacity")
    )
    order = rules.seat_order((str(pk), str(post)) for pk, post in candidates)
    try:
        seats = rules.allocate(order, [(str(pk), size) for pk, size in rooms])
    except ValueError as error:
        raise Conflict(
            _("The sites' rooms seat %(seats)s; %(candidates)s candidates are confirmed.")
            % {"seats": sum(size for _pk, size in rooms), "candidates": len(order)},
            code="seats_too_few",
        ) from error
    Seat.objects.filter(exam=exam).delete()
    Seat.objects.bulk_create(
        (
            Seat(
                exam=exam,
                registration_id=uuid.UUID(registration),
                room_id=uuid.UUID(room),
                number=number,
                ticket=rules.ticket_number(exam.code, i + 1),
            )
            for i, (registration, room, number) in enumerate(seats)
        ),
        batch_size=BATCH,
    )
    exam.status = ExamStatus.SEATED
    exam.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.seats.allocate",
        object_type="exam",
        object_id=exam.code,
        detail={"seated": len(seats), "rooms": len(rooms)},
    )
    return len(seats)


def paper_layout(paper: Paper) -> tuple[str, list[Decimal], list[int]]:
    """The objective key (one hex digit per objective question, in paper order), their
    points, and the paper positions of the written questions."""
    items = {str(pk): row for pk, row in Item.objects.in_bulk(paper.items).items()}
    key, points, written = [], [], []
    for position, pk in enumerate(paper.items):
        item = items[pk]
        if item.kind in OBJECTIVE:
            key.append(item.key)
            points.append(item.points)
        else:
            written.append(position)
    return "".join(key), points, written


@transaction.atomic
def sheets_record(
    *, scope: Scope, exam_code: str, sheets: Mapping[str, str], scripts: Mapping[str, Mapping[int, str]]
) -> int:
    """Record what the answer-sheet reader read (``ticket -> one hex digit per objective
    question``) and the written answers (``ticket -> {position: text}``), each written answer
    under a random code for blind marking. Recording a ticket again replaces its sheet."""
    exam = office_exam(scope, exam_code, lock=True)
    require_status(exam, ExamStatus.SEATED)
    paper = Paper.objects.filter(exam=exam).first()
    if paper is None:
        raise Conflict(_("The examination has no sealed paper."), code="paper_missing")
    key, _points, written = paper_layout(paper)
    tickets = dict(
        Seat.objects.filter(exam=exam, ticket__in=list(sheets) + list(scripts)).values_list("ticket", "registration_id")
    )
    problems = {ticket: _("no such admission ticket") for ticket in [*sheets, *scripts] if ticket not in tickets}
    for ticket, answers in sheets.items():
        if len(answers) != len(key) or any(char not in "0123456789ABCDEF" for char in answers):
            problems[ticket] = _("%(count)s answers expected, each 0-F") % {"count": len(key)}
    for ticket, texts in scripts.items():
        if set(texts) - set(written):
            problems[ticket] = _("written questions are at positions %(positions)s") % {"positions": written}
    if problems:
        raise InvalidInput(fields=problems)
    AnswerSheet.objects.filter(registration_id__in=[tickets[t] for t in sheets]).delete()
    AnswerSheet.objects.bulk_create(
        (AnswerSheet(registration_id=tickets[t], answers=answers) for t, answers in sheets.items()), batch_size=BATCH
    )
    Script.objects.filter(registration_id__in=[tickets[t] for t in scripts]).delete()
    Script.objects.bulk_create(
        Script(registration_id=tickets[t], position=position, code=secrets.token_hex(6).upper(), text=text)
        for t, texts in scripts.items()
        for position, text in texts.items()
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.sheets.record",
        object_type="exam",
        object_id=exam.code,
        detail={"sheets": len(sheets), "scripts": sum(len(t) for t in scripts.values())},
    )
    return len(sheets)


@transaction.atomic
def mark_record(*, scope: Scope, script_code: str, score: Decimal) -> Script:
    """A marker's score of a written answer, blind: first and second markers independently;
    apart by more than the exam's threshold, the script goes to a third marker, whose score
    and the nearer of the first two settle it. One marker marks a script once."""
    if not scope.has_role(*MARKERS):
        raise NotFound(_("No such script."))
    script = (
        Script.objects.select_for_update().select_related("registration__exam").filter(code=script_code[:16]).first()
    )
    if script is None or not scope.covers_district(script.registration.exam.district):
        raise NotFound(_("No such script."))
    exam = script.registration.exam
    paper = Paper.objects.get(exam=exam)
    item = Item.objects.get(pk=paper.items[script.position])
    if not Decimal(0) <= score <= item.points:
        raise InvalidInput(fields={"score": _("from 0 to %(points)s") % {"points": item.points}})
    marks = {mark.round: mark for mark in script.marks.all()}
    if any(mark.marker == scope.actor for mark in marks.values()):
        raise Conflict(_("You have marked this script already."), code="marked_already")
    if script.status == Script.Status.FINAL:
        raise Conflict(_("This script is marked."), code="script_final")
    round_ = 3 if script.status == Script.Status.THIRD else len(marks) + 1
    script.marks.create(round=round_, marker=scope.actor, score=score)
    if round_ == 2:
        first = marks[1].score
        if rules.needs_third(first, score, exam.marking_threshold):
            script.status = Script.Status.THIRD
        else:
            script.status, script.final = Script.Status.FINAL, rules.double_marked(first, score)
    elif round_ == 3:
        script.status = Script.Status.FINAL
        script.final = rules.third_marked(marks[1].score, marks[2].score, score)
    script.save()
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.mark",
        object_type="exam_script",
        object_id=script.code,
        detail={"round": round_},
    )
    return script


def _totals(exam: Exam, registrations: Iterable[uuid.UUID] | None = None) -> list[tuple[uuid.UUID, str, int, int]]:
    """(registration, post, objective tenths, written tenths) for the exam's sheets."""
    paper = Paper.objects.filter(exam=exam).first()
    if paper is None:
        raise Conflict(_("The examination has no sealed paper."), code="paper_missing")
    key, points, written = paper_layout(paper)
    rows = AnswerSheet.objects.filter(registration__exam=exam)
    if registrations is not None:
        rows = rows.filter(registration_id__in=list(registrations))
    sheets = list(rows.values_list("registration_id", "registration__post_id", "answers"))
    objective = rules.objective_scores(key=key, points=points, sheets=[answers for _r, _p, answers in sheets])
    essays: dict[uuid.UUID, Decimal] = {}
    if written:
        scripts = Script.objects.filter(registration__exam=exam)
        if registrations is not None:
            scripts = scripts.filter(registration_id__in=[r for r, _p, _a in sheets])
        if scripts.exclude(status=Script.Status.FINAL).exists():
            raise Conflict(_("Some written answers are still being marked."), code="marking_unfinished")
        essays = dict(
            scripts.values("registration_id").annotate(total=Sum("final")).values_list("registration_id", "total")
        )
    return [
        (registration, str(post), int(objective[i]), int((essays.get(registration) or Decimal(0)) * 10))
        for i, (registration, post, _answers) in enumerate(sheets)
    ]


@transaction.atomic
def exam_score(*, scope: Scope, exam_code: str) -> int:
    """Score every sheet of a seated exam: objective questions against the sealed key, the
    written ones from their settled marks, totals ranked within each post."""
    exam = office_exam(scope, exam_code, lock=True)
    require_status(exam, ExamStatus.SEATED, ExamStatus.SCORED)
    totals = _totals(exam)
    ranks = rules.competition_ranks([post for _r, post, _o, _w in totals], [o + w for _r, _p, o, w in totals])
    Score.objects.filter(exam=exam).delete()
    tenth = Decimal("0.1")
    Score.objects.bulk_create(
        (
            Score(
                registration_id=registration,
                exam=exam,
                post_id=uuid.UUID(post),
                objective=objective * tenth,
                written=written * tenth,
                total=(objective + written) * tenth,
                rank=ranks[i],
            )
            for i, (registration, post, objective, written) in enumerate(totals)
        ),
        batch_size=BATCH,
    )
    exam.status = ExamStatus.SCORED
    exam.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.score",
        object_type="exam",
        object_id=exam.code,
        detail={"scored": len(totals)},
    )
    return len(totals)


def rescore(registration: Registration) -> Decimal:
    """A candidate's total again from the sheet and the settled marks (a re-check); a
    different total corrects the score and re-ranks the post."""
    totals = _totals(registration.exam, [registration.pk])
    total = Decimal(sum(o + w for _r, _p, o, w in totals)) / 10
    score = Score.objects.select_for_update().get(registration=registration)
    if score.total != total and totals:
        _r, _p, objective, written = totals[0]
        score.objective, score.written, score.total = Decimal(objective) / 10, Decimal(written) / 10, total
        score.save(update_fields=["objective", "written", "total", "updated_at"])
        rerank(score.post_id)
    return total


def rerank(post_id: uuid.UUID) -> None:
    """The ranks of one post again, after a corrected score."""
    rows = list(Score.objects.filter(post_id=post_id).only("pk", "total", "rank"))
    ranks = rules.competition_ranks(["post"] * len(rows), [int(row.total * 10) for row in rows])
    changed = [row for row, rank in zip(rows, ranks, strict=True) if row.rank != rank]
    for row, rank in zip(rows, ranks, strict=True):
        row.rank = rank
    Score.objects.bulk_update(changed, ["rank"], batch_size=1000)


@transaction.atomic
def results_publish(*, scope: Scope, exam_code: str) -> Exam:
    exam = office_exam(scope, exam_code, lock=True)
    require_status(exam, ExamStatus.SCORED)
    exam.status, exam.published_at = ExamStatus.PUBLISHED, timezone.now()
    exam.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.publish",
        object_type="exam",
        object_id=exam.code,
    )
    return exam
