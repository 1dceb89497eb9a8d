"""The archive's own part of the dossier (``hrss.core.dossier``): the digitised paper records
of a person, each linking to its scan."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse
from django.utils.translation import gettext as _

from hrss.archive.models import DocumentType, ScannedDocument
from hrss.core.dossier import DossierEntry, DossierSection


def person_sections(person_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    every = ScannedDocument.objects.filter(person_id=person_id)
    rows = list(every.order_by("-doc_date", "title").values("pk", "title", "doc_date", "doc_type", "pages")[:limit])
    if not rows:
        return []
    total = len(rows) if len(rows) < limit else every.count()
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
