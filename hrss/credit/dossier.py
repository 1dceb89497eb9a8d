"""What the credit app offers the dossier (``hrss.core.dossier``): the credit records (信用记录,
rewards and penalties) of a person or an employer, the latest first, each with its kind, the
day it occurred, until when it counts, its points and whether it counts now (or was corrected
on an objection), linked to the subject's credit page. One query for the newest events, and
a count only when there may be more.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hrss.core.dossier import DossierEntry, DossierSection, newest
from hrss.credit.models import CreditEvent

_FIELDS = ("pk", "kind__name", "summary", "occurred_on", "expires_on", "points", "corrected_at")


def _standing(row: dict[str, Any], on: dt.date) -> str:
    if row["corrected_at"] is not None:
        return _("corrected, not counted")
    if row["occurred_on"] <= on < row["expires_on"]:
        return _("counted")
    return _("expired, not counted")


def _detail(row: dict[str, Any]) -> str:
    points = f"+{row['points']}" if row["points"] > 0 else str(row["points"])
    standing = _("%(points)s points, counts until %(date)s") % {
        "points": points,
        "date": row["expires_on"].isoformat(),
    }
    return f"{row['summary']} · {standing}" if row["summary"] else standing


def _section(subject: dict[str, uuid.UUID], *, on: dt.date, limit: int) -> list[DossierSection]:
    rows = CreditEvent.objects.filter(**subject).order_by("-occurred_on", "source_ref")
    page, total = newest(rows.values(*_FIELDS), limit, rows)
    if not total:
        return []
    link = reverse("credit:mine")
    entries = tuple(
        DossierEntry(
            title=row["kind__name"],
            on=row["occurred_on"],
            detail=_detail(row),
            status=_standing(row, on),
            reference="",  # its record number is on the credit page the link opens
            link=link,
        )
        for row in page
    )
    return [DossierSection("credit.events", _("Credit history"), 90, entries, total)]


def person_sections(person_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    return _section({"person_id": person_id}, on=on, limit=limit)


def employer_sections(employer_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    return _section({"employer_id": employer_id}, on=on, limit=limit)
