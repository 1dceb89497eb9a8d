"""全民参保 (S2): reminders to the uninsured, and exemptions staff record.

Reminders are published as ``EnrolmentReminderDue`` events (the notify app sends the SMS
or WeChat message); a person is reminded at most once a month.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrss.core.audit import audit_record
from hrss.core.errors import InvalidInput
from hrss.core.events import publish
from hrss.core.scope import Scope
from hrss.insurance import access, rules
from hrss.insurance.events import EnrolmentReminderDue
from hrss.insurance.models import EnrolmentExemption, EnrolmentReminder
from hrss.insurance.selectors.universal import uninsured_queryset

BATCH = 2000


@transaction.atomic
def enrolment_reminders_publish(*, scope: Scope, period: dt.date, district: str | None = None) -> int:
    """Remind every uninsured working-age person in scope (once per person and month)."""
    access.require_caseworker(scope)
    period = rules.month_start(period)
    found = uninsured_queryset(scope=scope, on=period, district=district).values_list("pk", "residence_district_id")
    already = set(EnrolmentReminder.objects.filter(period=period).values_list("person_id", flat=True))
    now = timezone.now()
    sent = 0
    batch: list[EnrolmentReminder] = []
    for person_id, residence in found.iterator(chunk_size=BATCH):
        if person_id in already:
            continue
        batch.append(EnrolmentReminder(person_id=person_id, period=period, district=residence or "", created_at=now))
        publish(EnrolmentReminderDue(person_id=person_id, district=residence or "", period=period))
        sent += 1
        if len(batch) >= BATCH:
            EnrolmentReminder.objects.bulk_create(batch)
            batch = []
    EnrolmentReminder.objects.bulk_create(batch)
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.universal.remind",
        object_type="district",
        object_id=district or "",
        detail={"period": f"{period:%Y-%m}", "reminders": sent},
    )
    return sent


@transaction.atomic
def exemption_record(
    *,
    scope: Scope,
    person_id: uuid.UUID,
    reason: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    source: str = "bureau_counter",
) -> EnrolmentExemption:
    """Record why someone need not enrol here (a student, insured elsewhere...)."""
    access.require_caseworker(scope)
    person = access.person_for(scope, person_id)
    if reason not in EnrolmentExemption.Reason.values:
        raise InvalidInput(fields={"reason": reason})
    if valid_to and valid_to < valid_from:
        raise InvalidInput(fields={"valid_to": _("before the start")})
    exemption = EnrolmentExemption.objects.create(
        person=person,
        reason=reason,
        valid_from=valid_from,
        valid_to=valid_to,
        source=source[:20],
        recorded_by=scope.actor,
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.universal.exempt",
        object_type="person",
        object_id=str(person.pk),
        detail={"reason": reason, "from": valid_from.isoformat()},
    )
    return exemption
