"""Signed documents: a PAdES signature that pyHanko's validator accepts with the bureau's
certificate as trust root, and that breaks when the document is altered."""

from __future__ import annotations

import io

from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from hrss.core import pdf, signing


def _trust() -> ValidationContext:
    _type, _headers, der = pem.unarmor(signing.certificate_pem().encode())
    return ValidationContext(trust_roots=[x509.Certificate.load(der)])


def _document() -> bytes:
    return pdf.render(pdf.Document(issuer="测试仲裁委员会", title="测试文书", number="津劳人仲案字〔2026〕第1号"))


def validate(data: bytes):  # type: ignore[no-untyped-def]
    reader = PdfFileReader(io.BytesIO(data))
    assert len(reader.embedded_signatures) == 1
    return validate_pdf_signature(reader.embedded_signatures[0], _trust())


def test_a_signed_document_validates_against_the_bureau_certificate():
    signed = signing.sign_pdf(_document(), reason="测试文书")
    status = validate(signed)
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.subject.native["common_name"]
    assert PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_an_altered_document_fails_validation():
    signed = bytearray(signing.sign_pdf(_document(), reason="测试文书"))
    at = signed.index(b"/Title")  # a byte inside the signed range changes
    signed[at + 1] = ord("X")
    status = validate(bytes(signed))
    assert not status.intact


def test_self_signed_pem_holds_key_then_certificate():
    text = signing.self_signed_pem("test")
    assert text.index("PRIVATE KEY-----") < text.index("-----BEGIN CERTIFICATE-----")
