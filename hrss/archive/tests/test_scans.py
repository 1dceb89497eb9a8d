"""Digitised paper archives (A4): scans checked by content (format, size, pages counted from
the file), kept once per person by SHA-256, shown to their person and to staff in scope
(audited), in the dossier, and taken in from a folder with a manifest that gets a row report."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image

from hrss.archive import scans, selectors
from hrss.archive.models import ScannedDocument
from hrss.core import pdf
from hrss.core import scope as roles
from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.insurance.tests import builders as insurance
from hrss.testing import make_person, make_user, sign_in, staff_scope

pytestmark = pytest.mark.django_db
DAY = dt.date(1998, 7, 1)


def a_pdf(text: str = "招工录用审批表") -> bytes:
    return pdf.render(pdf.Document(issuer="天津市劳动局", title=text, number="1998-001"))


def a_png() -> bytes:
    out = io.BytesIO()
    segno.make("scan").save(out, kind="png", scale=4)
    return out.getvalue()


def a_tiff(pages: int) -> bytes:
    out = io.BytesIO()
    frames = [Image.new("L", (40, 60), color=255 - i) for i in range(pages)]
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def _add(person, data: bytes, *, scope=None, **values):  # type: ignore[no-untyped-def]
    return scans.scan_add(
        scope=scope or staff_scope(districts=["120101"]),
        id_number=person.id_number,
        doc_type=values.pop("doc_type", "recruitment"),
        title=values.pop("title", "招工录用审批表"),
        doc_date=values.pop("doc_date", DAY),
        data=data,
        **values,
    )


def test_the_format_and_pages_come_from_the_content():
    assert scans.sniff(a_pdf()) == scans.Sniffed("application/pdf", 1)
    assert scans.sniff(a_png()) == scans.Sniffed("image/png", 1)
    assert scans.sniff(a_tiff(3)) == scans.Sniffed("image/tiff", 3)
    for bad in (b"not a scan", b"%PDF-1.7 broken", b"GIF89a" + b"\0" * 20):
        with pytest.raises(InvalidInput):
            scans.sniff(bad)


def test_a_scan_is_kept_once_and_checked(settings):
    person = make_person(district="120101", name="扫描甲")
    row, created = _add(person, a_pdf())
    assert created and row.pages == 1 and row.sha256 == hashlib.sha256(a_pdf()).hexdigest()
    again, created = _add(person, a_pdf(), title="另一个标题")
    assert not created and again.pk == row.pk
    with pytest.raises(InvalidInput) as refused:
        _add(person, a_tiff(2), pages=3)
    assert "pages" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        _add(person, a_png(), doc_type="poem", title=" ", doc_date=None)
    assert set(refused.value.fields) == {"doc_type", "title", "doc_date"}
    settings.HRSS_SCAN_MAX_BYTES = 100
    with pytest.raises(InvalidInput):
        _add(person, a_pdf("太大"))
    assert AuditEntry.objects.filter(action="archive.scan.added", object_id=str(person.pk)).count() == 1


def test_only_the_counter_in_the_persons_district_adds_scans():
    person = make_person(district="120101", name="扫描乙")
    with pytest.raises(PermissionDenied):
        _add(person, a_png(), scope=insurance.citizen(person))
    with pytest.raises(NotFound):
        _add(person, a_png(), scope=staff_scope(districts=["120103"]))
    assert not ScannedDocument.objects.exists()


def test_the_scan_is_its_persons_and_staff_in_scope_see_it_audited():
    person = make_person(district="120101", name="扫描丙")
    row, _created = _add(person, a_png())
    assert scans.scan_file(scope=insurance.citizen(person), scan_id=row.pk)[1] == a_png()
    with pytest.raises(NotFound):
        scans.scan_file(scope=insurance.citizen(make_person(name="旁人")), scan_id=row.pk)
    with pytest.raises(NotFound):
        scans.scan_file(scope=staff_scope(districts=["120103"]), scan_id=row.pk)
    scans.scan_file(scope=staff_scope(districts=["120101"]), scan_id=row.pk)
    assert AuditEntry.objects.filter(action="archive.scan.read", object_id=str(person.pk)).count() == 1
    section = next(
        s for s in selectors.dossier_mine(scope=insurance.citizen(person)).sections if s.key == "archive.scans"
    )
    assert section.total == 1 and section.entries[0].title == "招工录用审批表"
    assert section.entries[0].link == f"/archive/scans/{row.pk}/"


def _folder(tmp_path: Path, person) -> Path:  # type: ignore[no-untyped-def]
    (tmp_path / "a.pdf").write_bytes(a_pdf())
    (tmp_path / "b.tif").write_bytes(a_tiff(2))
    (tmp_path / "c.txt").write_text("not a scan")
    (tmp_path.parent / "outside.pdf").write_bytes(a_pdf("外面"))
    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "id_number", "doc_type", "title", "doc_date", "pages"])
        writer.writerow(["a.pdf", person.id_number, "recruitment", "招工录用审批表", "1998-07-01", ""])
        writer.writerow(["b.tif", person.id_number, "wage", "工资调整审批表", "2003-01-15", "2"])
        writer.writerow(["c.txt", person.id_number, "other", "说明", "2003-01-15", ""])
        writer.writerow(["missing.pdf", person.id_number, "other", "缺失", "2003-01-15", ""])
        writer.writerow(["../outside.pdf", person.id_number, "other", "目录外", "2003-01-15", ""])
        writer.writerow(["a.pdf", "110101199003070000", "other", "错号", "2003-01-15", ""])
    return manifest


def test_a_folder_with_a_manifest_is_taken_in_with_a_row_report(tmp_path: Path):
    folder = tmp_path / "batch"
    folder.mkdir()
    person = make_person(district="120101", name="扫描丁")
    manifest = _folder(folder, person)
    out = io.StringIO()
    call_command("archive", "import-scans", "--manifest", str(manifest), stdout=out)
    assert "6 rows: 2 added, 0 already kept, 4 invalid" in out.getvalue()
    with manifest.with_suffix(".report.csv").open(encoding="utf-8") as handle:
        report = list(csv.DictReader(handle))
    assert [r["outcome"] for r in report] == ["added", "added", "invalid", "invalid", "invalid", "invalid"]
    assert [r["row"] for r in report] == ["2", "3", "4", "5", "6", "7"]
    assert all(r["message"] for r in report if r["outcome"] == "invalid")
    assert ScannedDocument.objects.filter(person=person).count() == 2
    out = io.StringIO()
    call_command("archive", "import-scans", "--manifest", str(manifest), stdout=out)
    assert "6 rows: 0 added, 2 already kept, 4 invalid" in out.getvalue()


def test_the_counter_digitises_on_the_page_and_the_person_opens_the_scan(client: Client):
    person = make_person(district="120101", name="扫描戊")
    staff = sign_in(Client(), make_user("scan_clerk", roles.COUNTER_CLERK, districts=["120101"]))
    assert staff.get("/archive/scans/add/").status_code == 200
    form = {"id_number": person.id_number, "doc_type": "contract", "title": "劳动合同书", "doc_date": "2001-03-01"}
    response = staff.post("/archive/scans/add/", {**form, "file": SimpleUploadedFile("x.png", a_png())})
    assert response.status_code == 302
    refused = staff.post("/archive/scans/add/", {**form, "file": SimpleUploadedFile("x.png", b"text")})
    assert refused.status_code == 422 and "扫描件须为PDF、JPEG、PNG或TIFF文件" in refused.content.decode()
    row = ScannedDocument.objects.get(person=person)
    client.force_login(make_user("scan_holder", roles.CITIZEN, person=person))
    shown = client.get(f"/archive/scans/{row.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png" and shown.content == a_png()
    assert "劳动合同书" in client.get("/archive/dossier/").content.decode()
