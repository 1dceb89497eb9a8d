"""Following an inspection lead through (L3): findings with photos, rectification orders
(责令改正/限期整改), the administrative penalty (行政处罚) an order not complied with is escalated
to, and the lead closed with its result.

An order's state machine::

    issued --comply--> complied
    issued --(due_on passed)--> overdue --comply--> complied
    overdue --penalty--> penalised

Every step is atomic, audited, written to the lead's history (``InspectionEvent``) and
published as ``InspectionStep``; a step the state does not allow is a ``Conflict`` with a
stable code. Inspectors act only on leads of their districts (others look not found).
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.events import publish
from hrss.core.scope import ADMINISTRATOR, INSPECTOR, Scope
from hrss.labor import deadlines
from hrss.labor.events import InspectionStep
from hrss.labor.models import (
    OPEN_ORDER_STATUSES,
    Finding,
    FindingPhoto,
    InspectionEvent,
    InspectionLead,
    InspectionPlanItem,
    LeadResult,
    LeadStatus,
    OrderStatus,
    PlanItemStatus,
    RectificationOrder,
)
from hrss.labor.uploads import head_and_digest

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Accepted photos, recognised by their first bytes (the declared type is not trusted).
PHOTO_SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
MAX_PENALTY = Decimal("999999999999.99")


def is_inspector(scope: Scope) -> bool:
    return scope.has_role(INSPECTOR, ADMINISTRATOR)


def _staff(scope: Scope) -> None:
    if not is_inspector(scope):
        raise PermissionDenied(_("This is work for labour inspectors."))


def _lead(scope: Scope, lead_id: Any, *, open_only: bool = True) -> InspectionLead:
    _staff(scope)
    try:
        key = uuid.UUID(str(lead_id))
    except ValueError:
        raise NotFound(code="labor_lead_not_found") from None
    lead = InspectionLead.objects.select_for_update().select_related("employer").filter(pk=key).first()
    if lead is None or not scope.covers_district(lead.district_id):
        raise NotFound(code="labor_lead_not_found")
    if open_only and lead.status != LeadStatus.OPEN:
        raise Conflict(_("This inspection lead is closed."), code="labor_lead_closed")
    return lead


def _order(scope: Scope, reference: str) -> RectificationOrder:
    _staff(scope)
    order = (
        RectificationOrder.objects.select_for_update()
        .select_related("lead", "lead__employer")
        .filter(reference=reference)
        .first()
    )
    if order is None or not scope.covers_district(order.lead.district_id):
        raise NotFound(code="labor_order_not_found")
    return order


def _step(scope: Scope, lead: InspectionLead, action: str, note: str = "", order: str = "", **detail: Any) -> None:
    InspectionEvent.objects.create(lead=lead, action=action, actor=scope.actor, note=note)
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=f"labor.inspection.{action}",
        object_type="labor.InspectionLead",
        object_id=str(lead.pk),
        purpose="labour_inspection",
        detail={"employer": lead.employer.credit_code, "order": order, **detail},
    )
    publish(InspectionStep(lead_id=str(lead.pk), employer_id=str(lead.employer_id), action=action, order=order))


def photo_check(upload: UploadedFile) -> tuple[str, str]:
    """A photo's content type (from its first bytes) and SHA-256; refused if too big or not a photo."""
    if not upload.size or upload.size > MAX_PHOTO_BYTES:
        message = _("Photos must be between 1 byte and 10 MB.")
        raise InvalidInput(message, fields={"photos": message}, code="file_size")
    head, digest = head_and_digest(upload)
    content_type = next((kind for magic, kind in PHOTO_SIGNATURES.items() if head.startswith(magic)), None)
    if content_type is None:
        message = _("Photos are JPEG or PNG files.")
        raise InvalidInput(message, fields={"photos": message}, code="file_type")
    return content_type, digest


