"""The rights-protection register's writes (L2, issue #20): petitions (信访) and social
insurance fraud cases (社保欺诈案件). Atomic, idempotent on the caller's key, audited; each
step is added to the item's history (``RegisterEvent``).

Petitions: received → accepted or not accepted → answered → closed, with the dated
``petition.*`` periods (``deadlines``). Fraud cases: open → confirmed or dismissed → closed,
linked to the insurance app's recovery case when one exists (read through
``InsuranceConfig.recovery_cases``; this app never imports insurance).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.codes.identifiers import parse_credit_code
from hrss.core.audit import audit_record
from hrss.core.declarations import DeclaredModule
from hrss.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.labor import deadlines
from hrss.labor.models import (
    FraudCase,
    FraudKind,
    FraudSource,
    FraudStatus,
    Petition,
    PetitionChannel,
    PetitionStatus,
    RegisterEvent,
)
from hrss.labor.services.complaints import is_rights_staff
from hrss.registry.models import Employer, Person

# The insurance app's recovery cases (``InsuranceConfig.recovery_cases``), registered in ready().
recovery = DeclaredModule(
    "recovery_cases", missing=gettext_lazy("Overpayment recovery is not available."), code="recovery_unavailable"
)
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
MAX_AMOUNT = Decimal("999999999999.99")
PETITION = "petition"
FRAUD = "fraud"


def staff_only(scope: Scope) -> None:
    if not is_rights_staff(scope):
        raise PermissionDenied(_("This is work for the rights-protection staff."))


def event_add(kind: str, reference: str, action: str, actor: str, note: str = "") -> None:
    RegisterEvent.objects.create(item_kind=kind, item_reference=reference, action=action, actor=actor, note=note)


def audit(scope: Scope, action: str, row: Model, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type=f"labor.{type(row).__name__}",
        object_id=str(row.pk),
        purpose="rights_protection",
        detail=detail,
    )


def key_check(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise InvalidInput(_("Send an idempotency key of 1 to 64 characters."), fields={"idempotency_key": key[:64]})
    return key


def new_reference(model: type[Model], prefix: str, today: dt.date) -> str:
    for _attempt in range(3):
        reference = f"{prefix}{today:%y%m%d}{secrets.randbelow(10**6):06d}"
        if not model._default_manager.filter(reference=reference).exists():
            return reference
    raise Conflict(_("Please send it again."), code="labor_register_retry")


def employer_find(credit_code: str) -> Employer | None:
    if not (credit_code or "").strip():
        return None
    try:
        code = parse_credit_code(credit_code).value
    except DomainError as error:
        raise InvalidInput(error.message, fields={"credit_code": credit_code}) from None
    employer = Employer.objects.filter(credit_code=code).first()
    if employer is None:
        raise InvalidInput(_("No registered employer has this credit code."), fields={"credit_code": code})
    return employer


def person_find(person_id: Any, id_number: str = "") -> Person | None:
    """The registry person by id, or by ID number (through the registry's blind index)."""
    if (id_number or "").strip():
        from hrss.codes.identifiers import parse_id_number
        from hrss.registry.services import id_number_index

        try:
            value = parse_id_number(id_number).value
        except DomainError as error:
            raise InvalidInput(error.message, fields={"id_number": "invalid"}) from None
        person = Person.objects.filter(id_number_index=id_number_index(value)).first()
        if person is None:
            raise InvalidInput(_("No person in the registry has this ID number."), fields={"id_number": "unknown"})
        return person
    if person_id in (None, ""):
        return None
    try:
        pk = uuid.UUID(str(person_id))
    except ValueError:
        raise InvalidInput(_("No person in the registry has this id."), fields={"person_id": str(person_id)}) from None
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise InvalidInput(_("No person in the registry has this id."), fields={"person_id": str(person_id)})
    return person


def district_of(scope: Scope, person: Person | None, employer: Employer | None, district: str) -> str:
    """The district the item belongs to: the employer's, else the person's, else the one given."""
    code = (
        (employer.district_id if employer else None)
        or (person.residence_district_id or person.household_district_id if person else None)
        or (district or None)
    )
    if not code:
        raise InvalidInput(_("Say which district the item belongs to."), fields={"district": district})
    from hrss.codes.models import District

    if not District.objects.filter(code=code).exists():
        raise InvalidInput(_("Unknown district."), fields={"district": code})
    if not scope.covers_district(code):
        raise PermissionDenied(_("The item belongs to a district you do not cover."))
    return code


# --- petitions (信访) ----------------------------------------------------------------------------


@transaction.atomic
def petition_record(
    *,
    scope: Scope,
    channel: str,
    subject: str,
    idempotency_key: str,
    content: str = "",
    person_id: Any = None,
    id_number: str = "",
    petitioner_name: str = "",
    petitioner_phone: str = "",
    credit_code: str = "",
    district: str = "",
    today: dt.date | None = None,
) -> Petition:
    """Record a petition received by letter, visit, online or 12333; the acceptance decision is
    due within the dated period from the day of receipt."""
    staff_only(scope)
    key = key_check(idempotency_key)
    existing = Petition.objects.filter(recorded_by=scope.actor, idempotency_key=key).first()
    if existing is not None:
        return existing
    if channel not in PetitionChannel.values:
        raise InvalidInput(_("Choose how the petition came in."), fields={"channel": channel})
    subject = (subject or "").strip()
    if not subject or len(subject) > 200:
        raise InvalidInput(
            _("Give the petition's subject (at most 200 characters)."), fields={"subject": subject[:200]}
        )
    person = person_find(person_id, id_number)
    name, phone = (petitioner_name or "").strip(), (petitioner_phone or "").strip()
    if person is None:
        if not name or len(name) > 100:
            raise InvalidInput(
                _("Name the petitioner, or choose them from the registry."), fields={"petitioner_name": ""}
            )
        if not PHONE.match(phone):
            raise InvalidInput(_("Give the petitioner's phone number."), fields={"petitioner_phone": phone[:20]})
    else:
        name, phone = "", ""
    employer = employer_find(credit_code)
    code = district_of(scope, person, employer, district)
    today = today or timezone.localdate()
    due = deadlines.deadline(deadlines.PETITION_ACCEPTANCE, today).due
    petition = Petition.objects.create(
        reference=new_reference(Petition, "XF", today),
        person=person,
        petitioner_name=name,
        petitioner_phone=phone,
        employer=employer,
        district_id=code,
        channel=channel,
        subject=subject,
        content=(content or "").strip(),
        received_on=today,
        acceptance_due=due,
        due_on=due,
        recorded_by=scope.actor,
        idempotency_key=key,
    )
    event_add(PETITION, petition.reference, "file", scope.actor)
    audit(scope, "labor.petition.record", petition, reference=petition.reference, channel=channel)
    return petition


def petition_for_update(scope: Scope, reference: str) -> Petition:
    staff_only(scope)
    petition = Petition.objects.select_for_update().filter(reference=reference).first()
    if petition is None or not scope.covers_district(petition.district_id):
        raise NotFound(code="labor_petition_not_found")
    return petition


def _step_refused(petition: Petition, *allowed: str) -> None:
    if petition.status not in allowed:
        raise Conflict(
            _("This step is not open while the petition is %(status)s.") % {"status": petition.get_status_display()},
            code="labor_petition_status",
        )


@transaction.atomic
def petition_decide(
    *, scope: Scope, reference: str, accept: bool, reason: str = "", today: dt.date | None = None
) -> Petition:
    """Accept the petition (the answer period starts) or say why it is not accepted."""
    petition = petition_for_update(scope, reference)
    today = today or timezone.localdate()
    if petition.status == (PetitionStatus.ACCEPTED if accept else PetitionStatus.NOT_ACCEPTED):
        return petition  # a retried request
    _step_refused(petition, PetitionStatus.RECEIVED)
    if accept:
        due = deadlines.deadline(deadlines.PETITION_ANSWER, today).due
        petition.status, petition.accepted_on, petition.answer_due, petition.due_on = "accepted", today, due, due
    else:
        if not (reason or "").strip():
            raise InvalidInput(_("Say why the petition is not accepted."), fields={"reason": ""})
        petition.status, petition.answer, petition.closed_on, petition.due_on = (
            "not_accepted",
            reason.strip(),
            today,
            None,
        )
    petition.save()
    event_add(PETITION, reference, "accept" if accept else "not_accept", scope.actor, (reason or "").strip())
    audit(scope, "labor.petition.decide", petition, reference=reference, accept=accept)
    return petition


@transaction.atomic
def petition_extend(*, scope: Scope, reference: str, reason: str) -> Petition:
    """Extend the answer period once (complex petitions, with approval)."""
    petition = petition_for_update(scope, reference)
    _step_refused(petition, PetitionStatus.ACCEPTED)
    if petition.extended:
        raise Conflict(_("The answer period was extended already."), code="labor_petition_extended")
    if not (reason or "").strip():
        raise InvalidInput(_("Say why the answer period is extended."), fields={"reason": ""})
    assert petition.accepted_on is not None
    due = deadlines.deadline(deadlines.PETITION_ANSWER_EXTENDED, petition.accepted_on).due
    petition.extended, petition.answer_due, petition.due_on = True, due, due
    petition.save()
    event_add(PETITION, reference, "extend", scope.actor, reason.strip())
    audit(scope, "labor.petition.extend", petition, reference=reference)
    return petition


@transaction.atomic
def petition_answer(*, scope: Scope, reference: str, answer: str, today: dt.date | None = None) -> Petition:
    petition = petition_for_update(scope, reference)
    _step_refused(petition, PetitionStatus.ACCEPTED)
    if not (answer or "").strip():
        raise InvalidInput(_("Write the answer given to the petitioner."), fields={"answer": ""})
    petition.status, petition.answer, petition.answered_on = "answered", answer.strip(), today or timezone.localdate()
    petition.due_on = None
    petition.save()
    event_add(PETITION, reference, "answer", scope.actor)
    audit(scope, "labor.petition.answer", petition, reference=reference)
    return petition


@transaction.atomic
def petition_close(*, scope: Scope, reference: str, today: dt.date | None = None) -> Petition:
    petition = petition_for_update(scope, reference)
    if petition.status == PetitionStatus.CLOSED:
        return petition
    _step_refused(petition, PetitionStatus.ANSWERED, PetitionStatus.NOT_ACCEPTED)
    petition.status, petition.closed_on, petition.due_on = "closed", today or timezone.localdate(), None
    petition.save()
    event_add(PETITION, reference, "close", scope.actor)
    audit(scope, "labor.petition.close", petition, reference=reference)
    return petition


# --- social insurance fraud cases (社保欺诈案件) ----------------------------------------------------


def amount_parse(raw: Any) -> Decimal:
    try:
        amount = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Give the amount in yuan, e.g. 12000.00."), fields={"amount": str(raw)[:30]}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise InvalidInput(
            _("The amount must be between 0 and 999999999999.99 yuan."), fields={"amount": str(raw)[:30]}
        )
    return amount


