"""What training answers other departments through the exchange (A6, ``hrss.core.exchange``):
whether a vocational skill level certificate of a number is genuine and valid; and the
holder's own certificates."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext_lazy as _

from hrss.core.exchange import CertificateCheck
from hrss.training import rules
from hrss.training.models import Certificate
from hrss.training.signing import certificate_signature_valid

KIND = "skill_level"
CERTIFICATES = {KIND: _("Vocational skill level certificate (职业技能等级证书)")}


def _check(row: Certificate) -> CertificateCheck:
    return CertificateCheck(
        kind=KIND,
        number=row.number,
        valid=row.status == Certificate.Status.VALID,
        status=row.status,
        person_id=row.person_id,
        title=f"{row.qualification.name} {row.level}级",
        issued_on=row.issued_on,
    )


def certificate_check(kind: str, number: str, *, on: dt.date) -> CertificateCheck | None:
    """The certificate of this number, if the bureau issued it and its signature checks."""
    number = number.strip().upper()
    if kind not in CERTIFICATES or not rules.certificate_number_valid(number):
        return None
    row = Certificate.objects.select_related("qualification", "person").filter(number=number).first()
    if row is None or not certificate_signature_valid(row):
        return None
    return _check(row)


def certificates_of(person_id: uuid.UUID, *, on: dt.date) -> list[CertificateCheck]:
    """The person's skill level certificates whose signature checks (one query)."""
    rows = Certificate.objects.filter(person_id=person_id).select_related("qualification", "person")
    return [_check(row) for row in rows if certificate_signature_valid(row)]
