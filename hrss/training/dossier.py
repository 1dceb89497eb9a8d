"""What vocational training offers the personal dossier (``hrss.core.dossier``).

A person's sections: their course enrolments (职业培训: course, institution, dates, status
and completion), their vocational skill level certificates (职业技能等级证书: number,
occupation, level, issuing body, issue date, valid or revoked) and the training subsidies
paid to them in person (培训补贴: only lines whose payee is the trainee; a subsidy paid to
the institution is the institution's).

Certificates: ``training.certificate``, a copy of a vocational skill level certificate
(职业技能等级证书（副本）), one offer per valid certificate of the person, ``ref`` the
certificate number. A revoked certificate, one whose signature does not check, or another
person's number is not found.

Every section is read with one query for its newest entries, and one count when there may
be more than ``limit``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hrss.core.dossier import CertificateBody, CertificateOffer, DossierEntry, DossierSection, newest
from hrss.core.errors import NotFound
from hrss.training.models import Certificate, Enrolment, SubsidyClaim, SubsidyLine
from hrss.training.signing import certificate_signature_valid

CERTIFICATE = "training.certificate"


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _day(day: dt.date | None) -> str:
    """A day as the certificate states it (the reader's language's date format)."""
    return formats.date_format(day) if day else "—"


def _yuan(fen: int) -> str:
    return pgettext("money", "%(amount)s yuan") % {"amount": f"{Decimal(fen) / 100:.2f}"}


def level_name(level: int) -> str:
    """The skill level's name in the five-level system (五级／初级工 … 一级／高级技师)."""
    names = {
        5: _("level 5 (junior worker)"),
        4: _("level 4 (intermediate worker)"),
        3: _("level 3 (senior worker)"),
        2: _("level 2 (technician)"),
        1: _("level 1 (senior technician)"),
    }
    return names.get(level, _("level %(level)s") % {"level": level})


def _verify_link(number: str) -> str:
    return reverse("training:verify") + "?" + urlencode({"number": number})


# --- a person's records ----------------------------------------------------------------------------


def _courses(person_id: uuid.UUID, limit: int) -> DossierSection:
    rows = Enrolment.objects.filter(person_id=person_id).order_by("-course__starts_on", "-created_at")
    page, total = newest(
        rows.values(
            "course__title",
            "course__institution__name",
            "course__starts_on",
            "course__ends_on",
            "course__hours",
            "status",
            "completed_on",
        ),
        limit,
    )
    link = reverse("training:mine")
    entries = []
    for row in page:
        detail = [
            row["course__institution__name"],
            _("%(start)s to %(end)s, %(hours)d hours")
            % {
                "start": _iso(row["course__starts_on"]),
                "end": _iso(row["course__ends_on"]),
                "hours": row["course__hours"],
            },
        ]
        if row["completed_on"]:
            detail.append(_("completed on %(date)s") % {"date": _iso(row["completed_on"])})
        entries.append(
            DossierEntry(
                title=row["course__title"],
                on=row["course__starts_on"],
                detail=" · ".join(detail),
                status=_label(Enrolment.Status, row["status"]),
                link=link,
            )
        )
    return DossierSection("training.courses", _("Vocational training"), 70, tuple(entries), total)


def _certificates(person_id: uuid.UUID, limit: int) -> DossierSection:
    rows = Certificate.objects.filter(person_id=person_id).order_by("-issued_on", "-number")
    page, total = newest(
        rows.values(
            "number", "qualification__code", "qualification__name", "level", "body__name", "issued_on", "status"
        ),
        limit,
    )
    entries = tuple(
        DossierEntry(
            title=f"{row['qualification__name']} · {level_name(row['level'])}",
            on=row["issued_on"],
            detail=_("occupation code %(code)s · issued by %(body)s")
            % {"code": row["qualification__code"], "body": row["body__name"]},
            status=_label(Certificate.Status, row["status"]),
            reference=row["number"],
            link=_verify_link(row["number"]),
        )
        for row in page
    )
    return DossierSection("training.certificates", _("Vocational skill level certificates"), 71, entries, total)


def _line_status(row: dict[str, Any]) -> str:
    if row["paid_on"]:
        return _("paid")
    if row["claim__status"] == SubsidyClaim.Status.APPROVED:
        return _("awaiting payment")
    return _label(SubsidyClaim.Status, row["claim__status"])