@transaction.atomic
def fraud_open(
    *,
    scope: Scope,
    kind: str,
    found_by: str,
    amount: Any,
    description: str,
    idempotency_key: str,
    person_id: Any = None,
    id_number: str = "",
    credit_code: str = "",
    district: str = "",
    today: dt.date | None = None,
) -> FraudCase:
    """Open a fraud case about a person and/or an employer (at least one of them)."""
    staff_only(scope)
    key = key_check(idempotency_key)
    existing = FraudCase.objects.filter(recorded_by=scope.actor, idempotency_key=key).first()
    if existing is not None:
        return existing
    if kind not in FraudKind.values:
        raise InvalidInput(_("Choose the kind of fraud."), fields={"kind": kind})
    if found_by not in FraudSource.values:
        raise InvalidInput(_("Say how the fraud was found."), fields={"found_by": found_by})
    value = amount_parse(amount)
    if not (description or "").strip():
        raise InvalidInput(_("Describe what happened."), fields={"description": ""})
    person, employer = person_find(person_id, id_number), employer_find(credit_code)
    if person is None and employer is None:
        raise InvalidInput(_("Name the person or the employer (or both)."), fields={"person_id": "", "credit_code": ""})
    code = district_of(scope, person, employer, district)
    today = today or timezone.localdate()
    case = FraudCase.objects.create(
        reference=new_reference(FraudCase, "QZ", today),
        person=person,
        employer=employer,
        district_id=code,
        kind=kind,
        found_by=found_by,
        amount=value,
        description=description.strip(),
        opened_on=today,
        due_on=deadlines.investigation_due(today),
        recorded_by=scope.actor,
        idempotency_key=key,
    )
    event_add(FRAUD, case.reference, "file", scope.actor)
    audit(scope, "labor.fraud.open", case, reference=case.reference, kind=kind, amount=str(value))
    return case


