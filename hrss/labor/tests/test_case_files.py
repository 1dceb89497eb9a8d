"""A case's evidence files (type and size checked, SHA-256 kept, staff reads audited) and the
applicant's online signature (the SHA-256 of the filed content), on the page, in the API and
in the acceptance notice."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.labor import documents, rules
from hrss.labor.models import CaseEvidence
from hrss.labor.services import case_files
from hrss.labor.tests.builders import accepted
from hrss.servicehall.tests.builders import bearer, sign_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 8
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _file(name: str = "wages.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_applicant_adds_evidence_once_per_file_and_a_bad_file_is_refused(city):
    case = accepted(city)
    scope = city.scope(city.citizen)
    added = case_files.evidence_add(
        scope=scope, reference=case.reference, files=[_file(), _file("p.png", PNG)], description="工资条"
    )
    assert [(e.content_type, e.sha256) for e in added] == [
        ("application/pdf", hashlib.sha256(PDF).hexdigest()),
        ("image/png", hashlib.sha256(PNG).hexdigest()),
    ]
    assert case_files.evidence_add(scope=scope, reference=case.reference, files=[_file("again.pdf")]) == []
    with pytest.raises(InvalidInput) as refused:
        case_files.evidence_add(scope=scope, reference=case.reference, files=[_file("x.exe", b"MZ\x90\x00")])
    assert refused.value.code == "file_type"
    with pytest.raises(InvalidInput):
        case_files.evidence_add(scope=scope, reference=case.reference, files=[_file("empty.pdf", b"")])
    assert CaseEvidence.objects.filter(case=case).count() == 2
    assert [e.action for e in case.events.all()][-1] == "evidence"


def test_evidence_through_the_api_lists_hashes_and_audits_staff_reads(city, arbitrator):
    case = accepted(city)
    citizen = bearer(city.citizen)
    url = f"/api/v1/labor/cases/{case.reference}/evidence"
    answer = citizen.post(url, {"files": [_file()], "description": "劳动合同"})
    assert answer.status_code == 200, answer.content
    [row] = answer.json()
    assert row["sha256"] == hashlib.sha256(PDF).hexdigest() and row["description"] == "劳动合同"
    assert citizen.get(url).json()[0]["sha256"] == row["sha256"]
    assert b"".join(citizen.get(f"{url}/{row['id']}").streaming_content) == PDF
    assert not AuditEntry.objects.filter(action="labor.case.evidence.read").exists()  # the applicant's own read
    staff = bearer(arbitrator)
    assert staff.get(f"{url}/{row['id']}").status_code == 200
    read = AuditEntry.objects.get(action="labor.case.evidence.read")
    assert read.actor == arbitrator.username and read.detail["sha256"] == row["sha256"]
    # staff outside arbitration, or a file that is not the case's, are not found
    assert bearer(city.clerk).get(f"{url}/{row['id']}").status_code == 404
    assert staff.get(f"{url}/999999").status_code == 404


def test_the_applicant_signs_the_filed_content_once(city, arbitrator):
    case = accepted(city)
    case_files.evidence_add(scope=city.scope(city.citizen), reference=case.reference, files=[_file()])
    with pytest.raises(PermissionDenied):
        case_files.application_sign(scope=city.scope(arbitrator), reference=case.reference)
    signature = case_files.application_sign(scope=city.scope(city.citizen), reference=case.reference)
    assert signature.signer == city.citizen.username
    assert signature.content_sha256 == rules.filed_content_digest(case_files.filed_content(case))
    with pytest.raises(Conflict):
        case_files.application_sign(scope=city.scope(city.citizen), reference=case.reference)
    notice = documents.build(case, documents.ACCEPTANCE_NOTICE)
    assert ("申请人签名确认" in dict(notice.facts)) and signature.content_sha256 in dict(notice.facts)["申请人签名确认"]
    detail = bearer(city.citizen).get(f"/api/v1/labor/cases/{case.reference}").json()
    assert detail["signature"]["content_sha256"] == signature.content_sha256


def test_the_digest_is_canonical():
    one = rules.filed_content_digest({"b": 1, "a": "工资"})
    assert one == rules.filed_content_digest({"a": "工资", "b": 1})
    assert one != rules.filed_content_digest({"a": "工资", "b": 2})


def test_the_case_page_shows_evidence_and_signs(city):
    case = accepted(city)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    sign_in(client, city.citizen)
    added = client.post(f"/labor/cases/{case.reference}/evidence/", {"files": [_file()], "description": "工资条"})
    assert added.status_code == 302
    client.post(f"/labor/cases/{case.reference}/sign/")
    page = client.get(f"/labor/cases/{case.reference}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert hashlib.sha256(PDF).hexdigest() in body and case.signature.content_sha256 in body