@transaction.atomic
def finding_record(
    *,
    scope: Scope,
    lead_id: Any,
    text: str,
    violation: bool,
    photos: Sequence[UploadedFile] | None = None,
    today: dt.date | None = None,
) -> Finding:
    """The inspector's findings at the employer, with photos; a plan item dispatched to this
    lead is marked inspected with them."""
    lead = _lead(scope, lead_id)
    body = (text or "").strip()
    if not body:
        raise InvalidInput(_("Say what the inspection found."), fields={"text": ""})
    photos = [p for p in (photos or []) if p is not None]
    if len(photos) > MAX_PHOTOS:
        message = _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS}
        raise InvalidInput(message, fields={"photos": message})
    checked = [(photo, *photo_check(photo)) for photo in photos]
    today = today or timezone.localdate()
    finding = Finding.objects.create(lead=lead, found_on=today, text=body, violation=violation, recorded_by=scope.actor)
    seen: set[str] = set()
    for photo, content_type, sha in checked:
        if sha in seen:
            continue
        seen.add(sha)
        row = FindingPhoto(
            finding=finding, content_type=content_type, size=photo.size or 0, sha256=sha, uploaded_by=scope.actor
        )
        extension = "jpg" if content_type == "image/jpeg" else "png"
        row.file.save(f"{sha[:16]}.{extension}", photo, save=False)
        row.save()
    items = InspectionPlanItem.objects.select_for_update().filter(lead=lead, status=PlanItemStatus.DISPATCHED)
    for item in items:
        item.findings, item.violation, item.inspected_on = body, violation, today
        item.status = PlanItemStatus.INSPECTED
        item.save(update_fields=["findings", "violation", "inspected_on", "status"])
    lead.reasons = [*lead.reasons, {"source": "findings", "on": today.isoformat(), "violation": violation}]
    lead.save(update_fields=["reasons", "updated_at"])
    _step(scope, lead, "finding", body[:200], violation=violation, photos=sorted(seen))
    return finding


def _reference(today: dt.date) -> str:
    for _attempt in range(5):
        reference = f"ZG{today:%y%m%d}{secrets.randbelow(10**6):06d}"
        if not RectificationOrder.objects.filter(reference=reference).exists():
            return reference
    raise Conflict(_("Please issue the order again."), code="labor_order_retry")


@transaction.atomic
def order_issue(
    *, scope: Scope, lead_id: Any, requirement: str, finding_id: Any = None, today: dt.date | None = None
) -> RectificationOrder:
    """Order the employer to rectify the violation of a finding (the latest one by default),
    by the day the rectification period gives."""
    lead = _lead(scope, lead_id)
    body = (requirement or "").strip()
    if not body:
        raise InvalidInput(_("Say what the employer must put right."), fields={"requirement": ""})
    findings = lead.findings.filter(violation=True)  # type: ignore[attr-defined]
    if finding_id:
        findings = findings.filter(pk=finding_id)
    finding = findings.order_by("-found_on", "-created_at").first()
    if finding is None:
        raise Conflict(_("Record a finding of a violation before ordering rectification."), code="labor_no_violation")
    if lead.orders.filter(status__in=OPEN_ORDER_STATUSES).exists():  # type: ignore[attr-defined]
        raise Conflict(_("An order on this lead is still open."), code="labor_order_open")
    today = today or timezone.localdate()
    order = RectificationOrder.objects.create(
        reference=_reference(today),
        lead=lead,
        finding=finding,
        requirement=body,
        issued_on=today,
        due_on=deadlines.rectification_due(today),
        basis=deadlines.RECTIFICATION_BASIS,
        issued_by=scope.actor,
    )
    _step(scope, lead, "order_issue", body[:200], order.reference, due_on=order.due_on.isoformat())
    return order


def _is_overdue(order: RectificationOrder, today: dt.date) -> bool:
    return order.status == OrderStatus.OVERDUE or (order.status == OrderStatus.ISSUED and order.due_on < today)


@transaction.atomic
def order_comply(*, scope: Scope, reference: str, note: str, today: dt.date | None = None) -> RectificationOrder:
    """The employer has put it right (late compliance of an overdue order is recorded as such)."""
    order = _order(scope, reference)
    if order.status not in OPEN_ORDER_STATUSES:
        raise Conflict(
            _("Compliance can only be recorded for an order still open (it is %(status)s).")
            % {"status": order.get_status_display()},
            code="labor_order_state",
        )
    body = (note or "").strip()
    if not body:
        raise InvalidInput(_("Say how the employer complied."), fields={"note": ""})
    today = today or timezone.localdate()
    late = _is_overdue(order, today)
    order.status, order.complied_on, order.compliance_note = OrderStatus.COMPLIED, today, body
    order.save(update_fields=["status", "complied_on", "compliance_note", "updated_at"])
    _step(scope, order.lead, "order_comply", body[:200], order.reference, late=late)
    return order


