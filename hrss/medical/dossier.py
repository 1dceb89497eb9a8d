"""What the medical app offers the personal dossier (``hrss.core.dossier``).

Two sections of a person:

* 基本医疗保险: the person's insurance (category, since when) and their filings for
  treatment in another region (异地就医备案), the newest first;
* 医疗费用结算: the settlements, reversals and refunds designated institutions made for
  them, the latest visit first, with the bill's total and what the fund, the personal
  account and cash paid.

At most five queries for any person: the insurance row, then for filings and claims one
query each for the newest entries and a count only when there may be more.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from stdnum import numdb

from hrss.core.dossier import DossierEntry, DossierSection, newest
from hrss.medical.models import Claim, Filing, Insured, Pooling


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _yuan(amount: Decimal) -> str:
    return _("%(amount)s yuan") % {"amount": f"{amount:.2f}"}


def region_name(code: str) -> str:
    """The name of a pooling region (a GB/T 2260 prefecture-level code, as python-stdnum knows
    them): 北京市, 河北省石家庄市; the code itself when it is unknown."""
    parts: dict[str, str] = {}
    for _prefix, props in numdb.get("cn/loc").info(code):
        parts.update(props)
    province = parts.get("province", "").split(",")[-1].split("]")[-1]
    county = parts.get("county", "").split(",")[-1].split("]")[-1]
    if not province:
        return code
    return province if county in ("", "市辖区", "县") else province + county


def _insurance(person_id: uuid.UUID, limit: int) -> DossierSection:
    insured = Insured.objects.filter(person_id=person_id).values("category__name", "since").first()
    filings = Filing.objects.filter(person_id=person_id).order_by("-valid_from", "-reference")
    page, count = newest(filings.values("kind", "region", "valid_from", "valid_to", "hospital", "reference"), limit)
    entries = [
        DossierEntry(
            title=_("Cross-region filing: %(kind)s") % {"kind": _label(Filing.Kind, row["kind"])},
            on=row["valid_from"],
            detail=_("%(place)s, from %(start)s to %(end)s")
            % {
                "place": " ".join(part for part in (region_name(row["region"]), row["hospital"]) if part),
                "start": row["valid_from"].isoformat(),
                "end": row["valid_to"].isoformat() if row["valid_to"] else _("open-ended"),
            },
            reference=row["reference"],
        )
        for row in page
    ]
    if insured is not None:
        entries.append(
            DossierEntry(
                title=_("Basic medical insurance: %(category)s") % {"category": insured["category__name"]},
                on=insured["since"],
                status=_("insured"),
                link=reverse("medical:mine"),
            )
        )
        entries.sort(key=lambda entry: entry.on or dt.date.min, reverse=True)
    total = count + (1 if insured is not None else 0)
    return DossierSection("medical.insurance", _("Basic medical insurance"), 40, tuple(entries[:limit]), total)


def _detail(row: dict[str, Any]) -> str:
    return _("%(pooling)s; total %(total)s, paid by the fund %(fund)s, personal account %(account)s, cash %(cash)s") % {
        "pooling": _label(Pooling, row["pooling"]),
        "total": _yuan(row["total"]),
        "fund": _yuan(row["fund"]),
        "account": _yuan(row["account"]),
        "cash": _yuan(row["cash"]),
    }


def _claims(person_id: uuid.UUID, limit: int) -> DossierSection:
    rows = Claim.objects.filter(person_id=person_id).order_by("-visit_date", "-created_at")
    page, total = newest(
        rows.values(
            "transaction_id",
            "kind",
            "pooling",
            "visit_date",
            "total",
            "fund",
            "account",
            "cash",
            "reversed_at",
            "institution__name",
        ),
        limit,
    )
    link = reverse("medical:mine")
    entries = tuple(
        DossierEntry(
            title=f"{row['institution__name']} · {_label(Claim.Kind, row['kind'])}",
            on=row["visit_date"],
            detail=_detail(row),
            status=_("reversed") if row["reversed_at"] else "",
            reference=row["transaction_id"],
            link=link,
        )
        for row in page
    )
    return DossierSection("medical.claims", _("Medical expense settlements"), 41, entries, total)


def person_sections(person_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    sections = [_insurance(person_id, limit), _claims(person_id, limit)]
    return [section for section in sections if section.total > 0]
