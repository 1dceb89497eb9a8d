"""What the parties add to an arbitration case (L1): evidence files (证据材料) with their SHA-256,
and the applicant's online signature confirming the application (签名确认).

The applicant adds evidence to their own case, the commission's staff to the cases of their
districts, while the case is open. Files are recognised by their first bytes (PDF, JPEG, PNG;
the declared type is not trusted), stored as the inspection's photos are (``FileField`` under
``labor/evidence/``) and kept once per case. Every write is atomic, audited and in the case's
history; every staff read of a file is audited (``hrss.labor.selectors.evidence_open``).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.labor import rules
from hrss.labor.models import OPEN_STATUSES, ArbitrationCase, CaseEvent, CaseEvidence, CaseSignature
from hrss.labor.uploads import head_and_digest

MAX_EVIDENCE_FILES = 30
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# Accepted files, recognised by their first bytes: (magic, content type, extension).
EVIDENCE_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def _case(scope: Scope, reference: str, *, lock: bool = True) -> ArbitrationCase:
    from hrss.labor.selectors import case_queryset

    cases = case_queryset(scope=scope)
    if lock:
        cases = cases.select_for_update(of=("self",))
    case = cases.filter(reference=reference).first()
    if case is None:
        raise NotFound(code="labor_case_not_found")
    return case


def _step(scope: Scope, case: ArbitrationCase, action: str, note: str = "", **detail: Any) -> None:
    CaseEvent.objects.create(case=case, action=action, actor=scope.actor, note=note)
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=f"labor.case.{action}",
        object_type="labor.ArbitrationCase",
        object_id=str(case.pk),
        detail={"reference": case.reference, **detail},
    )


def evidence_check(upload: UploadedFile) -> tuple[str, str, str]:
    """A file's content type and extension (from its first bytes) and its SHA-256; refused if
    empty, too big or not a PDF, JPEG or PNG."""
    if not upload.size or upload.size > MAX_EVIDENCE_BYTES:
        message = _("Evidence files must be between 1 byte and 20 MB.")
        raise InvalidInput(message, fields={"files": message}, code="file_size")
    head, digest = head_and_digest(upload)
    kind = next(((ctype, ext) for magic, ctype, ext in EVIDENCE_SIGNATURES if head.startswith(magic)), None)
    if kind is None:
        message = _("Evidence files are PDF, JPEG or PNG files.")
        raise InvalidInput(message, fields={"files": message}, code="file_type")
    return kind[0], kind[1], digest


@transaction.atomic
def evidence_add(
    *, scope: Scope, reference: str, files: list[UploadedFile], description: str = ""
) -> list[CaseEvidence]:
    """Attach evidence files to an open case (the applicant's own, or staff of its district). A
    file already on the case is not stored twice. Returns the files added."""
    case = _case(scope, reference)
    if case.status not in OPEN_STATUSES:
        raise Conflict(_("Evidence can be added only while the case is open."), code="labor_case_state")
    files = [f for f in files if f is not None]
    if not files:
        raise InvalidInput(_("Choose at least one file."), fields={"files": ""})
    held = set(case.evidence.values_list("sha256", flat=True))
    if len(held) + len(files) > MAX_EVIDENCE_FILES:
        message = _("A case holds at most %(count)d evidence files.") % {"count": MAX_EVIDENCE_FILES}
        raise InvalidInput(message, fields={"files": message})
    checked = [(upload, *evidence_check(upload)) for upload in files]
    added = []
    for upload, content_type, extension, sha in checked:
        if sha in held:
            continue
        held.add(sha)
        row = CaseEvidence(
            case=case,
            filename=(upload.name or f"{sha[:16]}.{extension}")[-200:],
            description=(description or "").strip()[:200],
            content_type=content_type,
            size=upload.size or 0,
            sha256=sha,
            uploaded_by=scope.actor,
        )
        row.file.save(f"{sha[:16]}.{extension}", upload, save=False)
        row.save()
        added.append(row)
    if added:
        _step(scope, case, "evidence", ", ".join(row.sha256[:16] for row in added), sha256=[r.sha256 for r in added])
    return added


def filed_content(case: ArbitrationCase) -> dict[str, object]:
    """What the applicant's signature confirms: the application as filed, and the SHA-256 of
    every evidence file on the case when they sign."""
    return {
        "reference": case.reference,
        "person": str(case.person_id),
        "respondent": case.respondent_name,
        "employer": str(case.employer_id or ""),
        "claims": case.claims,
        "amount_claimed": None if case.amount_claimed is None else str(case.amount_claimed),
        "received_on": case.received_on.isoformat(),
        "evidence": sorted(case.evidence.values_list("sha256", flat=True)),
    }


@transaction.atomic
def application_sign(*, scope: Scope, reference: str) -> CaseSignature:
    """The applicant confirms their application online (once): the signature records who
    signed, when, and the SHA-256 of the filed content (``rules.filed_content_digest``)."""
    case = _case(scope, reference)
    if scope.person_id is None or case.person_id != scope.person_id:
        raise PermissionDenied(_("Only the applicant may sign the application."))
    if CaseSignature.objects.filter(case=case).exists():
        raise Conflict(_("The application is already signed."), code="labor_case_signed")
    if case.status not in OPEN_STATUSES:
        raise Conflict(_("Only an open case's application can be signed."), code="labor_case_state")
    digest = rules.filed_content_digest(filed_content(case))
    signature = CaseSignature.objects.create(
        case=case, signer=scope.actor, signed_at=timezone.now(), content_sha256=digest
    )
    _step(scope, case, "sign", digest[:16], sha256=digest)
    return signature
