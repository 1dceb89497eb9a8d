"""A service task's context read and its result recorded, shared by the insurance handlers:
refusals, the acting scope, form values, money and month texts, the audit link (retry key)."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.core.servicetasks import Handler, ServiceTaskContext, ServiceTaskRefused
from hrss.insurance import rules
from hrss.insurance.models import BenefitAward
from hrss.insurance.services.benefits import award_schedule

# A service's answer that the case does not qualify; other errors are faults, not refusals.
_REFUSALS = (InvalidInput, Conflict, NotFound)
_ACTION = "insurance.servicetask."


def refusing(handler: Handler) -> Handler:
    """Run a handler atomically; a service's refusal becomes the task's refusal."""

    @functools.wraps(handler)
    def run(context: ServiceTaskContext) -> dict[str, Any]:
        try:
            with transaction.atomic():
                return handler(context)
        except ServiceTaskRefused:
            raise
        except _REFUSALS as error:
            raise ServiceTaskRefused.from_error(error) from error

    return run


def acting_scope(context: ServiceTaskContext) -> Scope:
    """City-wide, in the name of the staff member whose decision led here (see the package doc)."""
    return Scope.system(context.actor)


def person_id_of(context: ServiceTaskContext) -> uuid.UUID:
    try:
        return uuid.UUID(str(context.person_id))
    except ValueError as error:
        raise ServiceTaskRefused(_("This service is for citizens: the application names no person.")) from error


def form_date(context: ServiceTaskContext, name: str) -> dt.date | None:
    raw = context.form_data.get(name)
    if raw in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError as error:
        raise InvalidInput(fields={name: _("Enter a date as YYYY-MM-DD.")}) from error


def form_decimal(context: ServiceTaskContext, name: str) -> Decimal | None:
    raw = context.form_data.get(name)
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation as error:
        raise InvalidInput(fields={name: _("Enter a number.")}) from error
    if not value.is_finite() or value < 0:
        raise InvalidInput(fields={name: _("Enter a number that is not negative.")})
    return value


def month_text(day: dt.date | None) -> str | None:
    return f"{day:%Y-%m}" if day else None


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(rules.yuan(amount))


def payment_schedule(award: BenefitAward, months: int) -> list[dict[str, str]]:
    """The award's monthly payments from its first month: [{"month", "amount"}]."""
    return [
        {"month": f"{period:%Y-%m}", "amount": str(amount)}
        for period, amount in award_schedule(award, months=months, start=award.start_month)
    ]


def payment_target(context: ServiceTaskContext) -> dict[str, str]:
    """Where a benefit is paid; a bank account only ever leaves the form masked."""
    target = str(context.form_data.get("payment_to") or "card")
    account = str(context.form_data.get("bank_account") or "").replace(" ", "")
    payment = {"payment_to": target}
    if target == "bank" and account:
        payment["bank_account"] = "*" * max(len(account) - 4, 0) + account[-4:]
    return payment


def record_result(
    context: ServiceTaskContext, scope: Scope, what: str, person_id: uuid.UUID, result: dict[str, Any]
) -> dict[str, Any]:
    """Audit what the task did for which application, with its result; return the result."""
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=_ACTION + what,
        object_type="person",
        object_id=str(person_id),
        detail={"application": context.reference, "item": context.item_code, "result": result},
    )
    return result


def earlier_result(context: ServiceTaskContext, what: str, person_id: uuid.UUID) -> dict[str, Any] | None:
    """The result this task already recorded for this application, if it ran before.

    The audit entry written with the record is the retry key: a task run again for the
    same application answers as the first run did instead of writing twice.
    """
    entry = (
        AuditEntry.objects.filter(action=_ACTION + what, object_type="person", object_id=str(person_id))
        .filter(detail__application=context.reference)
        .order_by("-seq")
        .first()
    )
    return dict(entry.detail.get("result") or {}) if entry is not None else None
