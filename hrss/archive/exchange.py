"""What the archive answers other departments through the exchange (A6,
``hrss.core.exchange``): whether a certificate from data (参保缴费证明, 就业失业登记证明 …)
of a number is genuine and current."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from hrss.archive.models import CertificateStatus, IssuedCertificate
from hrss.core.exchange import CertificateCheck

CERTIFICATES = {"bureau_certificate": _("A certificate issued by the bureau from its records (ZM number)")}


def certificate_check(kind: str, number: str, *, on: dt.date) -> CertificateCheck | None:
    number = number.strip().upper()
    if kind not in CERTIFICATES or not number.startswith("ZM"):
        return None
    row = IssuedCertificate.objects.filter(number=number).first()
    if row is None:
        return None
    return CertificateCheck(
        kind=kind,
        number=row.number,
        valid=row.status == CertificateStatus.CURRENT,
        status=row.status,
        person_id=row.person_id,
        title=row.title,
        issued_on=row.issued_on,
    )