def fraud_for_update(scope: Scope, reference: str) -> FraudCase:
    staff_only(scope)
    case = FraudCase.objects.select_for_update().filter(reference=reference).first()
    if case is None or not scope.covers_district(case.district_id):
        raise NotFound(code="labor_fraud_not_found")
    return case


FRAUD_STEPS = {
    FraudStatus.CONFIRMED: (FraudStatus.OPEN,),
    FraudStatus.DISMISSED: (FraudStatus.OPEN,),
    FraudStatus.CLOSED: (FraudStatus.CONFIRMED, FraudStatus.DISMISSED),
}


@transaction.atomic
def fraud_status(*, scope: Scope, reference: str, status: str, note: str = "") -> FraudCase:
    """Confirm or dismiss an open case; close a decided one."""
    case = fraud_for_update(scope, reference)
    if status not in FRAUD_STEPS:
        raise InvalidInput(_("Choose confirmed, dismissed or closed."), fields={"status": status})
    if case.status == status:
        return case
    if case.status not in FRAUD_STEPS[FraudStatus(status)]:
        raise Conflict(_("This step is not open for the case now."), code="labor_fraud_status")
    case.status = status
    case.due_on = None  # decided: the investigation's clock stops
    case.save(update_fields=["status", "due_on", "updated_at"])
    event_add(FRAUD, reference, status, scope.actor, (note or "").strip())
    audit(scope, "labor.fraud.status", case, reference=reference, status=status)
    return case


@transaction.atomic
def fraud_link_recovery(*, scope: Scope, reference: str, recovery_case: Any) -> FraudCase:
    """Link the case to the insurance app's recovery case of the overpayment (it must exist)."""
    case = fraud_for_update(scope, reference)
    try:
        case_id = uuid.UUID(str(recovery_case))
    except ValueError:
        raise InvalidInput(
            _("No recovery case has this id."), fields={"recovery_case": str(recovery_case)[:40]}
        ) from None
    if case_id not in recovery.get().recovery_statuses([case_id]):
        raise InvalidInput(_("No recovery case has this id."), fields={"recovery_case": str(case_id)})
    case.recovery_case = case_id
    case.save(update_fields=["recovery_case", "updated_at"])
    event_add(FRAUD, reference, "link_recovery", scope.actor, str(case_id))
    audit(scope, "labor.fraud.link_recovery", case, reference=reference, recovery_case=str(case_id))
    return case
