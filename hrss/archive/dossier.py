"""The archive's own part of the dossier (``hrss.core.dossier``): the person's employment
history as the basic information database holds it (every employer's spells, from every
source), and the digitised paper records of a person, each linking to its scan."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hrss.archive.models import DocumentType, ScannedDocument
from hrss.core.dossier import DossierEntry, DossierSection, newest
from hrss.registry.models import Employment


def person_sections(person_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    return _employments(person_id, on=on, limit=limit) + _scans(person_id, limit=limit)


def _employments(person_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    every = Employment.objects.filter(person_id=person_id)
    rows, total = newest(
        every.order_by("-start_date", "employer__name").values(
            "employer__name", "start_date", "end_date", "occupation__name"
        ),
        limit,
        every,
    )
    if not rows:
        return []
    entries = tuple(
        DossierEntry(
            title=row["employer__name"],
            on=row["start_date"],
            detail=(
                _("%(start)s to %(end)s") % {"start": row["start_date"].isoformat(), "end": row["end_date"].isoformat()}
                if row["end_date"]
                else _("since %(start)s") % {"start": row["start_date"].isoformat()}
            )
            + (f" · {row['occupation__name']}" if row["occupation__name"] else ""),
            status=pgettext("archive", "employed")
            if row["end_date"] is None or row["end_date"] >= on
            else pgettext("archive", "left"),
        )
        for row in rows
    )
    return [DossierSection("archive.employment", _("Employment history"), 10, entries, total)]


def _scans(person_id: uuid.UUID, *, limit: int) -> list[DossierSection]:
    every = ScannedDocument.objects.filter(person_id=person_id)
    rows, total = newest(
        every.order_by("-doc_date", "title").values("pk", "title", "doc_date", "doc_type", "pages"), limit, every
    )
    if not rows:
        return []
    labels = dict(DocumentType.choices)
    entries = tuple(
        DossierEntry(
            title=row["title"],
            on=row["doc_date"],
            detail=_("%(type)s, %(pages)s pages") % {"type": labels.get(row["doc_type"], ""), "pages": row["pages"]},
            status=_("digitised"),
            link=reverse("archive:scan", kwargs={"scan_id": row["pk"]}),
        )
        for row in rows
    )
    return [DossierSection("archive.scans", _("Paper records (scans)"), 95, entries, total)]
