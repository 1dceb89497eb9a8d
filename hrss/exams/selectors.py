"""The examinations' reads (R4), each given the caller's scope. Staff reads of candidates'
personal data and every read of a question's text are audited."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import NotFound
from hrss.core.logging import mask_name
from hrss.core.scope import Scope
from hrss.exams.access import MARKERS, office_exam, require_office
from hrss.exams.models import Appeal, Exam, ExamStatus, Item, Mark, Paper, Registration, Script, Seat

PUBLIC_STATUSES = (ExamStatus.OPEN, ExamStatus.CLOSED, ExamStatus.SEATED, ExamStatus.SCORED, ExamStatus.PUBLISHED)


def exams_public(*, limit: int = 50, offset: int = 0) -> list[Exam]:
    """Exams announced to the public (not those in preparation), newest first, with posts."""
    rows = Exam.objects.filter(status__in=PUBLIC_STATUSES).prefetch_related("posts", "sites")
    return list(rows[offset : offset + limit])


def exam_public(code: str) -> Exam:
    exam = Exam.objects.filter(code=code[:20], status__in=PUBLIC_STATUSES).prefetch_related("posts", "sites").first()
    if exam is None:
        raise NotFound(_("No examination with this code was found."), code="exam_unknown")
    return exam


def _registrations() -> QuerySet[Registration]:
    return Registration.objects.select_related("exam", "post", "person", "seat__room__site", "score").prefetch_related(
        "fee_orders", "appeals"
    )


def registrations_mine(*, scope: Scope) -> list[Registration]:
    """The caller's registrations with their seat, fee and (once published) score."""
    if scope.person_id is None or scope.is_staff:
        return []
    return list(_registrations().filter(person_id=scope.person_id).order_by("-created_at")[:50])


def registration_mine(*, scope: Scope, registration_id: uuid.UUID) -> Registration:
    registration = _registrations().filter(pk=registration_id, person_id=scope.person_id or uuid.UUID(int=0)).first()
    if registration is None or scope.is_staff:
        raise NotFound(_("No such registration."))
    return registration


def registration_for_exam(*, scope: Scope, exam: Exam) -> Registration | None:
    """The caller's own registration for an exam (what the exam's page shows instead of the
    form), or None (not registered, not a citizen)."""
    if scope.person_id is None or scope.is_staff:
        return None
    return _registrations().filter(exam=exam, person_id=scope.person_id).first()


def score_visible(registration: Registration) -> bool:
    return registration.exam.status == ExamStatus.PUBLISHED and hasattr(registration, "score")


def office_exams(*, scope: Scope, limit: int = 50, offset: int = 0) -> list[Exam]:
    """The exams of the office's districts with their registrations counted by status."""
    require_office(scope)
    rows = Exam.objects.all()
    if not scope.city_wide:
        rows = rows.filter(district__in=scope.districts or ())
    counted = rows.annotate(
        registered=Count("registrations"),
        to_review=Count("registrations", filter=Q(registrations__status=Registration.Status.REVIEW)),
        confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        sealed=Exists(Paper.objects.filter(exam=OuterRef("pk"))),
    )
    return list(counted.order_by("-held_on", "code")[offset : offset + limit])


def office_exam_detail(*, scope: Scope, code: str) -> Exam:
    """The exam with its posts, sites and whether its paper is sealed (``sealed``)."""
    exam = office_exam(scope, code)
    rows = Exam.objects.prefetch_related("posts", "sites").annotate(
        sealed=Exists(Paper.objects.filter(exam=OuterRef("pk")))
    )
    return rows.get(pk=exam.pk)


# ``office_registrations(status=DECIDED)``: every registration the office has reviewed.
DECIDED = "decided"


def office_registrations(
    *, scope: Scope, exam_code: str, status: str = "", limit: int = 50, offset: int = 0
) -> list[Registration]:
    """An exam's registrations (with the candidates' names and ID numbers): audited. ``status``
    is one status, ``DECIDED`` (all but those awaiting review, last reviewed first) or empty."""
    exam = office_exam(scope, exam_code)
    rows = _registrations().filter(exam=exam).order_by("created_at")
    if status == DECIDED:
        rows = rows.exclude(status=Registration.Status.REVIEW).order_by("-reviewed_at", "created_at")
    elif status:
        rows = rows.filter(status=status)
    page = list(rows[offset : offset + limit])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.registrations.read",
        object_type="exam",
        object_id=exam.code,
        detail={"persons": [str(row.person_id) for row in page]},
    )
    return page


