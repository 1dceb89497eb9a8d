"""What an app offers the personal dossier (电子档案袋, A4) and the certificates from data (B2),
without the archive importing it.

An app declares ``dossier = "hrss.<app>.dossier"`` on its AppConfig. That module has

* ``person_sections(person_id, *, on, limit) -> list[DossierSection]``: the person's records
  the app owns, newest first, at most ``limit`` entries a section (``total`` says how many
  there are), read set-based: a few queries for any person;
* optionally ``employer_sections(employer_id, *, on, limit)``: the same for an employer's
  labour records;
* optionally ``certificate_offers(person_id, *, on) -> list[CertificateOffer]`` and
  ``certificate_body(kind, ref, person_id, *, on) -> CertificateBody``: the proofs the app can
  issue from its data, and the content of one (``NotFound`` when the person has no such record).

The archive copies nothing: an entry names its source record (``reference``) and links to
the page that shows it (``link``); a certificate's body is read from the records when it is
issued and kept only as the signed PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class DossierEntry:
    title: str  # one line, in the bureau's language
    on: dt.date | None  # the day it happened or began
    detail: str = ""  # a second line: period, amount, outcome
    status: str = ""  # e.g. 有效, 已注销, 审理中
    reference: str = ""  # the source record's number or key
    link: str = ""  # the page that shows the source record, "" when the holder has none


@dataclass(frozen=True)
class DossierSection:
    key: str  # "<app>.<part>", unique
    title: str  # translated
    order: int  # sections are shown by order, then key
    entries: tuple[DossierEntry, ...]
    total: int  # how many records there are (entries holds at most the limit asked for)


@dataclass(frozen=True)
class CertificateOffer:
    kind: str  # "<app>.<kind>", e.g. "insurance.contributions"
    ref: str  # which record ("" when a person has one of the kind)
    title: str  # the certificate's title, e.g. 参保缴费证明
    label: str  # what this one is about, e.g. the qualification and level


@dataclass(frozen=True)
class CertificateBody:
    title: str
    facts: tuple[tuple[str, str], ...]  # label, value: what the certificate states
    paragraphs: tuple[str, ...] = ()  # the certifying text
    # What the public verification page shows, masked where it names the holder.
    summary: tuple[tuple[str, str], ...] = ()


def newest(rows: QuerySet[Any, Any], limit: int, every: QuerySet[Any, Any] | None = None) -> tuple[list[Any], int]:
    """A section's first ``limit`` rows and how many there are: counted (``every``, else the
    rows unordered) only when there may be more than were read."""
    page = list(rows[: max(limit, 0)])
    total = len(page) if len(page) < limit else (every if every is not None else rows.order_by()).count()
    return page, total
