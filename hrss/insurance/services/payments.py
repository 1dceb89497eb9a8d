"""Payment posting (缴费到账) from bank and tax files, matched by payer and month (S1).

A file is a CSV with the columns ``credit_code`` (an employer) or ``id_number`` (a
flexible worker), ``period`` (YYYY-MM), ``amount`` (yuan), ``paid_on`` (YYYY-MM-DD) and
``reference``. Each row is matched against what is still due for that payer and month;
differences (under- and overpayments, nothing due, unknown payers, bad rows) go into the
file's report. Payments are never changed: a refund or a bank reversal is a new row with
a negative amount. Personal accounts are credited for the months a payer has settled.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import uuid
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hrss.codes.identifiers import parse_credit_code, parse_id_number
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from hrss.core.logging import mask_id_number
from hrss.core.scope import ADMINISTRATOR, FUND_SUPERVISOR, Scope
from hrss.insurance import access, rules
from hrss.insurance.models import Payment, PaymentFile
from hrss.insurance.selectors.payments import due_fen, paid_fen, payment_outcome
from hrss.registry import selectors as registry_selectors
from hrss.registry.services import id_number_index

MAX_FILE_BYTES = 50 * 1024 * 1024
COLUMNS = ("credit_code", "id_number", "period", "amount", "paid_on", "reference")


def _parse_rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("The file is not UTF-8 text."), fields={"file": "encoding"}) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("period", "amount", "paid_on") if c not in (reader.fieldnames or [])]
    if missing or not {"credit_code", "id_number"} & set(reader.fieldnames or []):
        raise InvalidInput(
            _("The file needs the columns %(columns)s.") % {"columns": ", ".join(COLUMNS)},
            fields={"file": ", ".join(missing) or "credit_code/id_number"},
        )
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _row_values(row: dict[str, str]) -> tuple[dt.date, int, dt.date]:
    period = rules.parse_period(row.get("period", ""))
    try:
        amount = Decimal(row.get("amount", ""))
    except InvalidOperation:
        raise InvalidInput(_("The amount is not a number."), fields={"amount": row.get("amount", "")}) from None
    try:
        paid_on = dt.date.fromisoformat(row.get("paid_on", ""))
    except ValueError:
        raise InvalidInput(_("The payment date is not a date."), fields={"paid_on": row.get("paid_on", "")}) from None
    if amount != amount.quantize(rules.CENT):
        raise InvalidInput(_("Amounts are in yuan with at most 2 decimals."), fields={"amount": str(amount)})
    return period, rules.to_fen(amount), paid_on


@transaction.atomic
def payment_file_post(*, scope: Scope, stream: BinaryIO, filename: str, source: str) -> PaymentFile:
    """Post a payment file once (the same bytes twice is a conflict) and report every difference."""
    if not (scope.has_role(ADMINISTRATOR, FUND_SUPERVISOR) or scope.has_role(*access.CASEWORKER_ROLES)):
        raise PermissionDenied()
    if source not in PaymentFile.Source.values:
        raise InvalidInput(fields={"source": source})
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(_("The file is too large."), fields={"file": "size"})
    digest = hashlib.sha256(data).hexdigest()
    if PaymentFile.objects.filter(sha256=digest).exists():
        raise Conflict(_("This file has been posted already."), fields={"file": filename})
    rows = _parse_rows(data)
    try:
        with transaction.atomic():
            posted = PaymentFile.objects.create(
                source=source, filename=filename[:255], sha256=digest, posted_by=scope.actor
            )
    except IntegrityError:
        # The same file posted at the same moment by someone else: theirs counts, once.
        raise Conflict(_("This file has been posted already."), fields={"file": filename}) from None

    # Resolve payers in bulk: employers by credit code, flexible workers by ID number.
    system = Scope.system(scope.actor)
    codes = {row["credit_code"].upper() for row in rows if row.get("credit_code")}
    employers = {
        e.credit_code: e.pk for e in registry_selectors.employer_queryset(scope=system).filter(credit_code__in=codes)
    }
    indexes: dict[str, str] = {}
    for row in rows:
        if row.get("id_number") and not row.get("credit_code"):
            try:
                indexes[row["id_number"]] = id_number_index(parse_id_number(row["id_number"]).value)
            except DomainError:
                continue
    persons = dict(
        registry_selectors.person_queryset(scope=system)
        .filter(id_number_index__in=set(indexes.values()))
        .values_list("id_number_index", "pk")
    )

    outstanding: dict[tuple[str, uuid.UUID, dt.date], int] = {}
    payments: list[Payment] = []
    report: list[dict[str, Any]] = []
    counts: dict[str, int] = defaultdict(int)
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            period, amount, paid_on = _row_values(row)
            if row.get("credit_code"):
                code = parse_credit_code(row["credit_code"]).value
                payer: tuple[str, uuid.UUID | None] = ("employer", employers.get(code))
                shown = code
            elif row.get("id_number"):
                parsed = parse_id_number(row["id_number"]).value
                payer = ("person", persons.get(indexes.get(row["id_number"], "")))
                shown = mask_id_number(parsed)
            else:
                raise InvalidInput(_("Each row names an employer or a person."), fields={"payer": ""})
        except DomainError as error:
            counts["invalid"] += 1
            report.append(
                {"row": number, "outcome": "invalid", "message": str(error.message), **error.as_dict()["fields"]}
            )
            continue
        kind, payer_id = payer
        if payer_id is None:
            counts["unmatched"] += 1
            report.append({"row": number, "outcome": "unknown_payer", "payer": shown, "message": _("No such payer.")})
            continue
        key = (kind, payer_id, period)
        if key not in outstanding:
            filters = {"employer_id": payer_id} if kind == "employer" else {"person_id": payer_id}
            outstanding[key] = due_fen(period=period, **filters) - paid_fen(period=period, **filters)
        due_before = outstanding[key]
        outcome = payment_outcome(kind=kind, payer_id=payer_id, period=period, amount=amount, due_before=due_before)
        outstanding[key] = due_before - amount
        payments.append(
            Payment(
                file=posted,
                row_number=number,
                employer_id=payer_id if kind == "employer" else None,
                person_id=payer_id if kind == "person" else None,
                period=period,
                amount_fen=amount,
                paid_on=paid_on,
                reference=row.get("reference", "")[:100],
                outcome=outcome,
                due_fen=due_before,
                difference_fen=amount - due_before,
            )
        )
        if outcome == Payment.Outcome.MATCHED:
            counts["matched"] += 1
        else:
            counts["different"] += 1
            report.append(difference_row(payments[-1], shown=shown))
    Payment.objects.bulk_create(payments, batch_size=2000)
    posted.rows_total = len(rows)
    posted.rows_matched = counts["matched"]
    posted.rows_different = counts["different"]
    posted.rows_unmatched = counts["unmatched"]
    posted.rows_invalid = counts["invalid"]
    posted.report = report
    posted.save()
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.payments.post",
        object_type="payment_file",
        object_id=str(posted.pk),
        detail={"filename": filename, "rows": len(rows), **counts},
    )
    from hrss.insurance.services.accounts import account_credit_period

    by_period: dict[dt.date, tuple[set[uuid.UUID], set[uuid.UUID]]] = defaultdict(lambda: (set(), set()))
    for payment in payments:
        employers_paid, persons_paid = by_period[payment.period]
        if payment.employer_id:
            employers_paid.add(payment.employer_id)
        elif payment.person_id:
            persons_paid.add(payment.person_id)
    for period, (employer_ids, person_ids) in by_period.items():
        account_credit_period(period=period, employer_ids=sorted(employer_ids), person_ids=sorted(person_ids))
    return posted


def difference_row(payment: Payment, *, shown: str) -> dict[str, Any]:
    """A payment that does not match, as a line of its file's report (``shown``: the payer, masked)."""
    return {
        "row": payment.row_number,
        "outcome": str(payment.outcome),
        "payer": shown,
        "period": f"{payment.period:%Y-%m}",
        "amount": str(rules.from_fen(payment.amount_fen)),
        "due": str(rules.from_fen(payment.due_fen)),
        "difference": str(rules.from_fen(payment.difference_fen)),
    }
