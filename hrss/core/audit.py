"""The tamper-evident audit log (X1): append without a lock, seal into a hash chain, verify.

Three parts, after Certificate Transparency logs (entries merged into the tree within a
maximum merge delay) and ledger databases' journals (a hash chain over committed blocks):

- **append** (``audit_record``): one INSERT in the caller's transaction. It reads nothing,
  so requests never wait on each other for the log. A write and its entry commit or roll
  back together. A read appends in autocommit (no transaction around the read), so its
  entry is committed before the answer leaves: a read that is served is never unaudited.
- **seal** (``audit_seal``): one sealer at a time per database (PostgreSQL advisory lock;
  SQLite's write lock) takes the unsealed entries it finds committed, in append order, and
  chains them in one transaction per batch: ``chain_seq`` and ``hash = SHA-256(prev_hash ||
  canonical(entry))``. A crash rolls the batch back, and the next run seals it again;
  running two sealers seals each entry once. An entry whose transaction commits after a
  later one was sealed takes the next place in the chain: the chain's order is the order
  the sealer saw entries committed.
- **verify** (``audit_verify``): walks the sealed chain and names the first missing,
  changed or reordered entry, and reports the unsealed tail and the age of its oldest
  entry; ``HRSS_AUDIT_SEAL_MAX_DELAY`` is the promise the tail's age is held to (the
  ``hrss_audit_unsealed_oldest_age_seconds`` metric, and the alert in docs/operations.md).
- **signed tree heads** (``AuditTreeHead``): after each batch the sealer signs the chain's
  new head (``chain_seq``, ``hash``, time) with the bureau's Ed25519 key, which lives in
  the environment, not the database. ``verify`` checks the stored heads against the chain;
  heads exported to an outside party (``audit_heads_export``) hold the log to what it was:
  whoever can rewrite the table can recompute every hash, but not sign a new head.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from hrss.core.models import AuditEntry, AuditTreeHead

GENESIS = "0" * 64
# PostgreSQL transaction-level advisory lock key that serialises sealers ("hrss" in ASCII).
_PG_LOCK_KEY = 0x68727373
SEAL_BATCH = 2000


def _canonical(entry: AuditEntry) -> bytes:
    body = {
        "seq": entry.chain_seq,
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
) -> None:
    """Append one entry: a single INSERT in the caller's transaction (or on its own, in
    autocommit), never reading the log. If the caller's transaction rolls back, the entry
    goes with it: the log records what happened, never what was only attempted.

    Every audited read comes here, so the INSERT is written once per process
    (``_insert_sql``) instead of compiled by the ORM on every call; the values still go
    through each field's own preparation for the database (dates, JSON)."""
    fields = _append_fields()
    values = {
        "at": timezone.now(),
        "actor": actor[:150],
        "actor_role": actor_role[:40],
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "purpose": purpose[:200],
        "detail": json.loads(json.dumps(detail or {}, default=str)),
        "prev_hash": "",
    }
    params = [field.get_db_prep_save(values[field.attname], connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.vendor), params)


_APPENDED = ("at", "actor", "actor_role", "action", "object_type", "object_id", "purpose", "detail", "prev_hash")


@functools.cache
def _append_fields() -> tuple[Field[Any, Any], ...]:
    return tuple(AuditEntry._meta.get_field(name) for name in _APPENDED)  # type: ignore[misc]


