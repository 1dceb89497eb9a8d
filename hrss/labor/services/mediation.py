"""Mediation before arbitration (L1, 劳动争议调解仲裁法 第10–16条): a worker applies to a
mediation organisation, the mediator holds sessions (online or in person) and records an
agreement or that none was reached. The mediation period (15 days from the application,
第14条) is a dated parameter; once it has passed without agreement, or the mediation has
failed, the worker may go on to arbitration.

Every write is atomic and audited; the worker's application is idempotent on their key, so a
retried request does not apply twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, ARBITRATOR, CITIZEN, Scope
from hrss.labor import deadlines, rules
from hrss.labor.models import (
    Mediation,
    MediationOrganisation,
    MediationSession,
    MediationStatus,
    SessionMode,
)
from hrss.labor.services.cases import _respondent, amount_parse
from hrss.registry.models import Person


def _audit(mediation: Mediation, *, actor: str, action: str, role: str = "") -> None:
    audit_record(
        actor=actor,
        actor_role=role,
        action=f"labor.mediation.{action}",
        object_type="labor.Mediation",
        object_id=str(mediation.pk),
        detail={"reference": mediation.reference, "status": mediation.status},
    )


def is_mediation_staff(scope: Scope) -> bool:
    return scope.has_role(ARBITRATOR, ADMINISTRATOR)


def mediation_queryset(*, scope: Scope) -> QuerySet[Mediation]:
    """The worker's own mediations; the commission's staff see those of their districts."""
    mediations = Mediation.objects.all()
    if is_mediation_staff(scope):
        return mediations if scope.city_wide else mediations.filter(district_id__in=list(scope.districts or ()))
    if scope.has_role(CITIZEN) and scope.person_id:
        return mediations.filter(person_id=scope.person_id)
    return mediations.none()


def _new_reference(on: dt.date) -> str:
    return f"TJ{on:%y%m%d}{secrets.randbelow(10**6):06d}"


@transaction.atomic
def mediation_apply(
    *,
    scope: Scope,
    organisation_id: Any,
    respondent: str,
    claims: str,
    amount: Any,
    idempotency_key: str,
    today: dt.date | None = None,
) -> Mediation:
    """A worker applies for mediation (idempotent on the worker's key)."""
    if not scope.has_role(CITIZEN) or not scope.person_id:
        raise PermissionDenied(_("Mediation is applied for by the worker, signed in with a bound account."))
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise InvalidInput(_("Send an idempotency key of 1 to 64 characters."), fields={"idempotency_key": key[:64]})
    existing = Mediation.objects.filter(person_id=scope.person_id, idempotency_key=key).first()
    if existing is not None:
        return existing
    organisation = MediationOrganisation.objects.filter(pk=_uuid(organisation_id), active=True).first()
    if organisation is None:
        raise InvalidInput(_("Choose a mediation organisation that takes applications."), fields={"organisation": ""})
    employer, name = _respondent(respondent)
    if not name:
        raise InvalidInput(_("Name the employer you have a dispute with."), fields={"respondent": ""})
    if not (claims or "").strip():
        raise InvalidInput(_("Say what you claim."), fields={"claims": ""})
    today = today or timezone.localdate()
    person = Person.objects.get(pk=scope.person_id)
    values = {
        "person": person,
        "employer": employer,
        "respondent_name": name[:200],
        "organisation": organisation,
        "district_id": organisation.district_id,
        "claims": claims.strip(),
        "amount_claimed": amount_parse(amount),
        "applied_on": today,
        "due_on": deadlines.deadline(rules.MEDIATION, today).due,
        "idempotency_key": key,
    }
    for _attempt in range(3):
        try:
            with transaction.atomic():
                mediation = Mediation.objects.create(reference=_new_reference(today), **values)
            break
        except IntegrityError:
            again = Mediation.objects.filter(person_id=scope.person_id, idempotency_key=key).first()
            if again is not None:
                return again
    else:  # three reference collisions in a row
        raise Conflict(_("Please send the application again."), code="labor_mediation_retry")
    _audit(mediation, actor=scope.actor, action="apply", role=scope.primary_role)
    return mediation


def _uuid(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _locked(scope: Scope, reference: str) -> Mediation:
    if not is_mediation_staff(scope):
        raise PermissionDenied(_("This is work for the mediation staff."))
    mediation = mediation_queryset(scope=scope).select_for_update().filter(reference=reference).first()
    if mediation is None:
        raise NotFound(code="labor_mediation_not_found")
    if mediation.status != MediationStatus.OPEN:
        raise Conflict(
            _("This mediation is closed."), code="labor_mediation_closed", fields={"status": mediation.status}
        )
    return mediation


@transaction.atomic
def session_record(*, scope: Scope, reference: str, held_at: dt.datetime, mode: str, note: str) -> Mediation:
    """Record a session the mediator held (online or in person); the first makes them its mediator."""
    mediation = _locked(scope, reference)
    if mode not in SessionMode.values:
        raise InvalidInput(_("Say whether the session was online or in person."), fields={"mode": mode})
    if not (note or "").strip():
        raise InvalidInput(_("Write the session's record."), fields={"note": ""})
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if held_at > timezone.now() + dt.timedelta(minutes=5) or timezone.localtime(held_at).date() < mediation.applied_on:
        raise InvalidInput(
            _("A session is recorded after it was held, and not before the application."), fields={"held_at": ""}
        )
    MediationSession.objects.create(
        mediation=mediation, held_at=held_at, mode=mode, mediator=scope.actor, note=note.strip()
    )
    if not mediation.mediator:
        mediation.mediator = scope.actor
        mediation.save(update_fields=["mediator", "updated_at"])
    _audit(mediation, actor=scope.actor, action="session", role=scope.primary_role)
    return mediation


@transaction.atomic
def agreement_record(
    *, scope: Scope, reference: str, text: str, amount: Any, today: dt.date | None = None
) -> Mediation:
    """The parties agreed (调解协议书): the mediation ends with the agreement's terms."""
    mediation = _locked(scope, reference)
    if not mediation.sessions.exists():
        raise Conflict(_("Record the session at which the parties agreed first."), code="labor_mediation_no_session")
    if not (text or "").strip():
        raise InvalidInput(_("Write the terms of the agreement."), fields={"text": ""})
    mediation.agreement = text.strip()
    mediation.amount_agreed = amount_parse(amount) or Decimal(0)
    mediation.status = MediationStatus.AGREED
    mediation.closed_on = today or timezone.localdate()
    mediation.mediator = mediation.mediator or scope.actor
    mediation.save()
    _audit(mediation, actor=scope.actor, action="agree", role=scope.primary_role)
    return mediation


@transaction.atomic
def failure_record(*, scope: Scope, reference: str, reason: str, today: dt.date | None = None) -> Mediation:
    """No agreement (调解不成): the worker may go on to arbitration at once."""
    mediation = _locked(scope, reference)
    if not (reason or "").strip():
        raise InvalidInput(_("Say why no agreement was reached."), fields={"reason": ""})
    mediation.failure_reason = reason.strip()
    mediation.status = MediationStatus.FAILED
    mediation.closed_on = today or timezone.localdate()
    mediation.mediator = mediation.mediator or scope.actor
    mediation.save()
    _audit(mediation, actor=scope.actor, action="fail", role=scope.primary_role)
    return mediation
