"""Rights protection (L2): complaints and reports about an employer, and the employer's
inspection lead that they join (one open lead per employer), so that one view of the employer
shows its complaints, its open arbitration cases and mediations, and its lead.

A worker files online; inspectors record what comes by the 12333 hotline, a letter or a visit.
Acceptance is due within the statutory working days (a dated parameter). Writes are atomic,
idempotent on the caller's key, and audited.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.identifiers import parse_credit_code
from hrss.codes.selectors import parameter_value
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, ARBITRATOR, CITIZEN, INSPECTOR, Scope
from hrss.core.workdays import is_workday
from hrss.labor import rules
from hrss.labor.models import Complaint, ComplaintChannel, ComplaintKind, InspectionLead, LeadStatus
from hrss.registry.models import Employer


def is_rights_staff(scope: Scope) -> bool:
    return scope.has_role(INSPECTOR, ARBITRATOR, ADMINISTRATOR)


def acceptance_due(received_on: dt.date) -> dt.date:
    days = int(parameter_value("inspection.complaint_acceptance_workdays", on=received_on))
    return rules.workdays_end(received_on, days, is_workday)


def lead_join(employer: Employer, *, reason: dict[str, Any], on: dt.date) -> InspectionLead:
    """The employer's open inspection lead, opened if it has none, with ``reason`` added."""
    lead = InspectionLead.objects.select_for_update().filter(employer=employer, status=LeadStatus.OPEN).first()
    if lead is None:
        try:
            with transaction.atomic():
                lead = InspectionLead.objects.create(
                    employer=employer, district_id=employer.district_id, opened_on=on, reasons=[reason]
                )
            return lead
        except IntegrityError:  # opened at the same moment by another request
            lead = InspectionLead.objects.select_for_update().get(employer=employer, status=LeadStatus.OPEN)
    lead.reasons = [*lead.reasons, reason]
    lead.save(update_fields=["reasons", "updated_at"])
    return lead


@transaction.atomic
def complaint_file(
    *,
    scope: Scope,
    credit_code: str,
    kind: str,
    content: str,
    idempotency_key: str,
    channel: str = ComplaintChannel.WEB,
    today: dt.date | None = None,
) -> Complaint:
    """A complaint or report about a registered employer; it joins the employer's lead."""
    citizen = scope.has_role(CITIZEN) and scope.person_id is not None
    if not citizen and not scope.has_role(INSPECTOR, ADMINISTRATOR):
        raise PermissionDenied(_("Complaints are filed by workers or recorded by labour inspectors."))
    if citizen and not is_rights_staff(scope):
        channel = ComplaintChannel.WEB
    if channel not in ComplaintChannel.values:
        raise InvalidInput(_("Choose how the complaint came in."), fields={"channel": channel})
    if kind not in ComplaintKind.values:
        raise InvalidInput(_("Say whether this is a complaint or a report."), fields={"kind": kind})
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise InvalidInput(_("Send an idempotency key of 1 to 64 characters."), fields={"idempotency_key": key[:64]})
    existing = Complaint.objects.filter(recorded_by=scope.actor, idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        code = parse_credit_code(credit_code).value
    except DomainError as error:
        raise InvalidInput(error.message, fields={"credit_code": credit_code}) from None
    employer = Employer.objects.filter(credit_code=code).first()
    if employer is None:
        raise InvalidInput(_("No registered employer has this credit code."), fields={"credit_code": code})
    if not (content or "").strip():
        raise InvalidInput(_("Say what the employer did."), fields={"content": ""})
    today = today or timezone.localdate()
    values = {
        "kind": kind,
        "channel": channel,
        "person_id": scope.person_id if citizen and not is_rights_staff(scope) else None,
        "employer": employer,
        "district_id": employer.district_id,
        "content": content.strip(),
        "received_on": today,
        "due_on": acceptance_due(today),
        "recorded_by": scope.actor,
        "idempotency_key": key,
    }
    for _attempt in range(3):
        reference = f"TS{today:%y%m%d}{secrets.randbelow(10**6):06d}"
        if not Complaint.objects.filter(reference=reference).exists():
            break
    else:
        raise Conflict(_("Please send the complaint again."), code="labor_complaint_retry")
    lead = lead_join(
        employer, reason={"source": "complaint", "reference": reference, "on": today.isoformat()}, on=today
    )
    complaint = Complaint.objects.create(reference=reference, lead=lead, **values)
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="labor.complaint.file",
        object_type="labor.Complaint",
        object_id=str(complaint.pk),
        detail={"reference": reference, "employer": employer.credit_code, "lead": str(lead.pk)},
    )
    return complaint


def complaint_from_hotline(
    *, ticket_reference: str, agent: str, credit_code: str, kind: str, content: str, person_id: Any = None
) -> str:
    """A labour complaint, report or petition the 12333 desk took (``LaborConfig.hotline_intake``):
    recorded in the register as come by the hotline — a complaint or report joining the
    employer's lead, a petition (信访) with its acceptance deadline — once per ticket (the
    ticket's reference is the retry key). Returns the register's reference."""
    desk = Scope(actor=f"12333:{agent}", roles=frozenset({INSPECTOR}), districts=None)
    if kind == "petition":
        # here, not at the top: the register's services import this module
        from hrss.labor.register_models import PetitionChannel
        from hrss.labor.services.register import petition_record

        petition = petition_record(
            scope=desk,
            channel=PetitionChannel.HOTLINE,
            subject=content.strip().splitlines()[0][:200] if content.strip() else "",
            content=content,
            person_id=person_id,
            credit_code=credit_code,
            idempotency_key=ticket_reference,
        )
        return petition.reference
    complaint = complaint_file(
        scope=desk,
        credit_code=credit_code,
        kind=kind,
        content=content,
        idempotency_key=ticket_reference,
        channel=ComplaintChannel.HOTLINE,
    )
    if person_id is not None and complaint.person_id is None:
        complaint.person_id = person_id
        complaint.save(update_fields=["person", "updated_at"])
    return complaint.reference
