"""The case's documents as PDF: the acceptance notice, the hearing notice and the award, with
the CJK font embedded, their text from the case and the dated parameters, read only by the
parties and the arbitrators, and audited for staff."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from hrss.core import pdf
from hrss.core.errors import NotFound
from hrss.core.models import AuditEntry
from hrss.labor import documents
from hrss.labor.services import cases
from hrss.labor.tests.builders import accepted, hearing_time
from hrss.servicehall.tests.builders import ARBITRATION_FORM, bearer, sign_in

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # (pypdf reads the two-byte codes of the embedded CID font with a NUL before each character)
    text = "".join(page.extract_text() for page in reader.pages)
    return text.replace("\x00", "").replace(" ", "").replace("\n", "")


def fonts_of(content: bytes) -> list[object]:
    reader = PdfReader(io.BytesIO(content))
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            found.append(descendant["/FontDescriptor"].get_object())
    return found


def awarded(city, arbitrator, amount="8600"):
    case = accepted(city, {**ARBITRATION_FORM, "respondent": city.employer.credit_code, "amount": amount})
    scope = city.scope(arbitrator)
    cases.case_take(scope=scope, reference=case.reference)
    cases.hearing_schedule(scope=scope, reference=case.reference, at=hearing_time(10), room="第一仲裁庭")
    cases.hearing_record(scope=scope, reference=case.reference, record="双方到庭，被申请人认可欠付工资。")
    return cases.award_issue(
        scope=scope, reference=case.reference, outcome="upheld", text="被申请人支付申请人工资8600元。", amount="8600"
    )


def test_each_document_comes_with_its_step(city, arbitrator):
    case = accepted(city)
    assert documents.available(case) == [documents.ACCEPTANCE_NOTICE]
    with pytest.raises(NotFound):
        documents.build(case, documents.AWARD)
    case = awarded(city, arbitrator)
    assert documents.available(case) == [documents.ACCEPTANCE_NOTICE, documents.HEARING_NOTICE, documents.AWARD]


def test_the_final_award_is_a_pdf_with_the_cjk_font_embedded(city, arbitrator):
    case = awarded(city, arbitrator)
    content = documents.render(case, documents.AWARD)
    assert content.startswith(b"%PDF-")
    text = text_of(content)
    assert "终局裁决书" in text and case.reference in text and city.person.name in text
    assert city.employer.credit_code in text and "8600" in text and "第一仲裁庭" in text
    # the remedies of a final award, in days read from the dated parameters (15 and 30)
    assert "15日内向人民法院提起诉讼" in text and "30日内向中级人民法院申请撤销裁决" in text
    descriptors = fonts_of(content)
    assert descriptors and all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)
    # The same case gives the same document bytes (a fixed creation date): its hash can be
    # quoted. The signature appended to them carries its true signing time.
    unsigned = pdf.render(documents.build(case, documents.AWARD))
    assert pdf.render(documents.build(case, documents.AWARD)) == unsigned
    assert content.startswith(unsigned)


def test_a_claim_above_the_limit_gets_an_ordinary_award(city, arbitrator):
    case = awarded(city, arbitrator, amount="27840.01")
    text = text_of(documents.render(case, documents.AWARD))
    assert "终局裁决书" not in text and "裁决书" in text and "期满不起诉的" in text


def test_the_hearing_notice_states_time_room_and_the_notice_rules(city, arbitrator):
    case = awarded(city, arbitrator)
    text = text_of(documents.render(case, documents.HEARING_NOTICE))
    assert "开庭通知书" in text and "第一仲裁庭" in text and "3日前请求延期开庭" in text
    assert hearing_time(10).strftime("%H:%M").replace(" ", "") in text


def test_parties_and_arbitrators_read_documents_others_do_not(city, arbitrator):
    case = awarded(city, arbitrator)
    url = f"/labor/cases/{case.reference}/documents/award.pdf"
    page = sign_in(Client(), city.citizen).get(url)
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert "终局裁决书" in text_of(page.content)
    staff = sign_in(Client(), arbitrator).get(url)
    assert staff.status_code == 200
    assert AuditEntry.objects.filter(action="labor.case.document", object_id=str(case.pk)).exists()
    assert sign_in(Client(), city.clerk).get(url).status_code == 404
    assert sign_in(Client(), city.citizen).get(url.replace("award", "summons")).status_code == 404

    api = bearer(city.citizen)
    answer = api.get(f"/api/v1/labor/cases/{case.reference}/documents/hearing-notice")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    missing = api.get(f"/api/v1/labor/cases/{case.reference}/documents/summons")
    assert missing.status_code == 404 and set(missing.json()) == {"code", "message", "fields"}


def test_a_server_without_the_font_refuses_in_the_error_shape(city, monkeypatch):
    case = accepted(city)
    monkeypatch.setenv("HRSS_PDF_FONT", "/nonexistent/font.ttc")
    answer = bearer(city.citizen).get(f"/api/v1/labor/cases/{case.reference}/documents/acceptance-notice")
    assert answer.status_code == 503 and answer.json()["code"] == pdf.DocumentFontMissing.code


def test_case_documents_are_signed_by_the_bureau(city, arbitrator):
    from hrss.core.tests.test_signing import validate

    case = awarded(city, arbitrator)
    for kind in documents.available(case):
        status = validate(documents.render(case, kind))
        assert status.intact and status.valid and status.trusted, kind
