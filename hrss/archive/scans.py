"""Digitised paper archives (A4): a scan is checked before it is kept — its format from its
content (a PDF that pyHanko's reader can open, or an image Pillow verifies: JPEG, PNG, TIFF),
its size, its pages counted from the file — stored through Django storage with its SHA-256,
and the same scan of the same person is kept once. A folder of scans comes with a manifest
CSV (``file,id_number,doc_type,title,doc_date[,pages]``); every row gets a line in a report."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hrss.archive.models import DocumentType, ScannedDocument
from hrss.core.audit import audit_record
from hrss.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, COUNTER_CLERK, Scope
from hrss.registry import selectors as registry

# Who digitises and reads scans: the counter (archive room) and administrators.
SCAN_STAFF = (COUNTER_CLERK, ADMINISTRATOR)
MANIFEST_COLUMNS = ("file", "id_number", "doc_type", "title", "doc_date")


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    pages: int


def max_bytes() -> int:
    return int(getattr(settings, "HRSS_SCAN_MAX_BYTES", 20 * 1024 * 1024))


def sniff(data: bytes) -> Sniffed:
    """The scan's format and pages, from its content (never its name): a refusal for anything else."""
    if data.startswith(b"%PDF-"):
        from pyhanko.pdf_utils.reader import PdfFileReader

        try:
            count = int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])
        except Exception as error:  # a damaged PDF: pyHanko's reader raises many kinds
            raise InvalidInput(fields={"file": _("The PDF file is damaged and cannot be read.")}) from error
        if count < 1:
            raise InvalidInput(fields={"file": _("The PDF file has no pages.")})
        return Sniffed("application/pdf", count)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            frames = getattr(image, "n_frames", 1)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise InvalidInput(fields={"file": _("A scan is a PDF, JPEG, PNG or TIFF file.")}) from error
    types = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff"}
    if kind not in types:
        raise InvalidInput(fields={"file": _("A scan is a PDF, JPEG, PNG or TIFF file.")})
    return Sniffed(types[kind], int(frames))


def _staff(scope: Scope) -> None:
    if not scope.has_role(*SCAN_STAFF):
        raise PermissionDenied(_("Scans are added by the archive's staff at the counter."))


def scan_add(
    *,
    scope: Scope,
    id_number: str,
    doc_type: str,
    title: str,
    doc_date: dt.date | None,
    data: bytes,
    pages: int | None = None,
    source: str = "counter",
    purpose: str = "",
) -> tuple[ScannedDocument, bool]:
    """Keep one scan of a person in the caller's districts; (scan, created). The same file for
    the same person again gives back the one kept."""
    _staff(scope)
    errors: dict[str, str] = {}
    if doc_type not in DocumentType.values:
        errors["doc_type"] = str(_("Choose a document type."))
    if not title.strip():
        errors["title"] = str(_("Give the document a title."))
    if doc_date is None:
        errors["doc_date"] = str(_("Give the date on the document (YYYY-MM-DD)."))
    if not data:
        errors["file"] = str(_("Choose the scan file."))
    elif len(data) > max_bytes():
        errors["file"] = str(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes() // (1024 * 1024)})
    if errors:
        raise InvalidInput(fields=errors)
    assert doc_date is not None
    person = registry.person_get_by_id_number(scope=scope, id_number=id_number, purpose=purpose or "archive scan")
    sniffed = sniff(data)
    if pages is not None and pages != sniffed.pages:
        raise InvalidInput(
            fields={
                "pages": str(_("The file has %(found)s pages, not %(said)s.") % {"found": sniffed.pages, "said": pages})
            }
        )
    digest = hashlib.sha256(data).hexdigest()
    existing = ScannedDocument.objects.filter(person=person, sha256=digest).first()
    if existing is not None:
        return existing, False
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/tiff": "tif"}
    row = ScannedDocument(
        person=person,
        doc_type=doc_type,
        title=title.strip()[:200],
        doc_date=doc_date,
        pages=sniffed.pages,
        content_type=sniffed.content_type,
        size=len(data),
        sha256=digest,
        source=source[:120],
        uploaded_by=scope.actor,
    )
    row.file.save(f"{digest[:16]}.{extension[sniffed.content_type]}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            row.save()
            audit_record(
                actor=scope.actor,
                actor_role=scope.primary_role,
                action="archive.scan.added",
                object_type="person",
                object_id=str(person.pk),
                detail={"sha256": digest, "doc_type": doc_type},
            )
    except IntegrityError:
        row.file.delete(save=False)
        return ScannedDocument.objects.get(person=person, sha256=digest), False
    return row, True


def scan_file(*, scope: Scope, scan_id: uuid.UUID) -> tuple[ScannedDocument, bytes]:
    """The scan, for the person it is about, or for staff whose districts cover them (audited)."""
    row = ScannedDocument.objects.select_related("person").filter(pk=scan_id).first()
    if row is None:
        raise NotFound(_("No such scan."))
    if scope.person_id != row.person_id or scope.is_staff:
        if not scope.has_role(*SCAN_STAFF, "reviewer", "approver", "inspector") or not (
            registry.person_queryset(scope=scope).filter(pk=row.person_id).exists()
        ):
            raise NotFound(_("No such scan."))
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="archive.scan.read",
            object_type="person",
            object_id=str(row.person_id),
            detail={"scan": str(row.pk)},
        )
    with row.file.open("rb") as handle:
        return row, handle.read()


# --- a folder with a manifest ------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    row: int
    file: str
    outcome: str  # added | already_kept | invalid
    message: str


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def scans_import(*, scope: Scope, folder: Path, manifest: IO[str], source: str) -> list[ReportRow]:
    """Every row of the manifest, each scan kept or refused on its own: a bad row never stops the rest."""
    _staff(scope)
    reader = csv.DictReader(manifest)
    missing = [c for c in MANIFEST_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(_("The manifest lacks columns: %(columns)s.") % {"columns": ", ".join(missing)})
    root = folder.resolve()
    report = []
    for number, line in enumerate(reader, start=2):
        name = (line.get("file") or "").strip()
        path = (root / name).resolve()
        if not name or root not in path.parents or not path.is_file():
            report.append(ReportRow(number, name, "invalid", str(_("No such file in the folder."))))
            continue
        try:
            pages_text = (line.get("pages") or "").strip()
            _row, created = scan_add(
                scope=scope,
                id_number=line.get("id_number") or "",
                doc_type=(line.get("doc_type") or "").strip(),
                title=line.get("title") or "",
                doc_date=_date(line.get("doc_date") or ""),
                data=path.read_bytes(),
                pages=int(pages_text) if pages_text.isdigit() else None,
                source=source,
                purpose="archive digitisation",
            )
        except DomainError as error:
            fields = "; ".join(f"{k}: {v}" for k, v in (error.fields or {}).items())
            report.append(ReportRow(number, name, "invalid", fields or str(error.message)))
            continue
        report.append(ReportRow(number, name, "added" if created else "already_kept", ""))
    return report


def write_report(rows: Iterable[ReportRow], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "file", "outcome", "message"])
        for row in rows:
            writer.writerow([row.row, row.file, row.outcome, row.message])