@functools.cache
def _insert_sql(vendor: str) -> str:
    """The append statement (``chain_seq`` and ``hash`` stay empty until the sealer runs)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.attname) for field in _append_fields())
    marks = ", ".join(["%s"] * len(_APPENDED))
    return f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - model metadata


def audit_seal(*, batch_size: int = SEAL_BATCH, max_batches: int | None = None) -> int:
    """Chain the unsealed committed entries, one transaction per batch; the number sealed."""
    sealed, batches = 0, 0
    while max_batches is None or batches < max_batches:
        count = _seal_batch(batch_size)
        sealed, batches = sealed + count, batches + 1
        if count < batch_size:
            break
    return sealed


def _seal_batch(batch_size: int) -> int:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        # On SQLite the transaction began IMMEDIATE (settings): it holds the write lock.
        head = (
            AuditEntry.objects.filter(chain_seq__isnull=False)
            .order_by("-chain_seq")
            .values_list("chain_seq", "hash")
            .first()
        )
        position: int = head[0] or 0 if head else 0
        prev_hash: str = head[1] or GENESIS if head else GENESIS
        pending = list(AuditEntry.objects.filter(chain_seq__isnull=True).order_by("seq")[:batch_size])
        for entry in pending:
            position += 1
            entry.chain_seq, entry.prev_hash = position, prev_hash
            entry.hash = prev_hash = entry_hash(entry, prev_hash)
        AuditEntry.objects.bulk_update(pending, ["chain_seq", "prev_hash", "hash"], batch_size=500)
        if pending:
            head_sign(chain_seq=position, head_hash=prev_hash)
    return len(pending)


# -- signed tree heads


@functools.cache
def _private_key(configured: str, secret: str) -> Ed25519PrivateKey:
    if configured:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(configured))
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"hrss audit tree heads").derive(secret.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


def signing_key() -> Ed25519PrivateKey:
    return _private_key(settings.HRSS_AUDIT_SIGNING_KEY, settings.SECRET_KEY)


def public_key_text(key: Ed25519PublicKey | None = None) -> str:
    """The verifying key, base64 of its 32 raw bytes: what an outside party keeps."""
    key = key or signing_key().public_key()
    return base64.b64encode(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


def key_id(public_text: str) -> str:
    return hashlib.sha256(base64.b64decode(public_text)).hexdigest()[:16]


def _head_message(chain_seq: int, head_hash: str, sealed_at: dt.datetime) -> bytes:
    stamp = sealed_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return f"hrss-audit-tree-head/1\n{chain_seq}\n{head_hash}\n{stamp}".encode()


def head_sign(*, chain_seq: int, head_hash: str) -> AuditTreeHead:
    """Sign and store the chain's head after a batch (in the sealer's transaction)."""
    sealed_at = timezone.now()
    signature = signing_key().sign(_head_message(chain_seq, head_hash, sealed_at))
    return AuditTreeHead.objects.create(
        chain_seq=chain_seq,
        hash=head_hash,
        sealed_at=sealed_at,
        key_id=key_id(public_key_text()),
        signature=base64.b64encode(signature).decode(),
    )


def audit_heads_export(*, since: int = 0) -> dict[str, Any]:
    """The signed heads after ``since``, with the key that verifies them (JSON-ready)."""
    public = public_key_text()
    heads = AuditTreeHead.objects.filter(chain_seq__gt=since).order_by("chain_seq")
    return {
        "format": "hrss-audit-heads/1",
        "public_key": public,
        "key_id": key_id(public),
        "heads": [
            {
                "chain_seq": head.chain_seq,
                "hash": head.hash,
                "sealed_at": head.sealed_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
                "signature": head.signature,
            }
            for head in heads
        ],
    }


@dataclass(frozen=True)
class HeadsReport:
    checked: int
    ok: bool
    broken_seq: int | None = None
    reason: str = ""
    other_keys: int = 0  # heads signed by a key other than the one given (not checked)


def verify_heads(heads: Iterable[dict[str, Any]], *, public_key: str) -> HeadsReport:
    """Hold the chain to signed heads: each signature must verify with ``public_key`` and
    the chain must hold, at each head's ``chain_seq``, the hash the head names."""
    verifier = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    wanted = key_id(public_key)
    checked, others = 0, 0
    rows = list(heads)
    hashes_by_seq = dict(
        AuditEntry.objects.filter(chain_seq__in=[int(h["chain_seq"]) for h in rows]).values_list("chain_seq", "hash")
    )
    for head in sorted(rows, key=lambda h: int(h["chain_seq"])):
        if head.get("key_id", wanted) != wanted:
            others += 1
            continue
        seq = int(head["chain_seq"])
        sealed_at = (
            dt.datetime.fromisoformat(head["sealed_at"]) if isinstance(head["sealed_at"], str) else head["sealed_at"]
        )
        try:
            verifier.verify(base64.b64decode(head["signature"]), _head_message(seq, head["hash"], sealed_at))
        except (InvalidSignature, ValueError):
            return HeadsReport(checked, False, seq, "the tree head's signature does not verify", others)
        if seq not in hashes_by_seq:
            return HeadsReport(checked, False, seq, "the entry a signed tree head names is missing", others)
        if hashes_by_seq[seq] != head["hash"]:
            return HeadsReport(checked, False, seq, "the chain differs from its signed tree head", others)
        checked += 1
    return HeadsReport(checked, True, other_keys=others)


