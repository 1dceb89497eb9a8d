"""The applicant's side of a case: materials uploaded, a supplement request answered."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.core.workdays import add_workdays, workdays_between
from hrss.identity.models import User
from hrss.servicehall import engine
from hrss.servicehall.models import Application, Material, WorkItem
from hrss.servicehall.services.history import audit_application, log_step
from hrss.servicehall.services.workflow import application_workflow, workflow_sync

MAX_MATERIAL_BYTES = 10 * 1024 * 1024
# Accepted upload types, recognised by their first bytes (the declared type is not trusted).
MATERIAL_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def supplement_answer(*, scope: Scope, user: User, application: Application, answer: str = "") -> Application:
    """The applicant (or a clerk at the counter for them) answers the open supplement request."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_applicant_or_counter(scope, application)
        request = application.supplements.filter(answered_at__isnull=True).first()
        work_item = application.work_items.filter(state=WorkItem.State.OPEN, role=engine.APPLICANT_LANE).first()
        if request is None or work_item is None:
            raise Conflict(_("Nothing is waiting for a supplement."), code="no_supplement_open")
        uploaded = set(application.materials.filter(created_at__gte=request.created_at).values_list("kind", flat=True))
        missing = [kind for kind in request.missing_materials if kind not in uploaded]
        if missing:
            names = {m["code"]: m["name"] for m in application.item.materials}
            message = _("Please upload what was asked for first: %(kinds)s.") % {
                "kinds": "、".join(names.get(kind, kind) for kind in missing)
            }
            raise InvalidInput(message, fields={"materials": message}, code="materials_missing")
        now = timezone.now()
        request.answered_at = now
        request.answer = (answer or "").strip()[:2000]
        request.save()
        # The statutory clock stops while the applicant supplements (补正期间不计入办理时限).
        waited = workdays_between(timezone.localdate(request.created_at), timezone.localdate(now))
        if application.deadline and waited:
            application.deadline = add_workdays(application.deadline, waited)
        if application.promised_by and waited:
            application.promised_by = add_workdays(application.promised_by, waited)
        if scope.has_role(roles.COUNTER_CLERK) and application.applicant_person_id != scope.person_id:
            application.visits += 1
        workflow = application_workflow(application)
        engine.workflow_complete_step(
            workflow, task_id=work_item.task_id, data={"supplement_answer": request.answer, "decision": "supplemented"}
        )
        work_item.state = WorkItem.State.DONE
        work_item.completed_at = now
        work_item.completed_by = scope.actor
        work_item.decision = "supplemented"
        work_item.save()
        log_step(
            application, step="supplemented", message=_("Thank you: your supplement was received."), actor=scope.actor
        )
        audit_application(scope, "servicehall.application.supplement", application)
        application.save()
        workflow_sync(application, workflow, actor=scope.actor)
    return application


def _check_applicant_or_counter(scope: Scope, application: Application) -> None:
    from hrss.servicehall.selectors import application_queryset

    if not application_queryset(scope=scope).filter(pk=application.pk).exists():
        raise NotFound()
    if scope.is_staff and not scope.has_role(roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR):
        raise PermissionDenied()


def material_upload(*, scope: Scope, application: Application, kind: str, upload: UploadedFile) -> Material:
    """Attach a document; it is identified by its SHA-256, and the same content is stored once."""
    _check_applicant_or_counter(scope, application)
    if not application.is_open:
        raise Conflict(_("This application is closed."), code="application_closed")
    known_kinds = {m["code"] for m in application.item.materials} | {"other"}
    if kind not in known_kinds:
        message = _("Choose the kind of material from the list.")
        raise InvalidInput(message, fields={"kind": message})
    if not upload.size or upload.size > MAX_MATERIAL_BYTES:
        message = _("Files must be between 1 byte and 10 MB.")
        raise InvalidInput(message, fields={"file": message})
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if not head:
            head = chunk[:16]
        digest.update(chunk)
    content_type = next((ctype for magic, ctype in MATERIAL_SIGNATURES.items() if head.startswith(magic)), None)
    if content_type is None:
        message = _("Upload a PDF, PNG or JPEG file.")
        raise InvalidInput(message, fields={"file": message}, code="file_type")
    sha = digest.hexdigest()
    existing = Material.objects.filter(application=application, kind=kind, sha256=sha).first()
    if existing is not None:
        return existing
    upload.seek(0)
    with transaction.atomic():
        request = application.supplements.filter(answered_at__isnull=True).first()
        material = Material(
            application=application,
            kind=kind,
            filename=(upload.name or "upload")[-200:],
            content_type=content_type,
            size=upload.size,
            sha256=sha,
            uploaded_by=scope.actor,
            supplement=request,
        )
        material.file.save(f"{application.reference}-{sha[:16]}", upload, save=False)
        material.save()
        audit_application(scope, "servicehall.material.upload", application, kind=kind, sha256=sha)
    return material
