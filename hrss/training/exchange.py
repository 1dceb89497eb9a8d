"""What training answers other departments through the exchange (A6, ``hrss.core.exchange``):
whether a vocational skill level certificate of a number is genuine and valid."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from hrss.core.exchange import CertificateCheck
from hrss.training import rules
from hrss.training.models import Certificate
from hrss.training.signing import certificate_signature_valid

CERTIFICATES = {"skill_level": _("Vocational skill level certificate (职业技能等级证书)")}


def certificate_check(kind: str, number: str, *, on: dt.date) -> CertificateCheck | None:
    """The certificate of this number, if the bureau issued it and its signature checks."""
    number = number.strip().upper()
    if kind not in CERTIFICATES or not rules.certificate_number_valid(number):
        return None
    row = Certificate.objects.select_related("qualification").filter(number=number).first()
    if row is None or not certificate_signature_valid(row):
        return None
    return CertificateCheck(
        kind=kind,
        number=row.number,
        valid=row.status == Certificate.Status.VALID,
        status=row.status,
        person_id=row.person_id,
        title=f"{row.qualification.name} {row.level}级",
        issued_on=row.issued_on,
    )
