"""What the exams app answers other departments through the exchange (R1, A6,
``hrss.core.exchange``): whether a published exam score of an admission ticket number (准考证号)
is genuine and the holder's, with the score and rank in the post; and the holder's own."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.core.exchange import CertificateCheck
from hrss.exams import rules
from hrss.exams.models import ExamStatus, Score

KIND = "exam_score"
CERTIFICATES = {KIND: gettext_lazy("Personnel examination score (人事考试成绩, by admission ticket number)")}


def _check(score: Score, ticket: str) -> CertificateCheck:
    exam = score.exam
    return CertificateCheck(
        kind=KIND,
        number=ticket,
        valid=True,
        status="published",
        person_id=score.registration.person_id,
        title=_("%(exam)s, %(post)s: total %(total)s, rank %(rank)s")
        % {"exam": exam.name, "post": score.post.name, "total": rules.score_text(score.total), "rank": score.rank},
        issued_on=exam.published_at.date() if exam.published_at else exam.held_on,
    )


def certificate_check(kind: str, number: str, *, on: dt.date) -> CertificateCheck | None:
    """The published score of the ticket's candidate (None before results are published)."""
    ticket = number.strip().upper()
    if kind != KIND or not ticket:
        return None
    score = (
        Score.objects.select_related("exam", "post", "registration__seat")
        .filter(registration__seat__ticket=ticket, exam__status=ExamStatus.PUBLISHED)
        .first()
    )
    return _check(score, score.registration.seat.ticket) if score is not None else None


def certificates_of(person_id: uuid.UUID, *, on: dt.date) -> list[CertificateCheck]:
    """The person's published exam scores (one query)."""
    rows = Score.objects.select_related("exam", "post", "registration__seat").filter(
        registration__person_id=person_id, exam__status=ExamStatus.PUBLISHED
    )
    return [_check(score, score.registration.seat.ticket) for score in rows]