def appeals_open(*, scope: Scope, limit: int = 50) -> list[Appeal]:
    require_office(scope)
    rows = Appeal.objects.filter(status=Appeal.Status.OPEN).select_related(
        "registration__exam", "registration__post", "registration__score", "registration__seat"
    )
    if not scope.city_wide:
        rows = rows.filter(registration__exam__district__in=scope.districts or ())
    return list(rows.order_by("created_at")[:limit])


# --- the question bank --------------------------------------------------------------------------


def items(*, scope: Scope, tag: str = "", limit: int = 50, offset: int = 0) -> list[Item]:
    """The bank's current questions, without their text (which stays encrypted until read)."""
    require_office(scope)
    rows = Item.objects.filter(current=True).defer("stem", "options", "key")
    if tag:
        rows = rows.filter(tag=tag[:40])
    return list(rows.order_by("tag", "difficulty", "code")[offset : offset + limit])


@dataclass(frozen=True)
class ItemText:
    item: Item
    stem: str
    options: list[str]
    key: str


def item_read(*, scope: Scope, code: str, purpose: str) -> ItemText:
    """A question's text, options and key, decrypted for the office: every read is audited."""
    require_office(scope)
    item = Item.objects.filter(code=code[:20], current=True).first()
    if item is None:
        raise NotFound(_("No question with this code was found."))
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.item.read",
        object_type="exam_item",
        object_id=f"{item.code}v{item.version}",
        purpose=purpose,
    )
    return ItemText(item, item.stem, json.loads(item.options) if item.options else [], item.key)


# --- marking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScriptToMark:
    code: str
    round: int
    question: str
    guide: str
    points: Any
    text: str


def marking_next(*, scope: Scope) -> ScriptToMark | None:
    """The next written answer this marker may mark, blind (no name, no ticket): a first or
    second marking the marker has not done, or a third marking where they marked neither."""
    if not scope.has_role(*MARKERS):
        return None
    mine = Mark.objects.filter(script=OuterRef("pk"), marker=scope.actor)
    rows = Script.objects.exclude(status=Script.Status.FINAL).exclude(Exists(mine))
    if not scope.city_wide:
        rows = rows.filter(registration__exam__district__in=scope.districts or ())
    rows = rows.annotate(marked=Count("marks"))
    script = (
        rows.filter(Q(status=Script.Status.THIRD) | Q(marked__lt=2))
        .order_by("-status", "created_at")
        .select_related("registration__exam__paper")
        .first()
    )
    if script is None:
        return None
    paper = script.registration.exam.paper
    item = Item.objects.get(pk=paper.items[script.position])
    round_ = 3 if script.status == Script.Status.THIRD else script.marked + 1  # type: ignore[attr-defined]
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.item.read",
        object_type="exam_item",
        object_id=f"{item.code}v{item.version}",
        purpose="marking",
    )
    return ScriptToMark(script.code, round_, item.stem, item.key, item.points, script.text)


# --- admission tickets ------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketCheck:
    ticket: str
    valid: bool
    name: str  # masked
    exam: str
    held_on: Any
    site: str
    address: str
    room: str
    seat: int


def ticket_verify(ticket: str) -> TicketCheck:
    """What a proctor's scan of an admission ticket's QR code shows: genuine, for which exam,
    where the candidate sits, the name masked."""
    seat = (
        Seat.objects.select_related("registration__person", "registration__exam", "room__site")
        .filter(ticket=ticket[:24].strip().upper())
        .first()
    )
    if seat is None:
        raise NotFound(_("No admission ticket with this number was found."), code="ticket_unknown")
    registration = seat.registration
    return TicketCheck(
        ticket=seat.ticket,
        valid=registration.status == Registration.Status.CONFIRMED,
        name=mask_name(registration.person.name),
        exam=registration.exam.name,
        held_on=registration.exam.held_on,
        site=seat.room.site.name,
        address=seat.room.site.address,
        room=seat.room.code,
        seat=seat.number,
    )
