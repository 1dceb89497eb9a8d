"""Builders for the archive's tests: a person with contribution records, made through the
real insurance services (enrolment and set-based assessment)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from hrss.core import signing
from hrss.insurance.tests import builders as insurance

START = dt.date(2025, 1, 1)


def insured(*, months: int = 3, name: str = "档案甲", district: str = "120101") -> tuple[Any, Any]:
    """(person, employer): employed and enrolled from 2025-01, ``months`` months assessed."""
    firm = insurance.employer(name="档案测试公司", district=district)
    person = insurance.employee(firm, start=START, name=name, district=district)
    insurance.assess(START, months)
    return person, firm


def signature_status(data: bytes) -> Any:
    """pyHanko's validation of the one signature in ``data``, the bureau's certificate trusted."""
    _type, _headers, der = pem.unarmor(signing.certificate_pem().encode())
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)])
    reader = PdfFileReader(io.BytesIO(data))
    assert len(reader.embedded_signatures) == 1
    return validate_pdf_signature(reader.embedded_signatures[0], context)