def _subsidies(person_id: uuid.UUID, limit: int) -> DossierSection:
    # Only what is paid to the trainee in person: a line paid to the institution is not theirs.
    rows = (
        SubsidyLine.objects.filter(person_id=person_id, payee=SubsidyLine.Payee.PERSON)
        .exclude(claim__status=SubsidyClaim.Status.REJECTED)
        .order_by("-created_at", "-id")
    )
    page, total = newest(
        rows.values(
            "course__title",
            "qualification__name",
            "level",
            "amount_fen",
            "paid_on",
            "created_at",
            "claim__status",
            "claim__hall_reference",
        ),
        limit,
    )
    entries = tuple(
        DossierEntry(
            title=row["course__title"],
            on=row["paid_on"] or timezone.localdate(row["created_at"]),
            detail=_("%(amount)s · %(qualification)s, %(level)s")
            % {
                "amount": _yuan(row["amount_fen"]),
                "qualification": row["qualification__name"],
                "level": level_name(row["level"]),
            },
            status=_line_status(row),
            reference=row["claim__hall_reference"],
        )
        for row in page
    )
    return DossierSection("training.subsidies", _("Training subsidies"), 72, entries, total)


def person_sections(person_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    sections = [_courses(person_id, limit), _certificates(person_id, limit), _subsidies(person_id, limit)]
    return [section for section in sections if section.total > 0]


# --- certificates -----------------------------------------------------------------------------------


def _certificate_title() -> str:
    return _("Vocational skill level certificate (copy)")


def _valid(person_id: uuid.UUID) -> QuerySet[Certificate]:
    return Certificate.objects.select_related("person", "qualification", "body").filter(
        person_id=person_id, status=Certificate.Status.VALID
    )


def certificate_offers(person_id: uuid.UUID, *, on: dt.date) -> list[CertificateOffer]:
    """A copy of each of the person's valid certificates, the latest first."""
    title = _certificate_title()
    return [
        CertificateOffer(
            kind=CERTIFICATE,
            ref=certificate.number,
            title=title,
            label=_("%(qualification)s, %(level)s, No. %(number)s")
            % {
                "qualification": certificate.qualification.name,
                "level": level_name(certificate.level),
                "number": certificate.number,
            },
        )
        for certificate in _valid(person_id).order_by("-issued_on", "-number")
        if certificate_signature_valid(certificate)
    ]


def certificate_body(kind: str, ref: str, person_id: uuid.UUID, *, on: dt.date) -> CertificateBody:
    """The copy of one of the person's own valid certificates, from its signed record."""
    if kind != CERTIFICATE:
        raise NotFound(_("There is no such certificate."), code="training_certificate_unknown")
    certificate = _valid(person_id).filter(number=ref.strip().upper()).first()
    if certificate is None or not certificate_signature_valid(certificate):
        raise NotFound(
            _("You have no valid vocational skill level certificate with this number."),
            code="training_certificate_not_found",
        )
    qualification = certificate.qualification
    level = level_name(certificate.level)
    issued_on = _day(certificate.issued_on)
    status = _label(Certificate.Status, certificate.status)
    return CertificateBody(
        title=_certificate_title(),
        facts=(
            (pgettext("training", "Certificate number"), certificate.number),
            (_("Occupation (type of work)"), qualification.name),
            (_("Occupation code"), qualification.code),
            (_("Skill level"), level),
            (_("Appraisal body"), certificate.body.name),
            (_("Issued on"), issued_on),
            (_("Certificate status"), status),
        ),
        paragraphs=(
            _(
                "The holder was awarded the vocational skill level certificate No. %(number)s, "
                "%(qualification)s (%(code)s), %(level)s, by %(body)s on %(date)s. As of %(on)s the "
                "certificate is valid."
            )
            % {
                "number": certificate.number,
                "qualification": qualification.name,
                "code": qualification.code,
                "level": level,
                "body": certificate.body.name,
                "date": issued_on,
                "on": _day(on),
            },
            _(
                "This copy reproduces the certificate as the bureau's register of vocational skill level "
                "certificates records it; the number may be verified on the bureau's certificate verification page."
            ),
        ),
        summary=(
            (_("Name of the document"), _certificate_title()),
            (_("Occupation (type of work)"), f"{qualification.code} {qualification.name}"),
            (_("Skill level"), level),
            (_("Issued on"), issued_on),
            (_("Appraisal body"), certificate.body.name),
        ),
    )
