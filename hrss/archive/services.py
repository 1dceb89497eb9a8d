"""Issuing certificates from data (B2): the owning app gives the content, the archive lays it
out as a PDF with the verification QR code, signs it (PAdES, ``hrss.core.signing``), stores it
through Django storage and records what the public verification shows."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrss.archive import rules
from hrss.archive.models import CertificateStatus, IssuedCertificate
from hrss.archive.selectors import body_of, staff_may_see
from hrss.core import pdf, signing
from hrss.core.audit import audit_record
from hrss.core.dossier import CertificateBody
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.registry.models import Person

log = logging.getLogger(__name__)


def verification_url(code: str, *, base: str) -> str:
    """The public verification page of a code, absolute: ``HRSS_PUBLIC_URL`` when the bureau
    set it (behind a proxy), else the address the request came to."""
    root = (getattr(settings, "HRSS_PUBLIC_URL", "") or base).rstrip("/")
    return root + reverse("archive:verify", kwargs={"code": code})


def _signed_pdf(person: Person, body: CertificateBody, *, number: str, code: str, on: dt.date, base_url: str) -> bytes:
    """The certificate laid out with the holder, its facts and the verification QR code, signed."""
    issuer = settings.HRSS_BUREAU_NAME
    document = pdf.Document(
        issuer=issuer,
        title=body.title,
        number=_("No. %(number)s") % {"number": number},
        facts=((_("Name"), person.name), (_("ID number"), person.id_number), *body.facts),
        paragraphs=body.paragraphs,
        closing=(issuer,),
        dated=on,
        subject=body.title,
        keywords=(number,),
        qr_url=verification_url(code, base=base_url),
        qr_caption=_("Scan to verify, or enter code %(code)s on the bureau's verification page.") % {"code": code},
    )
    return signing.sign_pdf(pdf.render(document), reason=f"{body.title} {number}")


def certificate_issue(*, scope: Scope, kind: str, ref: str = "", base_url: str) -> IssuedCertificate:
    """Issue the caller's certificate of a kind (``ref`` names the record when there may be
    several): the same content again on the same day gives back the same certificate, changed
    content supersedes the earlier one. Only the person it concerns asks for it."""
    if scope.person_id is None or scope.is_staff:
        raise PermissionDenied(_("A certificate is issued to the person it concerns; sign in with your own account."))
    person = Person.objects.get(pk=scope.person_id)
    on = timezone.localdate()
    # A certificate is an official document in Chinese, whatever language the page is in.
    with translation.override(settings.LANGUAGE_CODE):
        body = body_of(kind=kind, ref=ref, person_id=person.pk, on=on)
    digest = rules.content_hash(kind=kind, ref=ref, title=body.title, facts=body.facts, paragraphs=body.paragraphs)
    record = {"person": person, "kind": kind, "ref": ref}
    existing = IssuedCertificate.objects.filter(**record, issued_on=on, content_sha256=digest).first()
    if existing is not None:
        return existing

    code = rules.new_code()
    number = rules.certificate_number(issued_on=on, code=code)
    with translation.override(settings.LANGUAGE_CODE):
        signed = _signed_pdf(person, body, number=number, code=code, on=on, base_url=base_url)
    try:
        with transaction.atomic():
            row = IssuedCertificate(
                **record,
                code=code,
                number=number,
                title=body.title,
                issued_on=on,
                issued_at=timezone.now(),
                issued_by=scope.actor,
                content_sha256=digest,
                file_sha256=hashlib.sha256(signed).hexdigest(),
                size=len(signed),
                summary=[list(pair) for pair in body.summary],
            )
            row.file.save(f"{number}.pdf", ContentFile(signed), save=False)
            row.save()
            earlier = IssuedCertificate.objects.filter(**record, status=CertificateStatus.CURRENT).exclude(pk=row.pk)
            earlier.update(status=CertificateStatus.SUPERSEDED, superseded_by=row, superseded_at=row.issued_at)
    except IntegrityError:
        # The same request twice at once: the other one issued it.
        row.file.delete(save=False)
        return IssuedCertificate.objects.get(**record, issued_on=on, content_sha256=digest)
    log.info("certificate issued", extra={"kind": kind, "number": number})
    return row


def certificate_file(*, scope: Scope, code: str) -> tuple[IssuedCertificate, bytes]:
    """The signed PDF, for its holder, or for staff whose districts cover the holder (audited)."""
    row = IssuedCertificate.objects.select_related("person").filter(code=rules.normalise_code(code) or "-").first()
    if row is None:
        raise NotFound(_("No certificate with this code was found."))
    if scope.person_id != row.person_id:
        staff_may_see(scope, row.person)
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="archive.certificate.read",
            object_type="person",
            object_id=str(row.person_id),
            detail={"number": row.number},
        )
    with row.file.open("rb") as handle:
        return row, handle.read()