def verify_stored_heads() -> HeadsReport:
    """The heads in this database, held to the chain with the current key."""
    heads = [
        {
            "chain_seq": h.chain_seq,
            "hash": h.hash,
            "sealed_at": h.sealed_at,
            "signature": h.signature,
            "key_id": h.key_id,
        }
        for h in AuditTreeHead.objects.order_by("chain_seq")
    ]
    return verify_heads(heads, public_key=public_key_text())


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    broken_seq: int | None = None
    reason: str = ""
    head: str = GENESIS
    unsealed: int = 0
    oldest_unsealed_at: dt.datetime | None = None

    @property
    def unsealed_age_seconds(self) -> float:
        if self.oldest_unsealed_at is None:
            return 0.0
        return max(0.0, (timezone.now() - self.oldest_unsealed_at).total_seconds())

    @property
    def seal_overdue(self) -> bool:
        """The oldest unsealed entry is older than the promised maximum seal delay."""
        return self.unsealed_age_seconds > settings.HRSS_AUDIT_SEAL_MAX_DELAY


def unsealed_tail() -> tuple[int, dt.datetime | None]:
    """How many entries wait for the sealer, and when the oldest of them was appended."""
    tail = AuditEntry.objects.filter(chain_seq__isnull=True)
    oldest = tail.order_by("seq").values_list("at", flat=True).first()
    return tail.count(), oldest


def verify_chain_only(*, batch_size: int = 5000) -> ChainReport:
    """The sealed chain's links alone (no heads, no tail)."""
    return verify_entries(
        AuditEntry.objects.filter(chain_seq__isnull=False).order_by("chain_seq").iterator(chunk_size=batch_size)
    )


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the sealed chain in order, name the first broken link, hold the chain to its
    signed heads, and report the unsealed tail."""
    report = verify_chain_only(batch_size=batch_size)
    count, oldest = unsealed_tail()
    if report.ok:
        heads = verify_stored_heads()
        if not heads.ok:
            return ChainReport(report.checked, False, heads.broken_seq, heads.reason, report.head, count, oldest)
    return ChainReport(report.checked, report.ok, report.broken_seq, report.reason, report.head, count, oldest)


def verify_entries(entries: Iterable[AuditEntry]) -> ChainReport:
    """Verify a sealed chain given its entries in ``chain_seq`` order (from this database or a restored one)."""
    prev_hash, expected, checked = GENESIS, 1, 0
    for entry in entries:
        if entry.chain_seq != expected:
            if entry.chain_seq is not None and entry.chain_seq > expected:
                return ChainReport(checked, False, expected, f"entry {expected} is missing", prev_hash)
            return ChainReport(checked, False, entry.chain_seq, "entry is out of order", prev_hash)
        if entry.prev_hash != prev_hash:
            return ChainReport(checked, False, entry.chain_seq, "previous-hash link does not match", prev_hash)
        if entry_hash(entry, prev_hash) != entry.hash:
            return ChainReport(checked, False, entry.chain_seq, "entry content does not match its hash", prev_hash)
        prev_hash, expected, checked = entry.hash, expected + 1, checked + 1
    return ChainReport(checked, True, head=prev_hash)