@transaction.atomic
def order_penalty(
    *, scope: Scope, reference: str, amount: Any, basis: str, today: dt.date | None = None
) -> RectificationOrder:
    """Escalate an order not complied with by its day to an administrative penalty."""
    order = _order(scope, reference)
    today = today or timezone.localdate()
    if not _is_overdue(order, today):
        if order.status == OrderStatus.ISSUED:
            message = _("The order can be escalated only after %(day)s, when its period has run out.") % {
                "day": order.due_on.isoformat()
            }
        else:
            message = _("Only an overdue order can be escalated to a penalty (it is %(status)s).") % {
                "status": order.get_status_display()
            }
        raise Conflict(message, code="labor_order_state")
    try:
        fine = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        fine = Decimal(0)
    if not fine.is_finite() or fine <= 0 or fine > MAX_PENALTY or fine != fine.quantize(Decimal("0.01")):
        raise InvalidInput(_("Enter the fine in yuan, more than 0, to the fen."), fields={"amount": str(amount)[:40]})
    text = (basis or "").strip()
    if not text:
        raise InvalidInput(_("Give the legal basis of the penalty."), fields={"basis": ""})
    order.status, order.penalty_amount, order.penalty_basis, order.penalised_on = (
        OrderStatus.PENALISED,
        fine,
        text,
        today,
    )
    order.save(update_fields=["status", "penalty_amount", "penalty_basis", "penalised_on", "updated_at"])
    _step(scope, order.lead, "order_penalty", text[:200], order.reference, amount=str(fine))
    return order


@transaction.atomic
def lead_close(
    *, scope: Scope, lead_id: Any, result: str, note: str = "", today: dt.date | None = None
) -> InspectionLead:
    """Close the lead with its result, which must match what was recorded on it."""
    lead = _lead(scope, lead_id)
    if result not in LeadResult.values:
        raise InvalidInput(_("Choose the result of the inspection."), fields={"result": result})
    orders = lead.orders  # type: ignore[attr-defined]
    if orders.filter(status__in=OPEN_ORDER_STATUSES).exists():
        raise Conflict(_("An order on this lead is still open."), code="labor_order_open")
    if not lead.findings.exists():  # type: ignore[attr-defined]
        raise Conflict(_("Record the inspection's findings before closing the lead."), code="labor_no_findings")
    needs = {
        LeadResult.PENALISED: (orders.filter(status=OrderStatus.PENALISED).exists(), _("No penalty was recorded.")),
        LeadResult.RECTIFIED: (orders.filter(status=OrderStatus.COMPLIED).exists(), _("No order was complied with.")),
        LeadResult.NO_VIOLATION: (
            not lead.findings.filter(violation=True).exists(),  # type: ignore[attr-defined]
            _("A violation was found on this lead."),
        ),
    }
    ok, why = needs[LeadResult(result)]
    if not ok:
        raise Conflict(why, code="labor_lead_result")
    today = today or timezone.localdate()
    lead.status, lead.closed_on, lead.result, lead.result_note = LeadStatus.CLOSED, today, result, (note or "").strip()
    lead.save(update_fields=["status", "closed_on", "result", "result_note", "updated_at"])
    _step(scope, lead, "lead_close", lead.result_note[:200], result=result)
    return lead


def orders_overdue(*, today: dt.date | None = None) -> int:
    """Mark every issued order past its day overdue (the daily job); returns how many."""
    today = today or timezone.localdate()
    system = Scope.system("labor.rectification")
    count = 0
    for pk in RectificationOrder.objects.filter(status=OrderStatus.ISSUED, due_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            order = RectificationOrder.objects.select_for_update().select_related("lead__employer").get(pk=pk)
            if order.status != OrderStatus.ISSUED:
                continue
            order.status = OrderStatus.OVERDUE
            order.save(update_fields=["status", "updated_at"])
            _step(system, order.lead, "order_overdue", "", order.reference, due_on=order.due_on.isoformat())
            count += 1
    return count
