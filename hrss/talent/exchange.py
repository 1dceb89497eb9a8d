"""What the talent app answers other departments through the exchange (A6, R1,
``hrss.core.exchange``): whether a professional title certificate (职称证书) or a talent green
card (人才绿卡) of a number is genuine, valid and the holder's; and the holder's own."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext_lazy as _

from hrss.core.exchange import CertificateCheck
from hrss.talent.models import GreenCard, ProfessionalTitle, TitleStatus

TITLE = "professional_title"
GREEN_CARD = "talent_green_card"
CERTIFICATES = {
    TITLE: _("Professional title certificate (职称证书)"),
    GREEN_CARD: _("Talent green card (人才绿卡)"),
}


def _title(row: ProfessionalTitle) -> CertificateCheck:
    return CertificateCheck(
        kind=TITLE,
        number=row.number,
        valid=row.status == TitleStatus.VALID,
        status=row.status,
        person_id=row.person_id,
        title=f"{row.series} {row.name}",
        issued_on=row.issued_on,
    )


def _card(row: GreenCard, on: dt.date) -> CertificateCheck:
    current = row.issued_on <= on <= row.valid_until
    return CertificateCheck(
        kind=GREEN_CARD,
        number=row.number,
        valid=current,
        status="valid" if current else "expired",
        person_id=row.person_id,
        title=f"{row.get_category_display()}",
        issued_on=row.issued_on,
    )


def certificate_check(kind: str, number: str, *, on: dt.date) -> CertificateCheck | None:
    number = number.strip().upper()
    if kind == TITLE:
        title = ProfessionalTitle.objects.filter(number=number).first()
        return _title(title) if title is not None else None
    if kind == GREEN_CARD:
        card = GreenCard.objects.filter(number=number).first()
        return _card(card, on) if card is not None else None
    return None


def certificates_of(person_id: uuid.UUID, *, on: dt.date) -> list[CertificateCheck]:
    """The person's titles and green cards (two queries)."""
    titles = [_title(row) for row in ProfessionalTitle.objects.filter(person_id=person_id)]
    return titles + [_card(row, on) for row in GreenCard.objects.filter(person_id=person_id)]
