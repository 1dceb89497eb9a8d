"""Certificates from data (B2): issued from the person's records as a signed PDF, verified by
pyHanko against the bureau's certificate (a byte changed breaks it), idempotent for the same
content the same day, superseded by a later one, and verified in public by code."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from hrss.archive import rules, selectors, services
from hrss.archive.models import CertificateStatus, IssuedCertificate
from hrss.archive.tests.builders import START, insured, signature_status
from hrss.core import scope as roles
from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.insurance import rules as insurance_rules
from hrss.insurance.tests import builders as insurance
from hrss.testing import make_person, make_user, staff_scope

pytestmark = pytest.mark.django_db
BASE = "http://testserver/"


def _issue(person, kind: str = "insurance.contributions", ref: str = "") -> IssuedCertificate:
    return services.certificate_issue(scope=insurance.citizen(person), kind=kind, ref=ref, base_url=BASE)


def _pdf(row: IssuedCertificate) -> bytes:
    with row.file.open("rb") as handle:
        return handle.read()


def test_a_person_with_contributions_is_offered_the_contribution_certificate():
    person, _firm = insured()
    kinds = {offer.kind for offer in selectors.offers_mine(scope=insurance.citizen(person))}
    assert "insurance.contributions" in kinds
    assert selectors.offers_mine(scope=insurance.citizen(make_person(name="无记录"))) == []
    assert selectors.offers_mine(scope=staff_scope()) == []


def test_the_issued_certificate_is_signed_and_a_changed_byte_breaks_the_signature():
    person, _firm = insured()
    row = _issue(person)
    data = _pdf(row)
    assert data.startswith(b"%PDF") and row.size == len(data)
    assert row.file_sha256 == hashlib.sha256(data).hexdigest()
    assert row.number.startswith(f"ZM{row.issued_on:%Y%m%d}-") and rules.normalise_code(row.code) == row.code
    status = signature_status(data)
    assert status.intact and status.valid and status.trusted
    tampered = bytearray(data)
    at = tampered.index(b"/Title")
    tampered[at + 1] = ord("X")
    assert not signature_status(bytes(tampered)).intact


def test_the_same_content_the_same_day_is_the_same_certificate():
    person, _firm = insured()
    first = _issue(person)
    again = _issue(person)
    assert again.pk == first.pk
    assert IssuedCertificate.objects.filter(person=person).count() == 1


def test_changed_records_give_a_new_certificate_that_supersedes_the_earlier():
    person, _firm = insured(months=2)
    first = _issue(person)
    assert selectors.verify(code=first.code).still_matches is True
    insurance.assess(insurance_rules.add_months(START, 2), 1)  # a third month is assessed
    assert selectors.verify(code=first.code).still_matches is False
    second = _issue(person)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.status == CertificateStatus.SUPERSEDED and first.superseded_by_id == second.pk
    old = selectors.verify(code=first.code)
    assert old.found and old.status == "superseded" and old.superseded_by == second.number
    assert selectors.verify(code=second.code).status == "current"


def test_verification_is_masked_and_unknown_codes_answer_alike():
    person, _firm = insured(name="欧阳小明")
    row = _issue(person)
    result = selectors.verify(code=row.code.lower()[:8] + "-" + row.code[8:])
    assert result.found and result.holder == "欧***"
    assert result.id_number.startswith(person.id_number[:4]) and "*" in result.id_number
    assert person.id_number not in str(result)
    assert result.summary, "the provider's summary is shown"
    for code in ("2" * 16, "not-a-code", "", "0O1IL" * 4):
        assert selectors.verify(code=code).found is False


def test_only_the_person_it_concerns_is_issued_a_certificate():
    person, _firm = insured()
    with pytest.raises(PermissionDenied):
        services.certificate_issue(scope=staff_scope(), kind="insurance.contributions", base_url=BASE)
    with pytest.raises(NotFound):
        _issue(make_person(name="无记录"))
    with pytest.raises(InvalidInput):
        _issue(person, kind="nothing.here")


def test_the_pdf_is_the_holders_and_staff_in_the_district_see_it_audited():
    person, _firm = insured(district="120101")
    row = _issue(person)
    _row, data = services.certificate_file(scope=insurance.citizen(person), code=row.code)
    assert hashlib.sha256(data).hexdigest() == row.file_sha256
    with pytest.raises(NotFound):
        services.certificate_file(scope=insurance.citizen(make_person(name="他人")), code=row.code)
    with pytest.raises(NotFound):
        services.certificate_file(scope=staff_scope(districts=["120102"]), code=row.code)
    services.certificate_file(scope=staff_scope(districts=["120101"]), code=row.code)
    assert AuditEntry.objects.filter(action="archive.certificate.read", object_id=str(person.pk)).count() == 1


def test_the_qr_code_leads_to_the_verification_page(settings):
    assert services.verification_url("ABCDEFGHJKMNPQRS", base="http://hall.example/") == (
        "http://hall.example/verify/ABCDEFGHJKMNPQRS/"
    )
    settings.HRSS_PUBLIC_URL = "https://rs.example.gov.cn/"
    assert services.verification_url("ABCDEFGHJKMNPQRS", base="http://10.0.0.1/") == (
        "https://rs.example.gov.cn/verify/ABCDEFGHJKMNPQRS/"
    )


# --- through the web and the API ------------------------------------------------------------


def test_a_citizen_issues_downloads_and_anyone_verifies_on_the_pages(client: Client):
    person, _firm = insured()
    user = make_user("archive_citizen", roles.CITIZEN, person=person)
    client.force_login(user)
    page = client.get(reverse("archive:certificates"))
    assert page.status_code == 200 and "参保缴费证明" in page.content.decode()
    response = client.post(reverse("archive:certificate_issue"), {"kind": "insurance.contributions", "ref": ""})
    assert response.status_code == 302
    row = IssuedCertificate.objects.get(person=person)
    download = client.get(reverse("archive:certificate_pdf", args=[row.code]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    data = download.content
    assert hashlib.sha256(data).hexdigest() == row.file_sha256

    anonymous = Client()
    shown = anonymous.get(reverse("archive:verify", args=[row.code]))
    text = shown.content.decode()
    assert shown.status_code == 200 and "真实有效" in text and row.number in text and person.id_number not in text
    same = anonymous.post(reverse("archive:verify", args=[row.code]), {"file": _upload(data)})
    assert "完全一致" in same.content.decode()
    altered = anonymous.post(reverse("archive:verify", args=[row.code]), {"file": _upload(data[:-10] + b"0" * 10)})
    assert "开具后被改动过" in altered.content.decode()
    assert anonymous.get(reverse("archive:verify", args=["2" * 16])).status_code == 404
    typed = anonymous.get(reverse("archive:verify_form"), {"code": row.code.lower()})
    assert typed.status_code == 302 and typed["Location"] == reverse("archive:verify", args=[row.code])
    assert anonymous.get(reverse("archive:verify_form"), {"code": "x"}).status_code == 422


def _upload(data: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("copy.pdf", data, content_type="application/pdf")


def test_the_api_issues_lists_downloads_and_verifies(client: Client, django_assert_max_num_queries):
    person, _firm = insured()
    user = make_user("archive_api", roles.CITIZEN, person=person)
    client.force_login(user)
    offers = client.get("/api/v1/archive/certificate-offers")
    assert offers.status_code == 200 and any(o["kind"] == "insurance.contributions" for o in offers.json())
    issued = client.post(
        "/api/v1/archive/my-certificates", {"kind": "insurance.contributions"}, content_type="application/json"
    )
    assert issued.status_code == 201, issued.content
    body = issued.json()
    again = client.post(
        "/api/v1/archive/my-certificates", {"kind": "insurance.contributions"}, content_type="application/json"
    )
    assert again.json()["code"] == body["code"], "a retry gives the same certificate"
    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/archive/my-certificates")
    assert [row["code"] for row in listed.json()] == [body["code"]]
    pdf = client.get(body["download"])
    assert pdf.status_code == 200 and hashlib.sha256(pdf.content).hexdigest() == body["file_sha256"]
    public = Client().get(f"/api/v1/archive/certificates/{body['code']}")
    assert public.status_code == 200 and public.json()["found"] and public.json()["status"] == "current"
    assert Client().get("/api/v1/archive/certificates/nothing").json()["found"] is False
    bad = client.post("/api/v1/archive/my-certificates", {"kind": "nothing.here"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "certificate_kind_unknown"
