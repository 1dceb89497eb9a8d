"""Reads of the archive: the dossier of a person or an employer assembled from the apps that
own each record (the holder's own, or staff's by data scope, audited), the certificates a
person can get and has got, and the public verification of a certificate."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrss.archive import providers, rules
from hrss.archive.models import CertificateStatus, IssuedCertificate
from hrss.core.audit import audit_record
from hrss.core.dossier import CertificateBody, CertificateOffer, DossierSection
from hrss.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, APPROVER, COUNTER_CLERK, INSPECTOR, REVIEWER, Scope
from hrss.registry import selectors as registry
from hrss.registry.models import Employer, Person

log = logging.getLogger(__name__)

# Staff who open a dossier (each view audited, with its purpose).
ARCHIVE_STAFF = (COUNTER_CLERK, REVIEWER, APPROVER, INSPECTOR, ADMINISTRATOR)
SECTION_LIMIT = 20


@dataclass(frozen=True)
class Dossier:
    subject_kind: str  # person | employer
    subject_id: uuid.UUID
    name: str
    code: str  # the masked ID number, or the credit code
    district: str
    on: dt.date
    sections: list[DossierSection] = field(default_factory=list)


def _sections(function: str, subject_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    found: list[DossierSection] = []
    for _label, module in providers.modules():
        read = getattr(module, function, None)
        if read is not None:
            found.extend(read(subject_id, on=on, limit=limit))
    return sorted((s for s in found if s.total), key=lambda s: (s.order, s.key))


def _person_dossier(person: Person, *, limit: int) -> Dossier:
    on = timezone.localdate()
    district = person.residence_district or person.household_district
    return Dossier(
        "person",
        person.pk,
        person.name,
        rules.mask_id_number(person.id_number),
        district.name if district else "",
        on,
        _sections("person_sections", person.pk, on=on, limit=limit),
    )


def _employer_dossier(employer: Employer, *, limit: int) -> Dossier:
    on = timezone.localdate()
    return Dossier(
        "employer",
        employer.pk,
        employer.name,
        employer.credit_code,
        employer.district.name if employer.district else "",
        on,
        _sections("employer_sections", employer.pk, on=on, limit=limit),
    )


def dossier_mine(*, scope: Scope, limit: int = SECTION_LIMIT) -> Dossier:
    """The caller's own dossier: a citizen's, or the employer's its agent acts for."""
    if scope.employer_id is not None and not scope.is_staff:
        employer = Employer.objects.select_related("district").filter(pk=scope.employer_id).first()
        if employer is not None:
            return _employer_dossier(employer, limit=limit)
    if scope.person_id is not None:
        person = (
            Person.objects.select_related("residence_district", "household_district").filter(pk=scope.person_id).first()
        )
        if person is not None:
            return _person_dossier(person, limit=limit)
    raise NotFound(_("No dossier belongs to this account."))


def _audit(scope: Scope, kind: str, subject_id: uuid.UUID, purpose: str) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="archive.dossier.read",
        object_type=kind,
        object_id=str(subject_id),
        purpose=purpose,
    )


def _staff(scope: Scope, purpose: str) -> None:
    if not scope.has_role(*ARCHIVE_STAFF):
        raise PermissionDenied(_("Dossiers are opened by the bureau's staff."))
    if not purpose.strip():
        raise DomainError(_("Say why you open this dossier; the view is recorded."), code="purpose_required")


def dossier_person(*, scope: Scope, id_number: str, purpose: str, limit: int = SECTION_LIMIT) -> Dossier:
    """Staff open a person's dossier in their districts; the view is audited with its purpose."""
    _staff(scope, purpose)
    person = registry.person_get_by_id_number(scope=scope, id_number=id_number, purpose=purpose)
    _audit(scope, "person", person.pk, purpose)
    return _person_dossier(person, limit=limit)


def dossier_employer(*, scope: Scope, credit_code: str, purpose: str, limit: int = SECTION_LIMIT) -> Dossier:
    """Staff open an employer's dossier of labour records in their districts (audited)."""
    _staff(scope, purpose)
    employer = registry.employer_get(scope=scope, credit_code=credit_code)
    _audit(scope, "employer", employer.pk, purpose)
    return _employer_dossier(employer, limit=limit)


