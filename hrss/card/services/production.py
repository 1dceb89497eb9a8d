"""制卡: batch files for the card factory — personalisation data out, results back in (A5).

``production_batch_create`` takes every card waiting in ``applied`` (oldest first), gives
each a card number and a validity date, writes the personalisation file (CSV or JSON) and
moves the cards to ``in_production``, all in one transaction. ``production_batches_send``
is the daily job around it (``hrss card produce``, task ``card.tasks.production_batches_send``):
every application made since the last run, at the counter, online or through the service
hall's 社保卡申领, goes to the factory in that day's batch; a run with nothing waiting
writes nothing. The factory answers with a
results file (one row per card: ``ok`` with the chip serial, or ``failed`` with a reason);
``production_results_apply`` moves made cards on and puts failed ones back in the queue
(their number is released: a new card gets a new number).

The personalisation file holds ID numbers and names in clear because the factory prints
them on the card face: it is written readable by its owner only, and carrying it to the
factory is the secured channel's business, outside hrss.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.card import rules
from hrss.card.events import CardStatusChanged
from hrss.card.models import Card, CardEvent, ProductionBatch
from hrss.card.rules import Action, CardStatus
from hrss.card.services.access import require_card_office
from hrss.card.services.lifecycle import card_valid_until
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput
from hrss.core.events import publish
from hrss.core.scope import Scope

PERSONALISATION_COLUMNS = (
    "batch",
    "card_number",
    "id_number",
    "name",
    "sex",
    "birth_date",
    "valid_until",
    "application_kind",
    "issuer_region",
)
RESULT_COLUMNS = ("batch", "card_number", "result", "chip_serial", "reason")
FORMATS = ("csv", "json")


def _unused_numbers(count: int) -> list[str]:
    """``count`` fresh card numbers: random, checked against the database and each other."""
    numbers: set[str] = set()
    while len(numbers) < count:
        candidates = {rules.card_number_generate() for _ in range(count - len(numbers))} - numbers
        taken = set(Card.objects.filter(number__in=candidates).values_list("number", flat=True))
        numbers |= candidates - taken
    return sorted(numbers)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    partial.replace(path)


def _render(rows: list[dict[str, str]], *, file_format: str, reference: str) -> bytes:
    if file_format == "json":
        return json.dumps({"batch": reference, "cards": rows}, ensure_ascii=False, indent=1).encode()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PERSONALISATION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


@transaction.atomic
def production_batch_create(
    *, scope: Scope, directory: Path, file_format: str = "csv", limit: int = 5000, issuer_region: str = ""
) -> ProductionBatch:
    """Send the waiting applications to the card factory as one personalisation file."""
    require_card_office(scope)
    if file_format not in FORMATS:
        raise InvalidInput(_("The file format is csv or json."), fields={"file_format": file_format})
    cards = list(
        Card.objects.select_for_update()
        .filter(status=CardStatus.APPLIED)
        .select_related("person")
        .order_by("applied_at", "id")[: max(1, limit)]
    )
    if not cards:
        raise Conflict(_("No card applications are waiting for production."), code="card_nothing_to_produce")
    now = timezone.now()
    reference = f"CP{now:%Y%m%d%H%M%S}{secrets.token_hex(2).upper()}"
    valid_until = card_valid_until(on=now.date())
    batch = ProductionBatch(
        reference=reference, file_format=file_format, created_by=scope.actor, cards_total=len(cards)
    )
    rows: list[dict[str, str]] = []
    for card, number in zip(cards, _unused_numbers(len(cards)), strict=True):
        assert rules.transition(card.status, Action.SEND_TO_PRODUCTION) == CardStatus.IN_PRODUCTION
        card.number, card.status, card.batch, card.valid_until = number, CardStatus.IN_PRODUCTION, batch, valid_until
        rows.append(
            {
                "batch": reference,
                "card_number": number,
                "id_number": card.person.id_number,
                "name": card.person.name,
                "sex": card.person.sex,
                "birth_date": card.person.birth_date.isoformat(),
                "valid_until": valid_until.isoformat(),
                "application_kind": card.kind,
                "issuer_region": issuer_region,
            }
        )
    data = _render(rows, file_format=file_format, reference=reference)
    path = Path(directory) / f"{reference}.{file_format}"
    batch.filename, batch.sha256 = str(path), hashlib.sha256(data).hexdigest()
    batch.save()
    Card.objects.bulk_update(cards, ["number", "status", "batch", "valid_until", "updated_at"])
    CardEvent.objects.bulk_create(
        CardEvent(
            card=card,
            action=Action.SEND_TO_PRODUCTION.value,
            from_status=CardStatus.APPLIED,
            to_status=CardStatus.IN_PRODUCTION,
            at=now,
            actor=scope.actor,
            note=reference,
        )
        for card in cards
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="card.production_batch_create",
        object_type="production_batch",
        object_id=str(batch.pk),
        detail={"reference": reference, "cards": len(cards), "sha256": batch.sha256, "format": file_format},
    )
    # Written last: if anything above fails, no file claims cards that are not in production.
    _write_atomically(path, data)
    return batch


def factory_directory() -> Path:
    """Where personalisation files are written for the factory to pick up:
    ``settings.HRSS_CARD_FACTORY_DIR`` when a deployment sets it, else ``var/card-factory``."""
    configured = getattr(settings, "HRSS_CARD_FACTORY_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "card-factory"


def production_batches_send(
    *, directory: Path | None = None, file_format: str = "csv", limit: int = 5000
) -> list[ProductionBatch]:
    """The daily job: send every waiting application to the factory, in batches of ``limit``.

    Idempotent: a card leaves ``applied`` in the same transaction as its batch is written, so
    a second run (or one after downtime) finds only the applications made since.
    """
    scope = Scope.system("card")
    batches: list[ProductionBatch] = []
    while Card.objects.filter(status=CardStatus.APPLIED).exists():
        try:
            batch = production_batch_create(
                scope=scope, directory=directory or factory_directory(), file_format=file_format, limit=limit
            )
        except Conflict as error:
            if error.code == "card_nothing_to_produce":  # another run took them meanwhile
                break
            raise
        batches.append(batch)
    return batches


def _result_rows(data: bytes, filename: str) -> Iterable[dict[str, str]]:
    text = data.decode("utf-8-sig")
    if filename.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        try:
            parsed: Any = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(_("The results file is not valid JSON."), fields={"file": str(error)}) from error
        items = parsed.get("cards", []) if isinstance(parsed, dict) else parsed
        batch = parsed.get("batch", "") if isinstance(parsed, dict) else ""
        if not isinstance(items, list):
            raise InvalidInput(_("The results file has no list of cards."))
        return [
            {
                column: str(item.get(column, batch if column == "batch" else "") or "").strip()
                for column in RESULT_COLUMNS
            }
            for item in items
            if isinstance(item, dict)
        ]
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in ("batch", "card_number", "result") if column not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(
            _("The results file lacks the columns %(columns)s.") % {"columns": ", ".join(missing)},
            fields={"file": filename},
        )
    return [{column: (row.get(column) or "").strip() for column in RESULT_COLUMNS} for row in reader]


@transaction.atomic
def production_results_apply(*, scope: Scope, data: bytes, filename: str) -> ProductionBatch:
    """Take in the factory's results file for one batch. Re-applying the same file changes nothing."""
    require_card_office(scope)
    rows = list(_result_rows(data, filename))
    references = {row["batch"] for row in rows}
    if len(references) != 1:
        raise InvalidInput(
            _("A results file answers exactly one batch."), fields={"batch": ", ".join(sorted(references))}
        )
    reference = references.pop()
    batch = ProductionBatch.objects.select_for_update().filter(reference=reference).first()
    if batch is None:
        raise InvalidInput(_("No production batch has this reference."), fields={"batch": reference})
    cards = {
        card.number: card
        for card in Card.objects.select_for_update().filter(batch=batch, status=CardStatus.IN_PRODUCTION)
    }
    now, report = timezone.now(), list(batch.result_report)
    made, failed, events = [], [], []
    for line, row in enumerate(rows, start=2):
        number, result = rules.card_number_normalise(row["card_number"]), row["result"].lower()
        card = cards.pop(number, None)
        problem = (
            "unknown result (use ok or failed)"
            if result not in ("ok", "failed")
            else "not a card of this batch waiting for a result"
            if card is None
            else ""
        )
        if problem or card is None:
            report.append({"line": line, "card_number": number, "problem": problem})
            continue
        if result == "ok":
            card.status, card.chip_serial = CardStatus.MADE, row["chip_serial"][:40]
            made.append(card)
            action = Action.PRODUCTION_SUCCEEDED
        else:
            card.status, card.number, card.batch, card.valid_until = CardStatus.APPLIED, None, None, None
            failed.append(card)
            action = Action.PRODUCTION_FAILED
            report.append({"line": line, "card_number": number, "problem": f"failed: {row['reason'][:120]}"})
        events.append(
            CardEvent(
                card=card,
                action=action.value,
                from_status=CardStatus.IN_PRODUCTION,
                to_status=card.status,
                at=now,
                actor=scope.actor,
                note=(row["reason"] or reference)[:200],
            )
        )
    Card.objects.bulk_update(made, ["status", "chip_serial", "updated_at"])
    Card.objects.bulk_update(failed, ["status", "number", "batch", "valid_until", "updated_at"])
    CardEvent.objects.bulk_create(events)
    batch.cards_made += len(made)
    batch.cards_failed += len(failed)
    batch.result_filename, batch.result_report = filename[:255], report
    if not Card.objects.filter(batch=batch, status=CardStatus.IN_PRODUCTION).exists():
        batch.status, batch.returned_at = ProductionBatch.Status.RETURNED, now
    batch.save()
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="card.production_results_apply",
        object_type="production_batch",
        object_id=str(batch.pk),
        detail={
            "reference": reference,
            "made": len(made),
            "failed": len(failed),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )
    for card in made:
        publish(
            CardStatusChanged(
                card_id=card.pk,
                person_id=card.person_id,
                action=Action.PRODUCTION_SUCCEEDED.value,
                from_status=CardStatus.IN_PRODUCTION,
                to_status=CardStatus.MADE,
            )
        )
    return batch


def factory_results_simulate(personalisation: bytes, *, fail_every: int = 0) -> bytes:
    """What a card factory would send back for a personalisation file (development and demos)."""
    text = personalisation.decode("utf-8-sig")
    if text.lstrip().startswith("{"):
        parsed = json.loads(text)
        rows = [{"batch": parsed["batch"], **card} for card in parsed["cards"]]
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=RESULT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for index, row in enumerate(rows, start=1):
        fails = bool(fail_every) and index % fail_every == 0
        writer.writerow(
            {
                "batch": row["batch"],
                "card_number": row["card_number"],
                "result": "failed" if fails else "ok",
                "chip_serial": ""
                if fails
                else f"ATR{hashlib.sha256(row['card_number'].encode()).hexdigest()[:16].upper()}",
                "reason": "chip personalisation error" if fails else "",
            }
        )
    return buffer.getvalue().encode()
