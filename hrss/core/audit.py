"""The tamper-evident audit chain (X1): append inside the caller's transaction, verify later."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from hrss.core.models import AuditEntry

GENESIS = "0" * 64
# PostgreSQL transaction-level advisory lock key that serialises appends ("hrss" in ASCII).
_PG_LOCK_KEY = 0x68727373


def _canonical(entry: AuditEntry) -> bytes:
    body = {
        "seq": entry.seq,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "actor_role": entry.actor_role,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "purpose": entry.purpose,
        "detail": entry.detail,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\x1f" + _canonical(entry)).hexdigest()


def audit_record(
    *,
    actor: str,
    action: str,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    actor_role: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction.

    If the caller's transaction rolls back, the entry goes with it: the log records what
    happened, never what was only attempted. Appends are serialised (an advisory lock on
    PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers) so the chain
    never forks.
    """
    # savepoint=False: the entry commits or rolls back with the caller's change, never
    # apart from it, so a savepoint per entry (on every audited read) buys nothing.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        prev_seq, prev_hash = last if last else (0, GENESIS)
        entry = AuditEntry(
            seq=prev_seq + 1,
            at=timezone.now(),
            actor=actor[:150],
            actor_role=actor_role[:40],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            purpose=purpose[:200],
            detail=json.loads(json.dumps(detail or {}, default=str)),
            prev_hash=prev_hash,
        )
        entry.hash = entry_hash(entry, prev_hash)
        entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    broken_seq: int | None = None
    reason: str = ""
    head: str = GENESIS


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain in order and name the first broken link, if any."""
    return verify_entries(AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size))


def verify_entries(entries: Iterable[AuditEntry]) -> ChainReport:
    """Verify a chain given its entries in ``seq`` order (from this database or a restored one)."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainReport(checked, False, expected_seq, f"entry {expected_seq} is missing", prev_hash)
        if entry.prev_hash != prev_hash:
            return ChainReport(checked, False, entry.seq, "previous-hash link does not match", prev_hash)
        if entry_hash(entry, prev_hash) != entry.hash:
            return ChainReport(checked, False, entry.seq, "entry content does not match its hash", prev_hash)
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    return ChainReport(checked, True, head=prev_hash)
