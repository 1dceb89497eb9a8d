"""Reconciliation writes (S4, S7): an institution's day reconciled against our settlement file,
and the bank's file of the fund's payments to institutions imported.

A reconciliation is one per institution and day: the same list sent again answers the first
record (a retry), a different list for a reconciled day is refused. Only a day that is over is
reconciled, so our side of it no longer changes. The bank's file is imported whole or not at
all: every row is checked first, and a reference already imported with the same figures is
passed over, so importing a file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput
from hrss.core.scope import Scope
from hrss.medical import access, reconcile
from hrss.medical.models import (
    BankPayment,
    Claim,
    Institution,
    SettlementDifference,
    SettlementReconciliation,
)
from hrss.medical.services.claims import institution_of

MAX_PROBLEMS_SHOWN = 20


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def day_lines(institution: Institution, day: dt.date) -> list[reconcile.Line]:
    """Our settlements, reversals and refunds of the institution on that day (by when they were
    settled), in the order they were settled: one query."""
    start, end = day_bounds(day)
    rows = (
        Claim.objects.filter(institution=institution, created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "transaction_id")
        .values_list(
            "transaction_id", "kind", "original__transaction_id", "visit_date", "created_at", *reconcile.AMOUNTS
        )
    )
    return [
        reconcile.Line(
            transaction_id=tid,
            kind=kind,
            original_transaction_id=original or "",
            visit_date=visit_date,
            settled_at=timezone.localtime(created_at).isoformat(timespec="seconds"),
            amounts=dict(zip(reconcile.AMOUNTS, amounts, strict=True)),
        )
        for tid, kind, original, visit_date, created_at, *amounts in rows
    ]


def _request_hash(day: dt.date, lines: Sequence[reconcile.Line]) -> str:
    parts = sorted(
        [line.transaction_id, line.kind, *(str(reconcile.money(line.amounts[n])) for n in reconcile.AMOUNTS)]
        for line in lines
    )
    return hashlib.sha256(json.dumps([day.isoformat(), parts]).encode()).hexdigest()


def _replay(institution: Institution, day: dt.date, request_hash: str) -> SettlementReconciliation | None:
    earlier = SettlementReconciliation.objects.filter(institution=institution, day=day).first()
    if earlier is not None and earlier.request_hash != request_hash:
        raise Conflict(
            _("This day is reconciled already, with a different list."),
            code="medical_reconciliation_exists",
            fields={"date": day.isoformat()},
        )
    return earlier


def reconciliation_submit(*, scope: Scope, day: dt.date, lines: Sequence[reconcile.Line]) -> SettlementReconciliation:
    """对账: the institution's list of a day against our settlement file of that day; the
    differences are kept with the record."""
    institution = institution_of(scope)
    if day >= timezone.localdate():
        raise InvalidInput(
            _("Only a day that is over can be reconciled."),
            code="medical_day_not_over",
            fields={"date": _("a day before today")},
        )
    seen: set[str] = set()
    for line in lines:
        if line.transaction_id in seen:
            raise InvalidInput(
                _("Each transaction id may appear once in the list."),
                code="medical_duplicate_transaction",
                fields={"lines": line.transaction_id},
            )
        seen.add(line.transaction_id)
    request_hash = _request_hash(day, lines)
    earlier = _replay(institution, day, request_hash)
    if earlier is not None:
        return earlier
    ours = day_lines(institution, day)
    comparison = reconcile.compare(ours, lines)
    try:
        with transaction.atomic():
            record = SettlementReconciliation.objects.create(
                institution=institution,
                day=day,
                request_hash=request_hash,
                sha256=hashlib.sha256(reconcile.settlement_file(ours)).hexdigest(),
                lines_ours=len(ours),
                lines_theirs=len(lines),
                matched=comparison.matched,
                fund_ours=sum((line.amounts["fund"] for line in ours), reconcile.ZERO),
                fund_theirs=sum((line.amounts["fund"] for line in lines), reconcile.ZERO),
                created_by=scope.actor,
            )
            SettlementDifference.objects.bulk_create(
                SettlementDifference(
                    reconciliation=record,
                    kind=item.kind,
                    transaction_id=item.transaction_id,
                    ours={name: str(value) for name, value in item.ours.items()},
                    theirs={name: str(value) for name, value in item.theirs.items()},
                    note=item.note[:200],
                )
                for item in comparison.differences
            )
            audit_record(
                actor=scope.actor,
                actor_role=scope.primary_role,
                action="medical.reconcile",
                object_type="medical_reconciliation",
                object_id=str(record.pk),
                purpose="medical settlement",
                detail={
                    "institution": institution.code,
                    "day": day.isoformat(),
                    "differences": str(len(comparison.differences)),
                },
            )
    except IntegrityError:  # a concurrent retry recorded it first
        earlier = _replay(institution, day, request_hash)
        if earlier is None:
            raise
        return earlier
    return record


# --- the bank's file of payments to institutions (S7) --------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    imported: int
    unchanged: int
    total: Decimal


def bank_payments_import(*, scope: Scope, data: bytes, filename: str) -> ImportReport:
    """Import the bank's file (``reference,institution_code,paid_on,period,amount``), whole or
    not at all; a refused file names its lines and why (``fields``)."""
    access.require_finance(scope)
    try:
        rows, problems = reconcile.bank_file_parse(data)
    except reconcile.BankFileError as error:
        raise InvalidInput(str(error), code="medical_bank_file_invalid", fields={"file": filename}) from error
    institutions = dict(
        Institution.objects.filter(code__in={row.institution_code for row in rows}).values_list("code", "pk")
    )
    existing = {
        payment.reference: payment
        for payment in BankPayment.objects.filter(reference__in=[row.reference for row in rows])
    }
    seen: set[str] = set()
    new: list[BankPayment] = []
    unchanged = 0
    for row in rows:
        if row.reference in seen:
            problems.append((row.line, f"reference {row.reference} appears twice"))
            continue
        seen.add(row.reference)
        if row.institution_code not in institutions:
            problems.append((row.line, f"no designated institution {row.institution_code!r}"))
            continue
        earlier = existing.get(row.reference)
        if earlier is not None:
            same = (str(earlier.institution_id), earlier.paid_on, earlier.period, earlier.amount) == (
                str(institutions[row.institution_code]),
                row.paid_on,
                row.period,
                row.amount,
            )
            if same:
                unchanged += 1
            else:
                problems.append((row.line, f"reference {row.reference} was imported with other figures"))
            continue
        new.append(
            BankPayment(
                institution_id=institutions[row.institution_code],
                reference=row.reference,
                paid_on=row.paid_on,
                period=row.period,
                amount=row.amount,
                filename=filename[:255],
                imported_by=scope.actor,
            )
        )
    if problems:
        shown = sorted(problems)[:MAX_PROBLEMS_SHOWN]
        raise InvalidInput(
            _("The bank's file has lines that cannot be imported; nothing was imported."),
            code="medical_bank_file_invalid",
            fields={f"line {line}": why for line, why in shown},
        )
    with transaction.atomic():
        BankPayment.objects.bulk_create(new)
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="medical.bank_payments.import",
            object_type="medical_bank_file",
            object_id=hashlib.sha256(data).hexdigest(),
            purpose="medical fund finance",
            detail={"filename": filename[:255], "imported": str(len(new)), "unchanged": str(unchanged)},
        )
    return ImportReport(imported=len(new), unchanged=unchanged, total=sum((row.amount for row in new), reconcile.ZERO))
