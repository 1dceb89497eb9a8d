"""What the labour app offers the personal dossier (``hrss.core.dossier``).

A person's sections: the arbitration cases they applied for (劳动人事争议仲裁), their
mediations before arbitration (劳动争议调解) and the labour inspection complaints they filed
(劳动保障监察投诉; reports, 举报, stay out: a reporter's identity is kept confidential).
An employer's sections: the arbitration cases against it as respondent and the complaints
and reports about it (劳动保障监察), never naming who complained.

Certificates: ``labor.award``, a copy of the award (劳动人事争议仲裁裁决书（副本）) of each of
the person's cases that has one, ``ref`` the case number; its facts and text are the award's
own, built by ``hrss.labor.documents``.

Every section is read with one query for its newest entries, and one count when there may
be more than ``limit``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from hrss.core.dossier import CertificateBody, CertificateOffer, DossierEntry, DossierSection, newest
from hrss.core.errors import NotFound
from hrss.labor.models import (
    ArbitrationCase,
    AwardOutcome,
    CaseStatus,
    Complaint,
    ComplaintKind,
    LeadStatus,
    Mediation,
    MediationStatus,
)

AWARD = "labor.award"


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


def _outcome(outcome: str, awarded_on: dt.date | None) -> str:
    if not outcome:
        return ""
    return _("Award: %(outcome)s (%(date)s)") % {"outcome": _label(AwardOutcome, outcome), "date": _iso(awarded_on)}


# --- a person's records ----------------------------------------------------------------------------


def _cases(person_id: uuid.UUID, limit: int) -> DossierSection:
    rows = ArbitrationCase.objects.filter(person_id=person_id).order_by("-received_on", "-reference")
    page, total = newest(
        rows.values("reference", "respondent_name", "received_on", "status", "outcome", "awarded_on"), limit
    )
    entries = tuple(
        DossierEntry(
            title=_("Respondent: %(name)s") % {"name": row["respondent_name"]},
            on=row["received_on"],
            detail=_outcome(row["outcome"], row["awarded_on"]),
            status=_label(CaseStatus, row["status"]),
            reference=row["reference"],
            link=reverse("labor:case", args=[row["reference"]]),
        )
        for row in page
    )
    return DossierSection("labor.arbitration", _("Labour and personnel dispute arbitration"), 60, entries, total)


def _mediations(person_id: uuid.UUID, limit: int) -> DossierSection:
    rows = Mediation.objects.filter(person_id=person_id).order_by("-applied_on", "-reference")
    page, total = newest(
        rows.values("reference", "respondent_name", "applied_on", "status", "closed_on", "organisation__name"), limit
    )
    entries = tuple(
        DossierEntry(
            title=_("Respondent: %(name)s") % {"name": row["respondent_name"]},
            on=row["applied_on"],
            detail=row["organisation__name"]
            + (" · " + _("closed on %(date)s") % {"date": _iso(row["closed_on"])} if row["closed_on"] else ""),
            status=_label(MediationStatus, row["status"]),
            reference=row["reference"],
            link=reverse("labor:mediation", args=[row["reference"]]),
        )
        for row in page
    )
    return DossierSection("labor.mediation", _("Labour dispute mediation"), 61, entries, total)


def _complaints(person_id: uuid.UUID, limit: int) -> DossierSection:
    # Only the person's own complaints: a report (举报) names whom it reports, and the reporter
    # is kept confidential, so it is not shown where staff read the person's dossier.
    rows = Complaint.objects.filter(person_id=person_id, kind=ComplaintKind.COMPLAINT).order_by(
        "-received_on", "-reference"
    )
    page, total = newest(rows.values("reference", "received_on", "employer__name", "lead__status"), limit)
    entries = tuple(
        DossierEntry(
            title=_("Complaint about %(employer)s") % {"employer": row["employer__name"]},
            on=row["received_on"],
            status=_label(LeadStatus, row["lead__status"]),
            reference=row["reference"],
        )
        for row in page
    )
    return DossierSection("labor.complaints", _("Labour inspection complaints"), 62, entries, total)


def person_sections(person_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    sections = [_cases(person_id, limit), _mediations(person_id, limit), _complaints(person_id, limit)]
    return [section for section in sections if section.total > 0]


# --- an employer's records ---------------------------------------------------------------------------


def _cases_against(employer_id: uuid.UUID, limit: int) -> DossierSection:
    # The applicant is not named: the employer's dossier is read by its own agents too.
    rows = ArbitrationCase.objects.filter(employer_id=employer_id).order_by("-received_on", "-reference")
    page, total = newest(rows.values("reference", "received_on", "status", "outcome", "awarded_on"), limit)
    entries = tuple(
        DossierEntry(
            title=_("Arbitration case %(reference)s") % {"reference": row["reference"]},
            on=row["received_on"],
            detail=_outcome(row["outcome"], row["awarded_on"]),
            status=_label(CaseStatus, row["status"]),
            reference=row["reference"],
        )
        for row in page
    )
    return DossierSection("labor.arbitration_respondent", _("Arbitration cases"), 60, entries, total)


def _inspection(employer_id: uuid.UUID, limit: int) -> DossierSection:
    # Complaints and reports about the employer, and where its inspection lead stands; never
    # who complained or what they wrote.
    rows = Complaint.objects.filter(employer_id=employer_id).order_by("-received_on", "-reference")
    page, total = newest(rows.values("reference", "kind", "received_on", "lead__status"), limit)
    entries = tuple(
        DossierEntry(
            title=_label(ComplaintKind, row["kind"]),
            on=row["received_on"],
            status=_label(LeadStatus, row["lead__status"]),
            reference=row["reference"],
        )
        for row in page
    )
    return DossierSection("labor.inspection", _("Labour security inspection"), 61, entries, total)


def employer_sections(employer_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    sections = [_cases_against(employer_id, limit), _inspection(employer_id, limit)]
    return [section for section in sections if section.total > 0]


# --- certificates -----------------------------------------------------------------------------------


def _award_title() -> str:
    return _("Labour and personnel dispute arbitration award (copy)")


def certificate_offers(person_id: uuid.UUID, *, on: dt.date) -> list[CertificateOffer]:
    """A copy of the award of each of the person's cases that has one, the latest first."""
    rows = (
        ArbitrationCase.objects.filter(person_id=person_id, status=CaseStatus.AWARDED)
        .order_by("-awarded_on", "-reference")
        .values_list("reference", "respondent_name", "awarded_on")
    )
    title = _award_title()
    return [
        CertificateOffer(
            kind=AWARD,
            ref=reference,
            title=title,
            label=_("Case %(reference)s, respondent %(respondent)s, awarded on %(date)s")
            % {"reference": reference, "respondent": respondent, "date": _iso(awarded_on)},
        )
        for reference, respondent, awarded_on in rows
    ]