def staff_may_see(scope: Scope, person: Person) -> None:
    """Staff whose districts cover the person (or city-wide staff); anyone else is refused."""
    if not scope.has_role(*ARCHIVE_STAFF) or not registry.person_queryset(scope=scope).filter(pk=person.pk).exists():
        raise NotFound(_("No certificate with this code was found."))


# --- certificates -----------------------------------------------------------------------------


def body_of(*, kind: str, ref: str, person_id: object, on: object) -> CertificateBody:
    module = providers.certificate_module(kind)
    if module is None:
        raise InvalidInput(_("There is no certificate of this kind."), code="certificate_kind_unknown")
    body: CertificateBody = module.certificate_body(kind, ref, person_id, on=on)
    return body


def offers_mine(*, scope: Scope) -> list[CertificateOffer]:
    """The certificates the caller can get now, from every app that issues some."""
    if scope.person_id is None or scope.is_staff:
        return []
    on = timezone.localdate()
    offers: list[CertificateOffer] = []
    for _label, module in providers.modules():
        read = getattr(module, "certificate_offers", None)
        if read is not None:
            offers.extend(read(scope.person_id, on=on))
    return offers


def issued_mine(*, scope: Scope, limit: int = 50) -> list[IssuedCertificate]:
    if scope.person_id is None or scope.is_staff:
        return []
    return list(IssuedCertificate.objects.filter(person_id=scope.person_id).select_related("superseded_by")[:limit])


@dataclass(frozen=True)
class Verification:
    code: str
    found: bool
    title: str = ""
    number: str = ""
    issued_on: dt.date | None = None
    status: str = ""  # current | superseded | revoked
    superseded_by: str = ""  # the later certificate's number
    superseded_at: dt.datetime | None = None
    holder: str = ""  # masked
    id_number: str = ""  # masked
    file_sha256: str = ""
    summary: list[tuple[str, str]] = field(default_factory=list)
    # Whether the records, read now, still give what the certificate states (None: cannot tell).
    still_matches: bool | None = None
    file_matches: bool | None = None  # when a file was given to compare


def code_of_number(text: str) -> str:
    """The verification code of the certificate whose printed number this is ("" when none)."""
    number = text.strip().upper()
    if not number.startswith("ZM") or len(number) > 32:
        return ""
    return IssuedCertificate.objects.filter(number=number).values_list("code", flat=True).first() or ""


def verify(*, code: str, file_sha256: str = "") -> Verification:
    """What anyone may learn of a certificate by its code: whether the bureau issued it, whether
    it is current or superseded, and a masked summary. Unknown and malformed codes answer alike."""
    normal = rules.normalise_code(code)
    row = (
        IssuedCertificate.objects.select_related("person", "superseded_by").filter(code=normal).first()
        if normal
        else None
    )
    if row is None:
        return Verification(code=code.strip().upper()[:40], found=False)
    return Verification(
        code=row.code,
        found=True,
        title=row.title,
        number=row.number,
        issued_on=row.issued_on,
        status=row.status,
        superseded_by=row.superseded_by.number if row.superseded_by else "",
        superseded_at=row.superseded_at,
        holder=rules.mask_name(row.person.name),
        id_number=rules.mask_id_number(row.person.id_number),
        file_sha256=row.file_sha256,
        summary=[(str(label), str(value)) for label, value in row.summary],
        still_matches=_still_matches(row) if row.status == CertificateStatus.CURRENT else None,
        file_matches=(file_sha256.lower() == row.file_sha256) if file_sha256 else None,
    )


def _still_matches(row: IssuedCertificate) -> bool | None:
    try:
        with translation.override(settings.LANGUAGE_CODE):  # as it was issued
            body = body_of(kind=row.kind, ref=row.ref, person_id=row.person_id, on=row.issued_on)
    except DomainError:
        return False
    digest = rules.content_hash(
        kind=row.kind, ref=row.ref, title=body.title, facts=body.facts, paragraphs=body.paragraphs
    )
    return digest == row.content_sha256
