"""Overpayment recovery cases opened by other apps, without importing this app: declared on
``InsuranceConfig.recovery_cases`` as this module's dotted path and found by the caller
through the app registry (``hrss.core.declarations.DeclaredModule``) — the medical app's smart
monitoring opens a case here when a staff member confirms an overpayment of the fund.

One case per ``reference`` (the caller's own, e.g. ``medical.flag:<id>``): opening it again
answers the case already open. Closing goes through the same service as the benefit cases
(``recovery_case_close``): recovered or waived, audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction

from hrss.core.audit import audit_record
from hrss.core.events import publish
from hrss.core.scope import Scope
from hrss.insurance import rules
from hrss.insurance.events import RecoveryCaseOpened
from hrss.insurance.models import RecoveryCase
from hrss.insurance.services.eligibility import recovery_case_close

MEDICAL = RecoveryCase.Reason.MEDICAL


def recovery_open(
    *,
    reference: str,
    reason: str,
    debtor: str,
    district: str,
    person_id: uuid.UUID | None,
    overpaid_fen: int,
    first_period: dt.date,
    evidence: dict[str, Any],
    actor: str,
) -> uuid.UUID:
    """Open the recovery case of ``reference`` (or answer the one opened before); its id."""
    earlier = RecoveryCase.objects.filter(reference=reference).values_list("pk", flat=True).first()
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            case = RecoveryCase.objects.create(
                person_id=person_id,
                award=None,
                reason=reason,
                debtor=debtor[:200],
                district=district,
                reference=reference,
                overpaid_fen=overpaid_fen,
                first_period=first_period.replace(day=1),
                evidence=evidence,
                opened_by=actor,
            )
    except IntegrityError:  # a concurrent opening of the same reference won
        return RecoveryCase.objects.values_list("pk", flat=True).get(reference=reference)
    audit_record(
        actor=actor,
        action="insurance.recovery.open",
        object_type="recovery_case",
        object_id=str(case.pk),
        detail={"reference": reference, "reason": reason, "overpaid_fen": overpaid_fen, "debtor": debtor[:200]},
    )
    publish(
        RecoveryCaseOpened(
            case_id=case.pk, person_id=person_id, reason=reason, overpaid=str(rules.from_fen(overpaid_fen))
        )
    )
    return case.pk


def recovery_statuses(case_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The status (open, recovered, waived) of each case, in one query."""
    return dict(RecoveryCase.objects.filter(pk__in=case_ids).values_list("pk", "status"))


def recovery_close(*, scope: Scope, case_id: uuid.UUID, recovered: bool, note: str = "") -> str:
    """Close the case (the benefit cases' service: caseworkers of its district); its new status."""
    return str(recovery_case_close(scope=scope, case_id=case_id, recovered=recovered, note=note).status)