def certificate_body(kind: str, ref: str, person_id: uuid.UUID, *, on: dt.date) -> CertificateBody:
    """The award of one of the person's own cases, as ``hrss.labor.documents`` lays it out."""
    from hrss.labor import documents  # the PDF layer, loaded only when a certificate is asked for

    if kind != AWARD:
        raise NotFound(_("There is no such certificate."), code="labor_certificate_unknown")
    case = (
        ArbitrationCase.objects.select_related("person", "employer", "district")
        .filter(person_id=person_id, reference=ref, status=CaseStatus.AWARDED)
        .first()
    )
    if case is None:
        raise NotFound(_("You have no arbitration award with this case number."), code="labor_award_not_found")
    award = documents.build(case, documents.AWARD)
    commission = documents.commission(case)
    outcome = _label(AwardOutcome, case.outcome)
    awarded_on = _day(case.awarded_on)
    final = _("final award") if case.final_award else _("award open to a lawsuit")
    return CertificateBody(
        title=_award_title(),
        facts=(
            (_("Case number"), case.reference),
            (_("Arbitration commission"), commission),
            *award.facts,
            (_("Award date"), awarded_on),
            (_("Outcome"), outcome),
            (_("Kind of award"), final),
        ),
        paragraphs=(
            *(paragraph for paragraph in award.paragraphs if paragraph),
            _(
                "This copy reproduces the award of case %(reference)s made by %(commission)s on %(date)s, "
                "as the commission's case file records it."
            )
            % {"reference": case.reference, "commission": commission, "date": awarded_on},
        ),
        summary=(
            (_("Case number"), case.reference),
            (_("Arbitration commission"), commission),
            (_("Award date"), awarded_on),
            (_("Outcome"), outcome),
        ),
    )
