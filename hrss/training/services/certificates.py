"""Certificates (T2): numbered, signed by the bureau's key, revocable with a reason; a holder
may hand out a consent code that shows their name unmasked to whoever verifies."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.events import publish
from hrss.core.scope import ADMINISTRATOR, APPROVER, INSPECTOR, REVIEWER, Scope
from hrss.training import rules, signing
from hrss.training.events import CertificateIssued, CertificateRevoked
from hrss.training.models import Candidate, Certificate, ConsentCode
from hrss.training.services.access import audit
from hrss.training.signing import consent_hash

CONSENT_DAYS = 30


def certificate_issue(*, candidate: Candidate, actor: str) -> Certificate:
    """The certificate of a passed candidate (one per candidate: a rerun answers with it)."""
    existing = Certificate.objects.filter(candidate=candidate).first()
    if existing is not None:
        return existing
    session = candidate.session
    issued_on = timezone.localdate()
    region = str(getattr(settings, "HRSS_CITY_REGION", "120000"))
    prefix = rules.certificate_number(region=region, year=issued_on.year, level=session.level, serial=0)[:12]
    for _attempt in range(5):
        serial = Certificate.objects.filter(number__startswith=prefix).count() + 1
        number = rules.certificate_number(region=region, year=issued_on.year, level=session.level, serial=serial)
        message = rules.certificate_message(
            number=number,
            id_number=candidate.person.id_number,
            qualification=session.qualification.code,
            level=session.level,
            issued_on=issued_on,
        )
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    number=number,
                    person_id=candidate.person_id,
                    qualification=session.qualification,
                    level=session.level,
                    candidate=candidate,
                    body=session.body,
                    issued_on=issued_on,
                    signature=signing.sign(message),
                    key_id=signing.key_id(),
                )
        except IntegrityError:
            continue  # a concurrent issue took the serial
        break
    else:
        raise Conflict(code="certificate_number_busy")
    audit_record(
        actor=actor,
        action="training.certificate_issue",
        object_type="certificate",
        object_id=str(certificate.pk),
        detail={"number": number},
    )
    publish(
        CertificateIssued(
            certificate_id=certificate.pk,
            person_id=certificate.person_id,
            number=number,
            qualification=session.qualification.code,
            level=session.level,
        )
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, scope: Scope, number: str, reason: str) -> Certificate:
    """Staff revoke a certificate with a reason (revoking a revoked one changes nothing)."""
    if not scope.has_role(REVIEWER, APPROVER, INSPECTOR, ADMINISTRATOR):
        raise PermissionDenied()
    reason = reason.strip()
    if len(reason) < 4:
        raise InvalidInput(fields={"reason": _("Give the reason for revoking.")})
    certificate = Certificate.objects.select_for_update().filter(number=number.strip().upper()).first()
    if certificate is None:
        raise NotFound()
    if certificate.status == Certificate.Status.REVOKED:
        return certificate
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_on, certificate.revoked_reason, certificate.revoked_by = (
        timezone.localdate(),
        reason[:500],
        scope.actor,
    )
    certificate.save(update_fields=["status", "revoked_on", "revoked_reason", "revoked_by", "updated_at"])
    audit(scope, "training.certificate_revoke", "certificate", certificate.pk, reason=reason[:500])
    publish(
        CertificateRevoked(
            certificate_id=certificate.pk,
            person_id=certificate.person_id,
            number=certificate.number,
            reason=reason[:500],
        )
    )
    return certificate


@transaction.atomic
def consent_code_create(*, scope: Scope, certificate_id: uuid.UUID) -> tuple[str, dt.datetime]:
    """A holder's consent code for one certificate (shown once), valid for ``CONSENT_DAYS``."""
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    certificate = Certificate.objects.filter(pk=certificate_id, person_id=scope.person_id).first()
    if certificate is None:
        raise NotFound()
    code = secrets.token_hex(4).upper()
    expires = timezone.now() + dt.timedelta(days=CONSENT_DAYS)
    ConsentCode.objects.create(certificate=certificate, code_hash=consent_hash(code), expires_at=expires)
    audit(scope, "training.consent_create", "certificate", certificate.pk)
    return code, expires
