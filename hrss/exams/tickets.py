"""Admission tickets (准考证) as PDF: the candidate, the exam, the site, room and seat, and a QR
code to the ticket's verification page that proctors scan at the door. A ticket is always
in Chinese, whatever language the page asking for it is in."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hrss.core import pdf
from hrss.core.errors import Conflict
from hrss.exams.models import Exam, Registration


def ticket_url(ticket: str, *, base: str) -> str:
    root = (getattr(settings, "HRSS_PUBLIC_URL", "") or base).rstrip("/")
    return root + reverse("exams:ticket", kwargs={"ticket": ticket})


def exam_hours(exam: Exam) -> str:
    """The sitting's hours as the ticket prints them: "09:00–11:30", "09:00 start", or, when
    the office has not set them, that the site announces them."""
    if exam.start_time is None:
        return _("as announced by the exam site")
    if exam.end_time is None:
        return _("starts at %(start)s") % {"start": f"{exam.start_time:%H:%M}"}
    return f"{exam.start_time:%H:%M}–{exam.end_time:%H:%M}"


def ticket_pdf(registration: Registration, *, base_url: str) -> bytes:
    """The ticket of a seated, confirmed registration (``selectors.registration_mine``)."""
    seat = getattr(registration, "seat", None)
    if seat is None or registration.status != Registration.Status.CONFIRMED:
        raise Conflict(_("The admission ticket is issued once seats are allocated."), code="ticket_not_ready")
    exam = registration.exam
    with translation.override(settings.LANGUAGE_CODE):
        document = pdf.Document(
            issuer=settings.HRSS_BUREAU_NAME,
            title=_("Admission ticket: %(exam)s") % {"exam": exam.name},
            number=_("Ticket No. %(ticket)s") % {"ticket": seat.ticket},
            facts=(
                (_("Name"), registration.person.name),
                (_("ID number"), registration.person.id_number),
                (_("Post applied for"), f"{registration.post.code} {registration.post.name}"),
                (_("Exam date"), exam.held_on.isoformat()),
                (_("Exam time"), exam_hours(exam)),
                (_("Exam site"), f"{seat.room.site.name}（{seat.room.site.address}）"),
                (_("Room and seat"), _("room %(room)s, seat %(seat)s") % {"room": seat.room.code, "seat": seat.number}),
            ),
            paragraphs=(_("Bring this ticket and your identity card; proctors scan the code at the door."),),
            closing=(settings.HRSS_BUREAU_NAME,),
            subject=exam.name,
            keywords=(seat.ticket,),
            qr_url=ticket_url(seat.ticket, base=base_url),
            qr_caption=_("Proctors: scan to verify ticket %(ticket)s.") % {"ticket": seat.ticket},
        )
        return pdf.render(document)
