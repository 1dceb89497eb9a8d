from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hrss.core.audit import (
    SEAL_BATCH,
    audit_heads_export,
    audit_seal,
    audit_verify,
    key_id,
    public_key_text,
    verify_heads,
)
from hrss.core.models import AuditCheckpoint


class Command(BaseCommand):
    help = (
        "The audit log: `hrss audit seal` chains the entries appended since the last seal; "
        "`hrss audit verify` walks the sealed chain, names the first broken link and reports the unsealed tail; "
        "`hrss audit heads` exports the signed tree heads; `hrss audit key` shows or makes the signing key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify every link of the sealed chain and report the unsealed tail")
        verify.add_argument(
            "--heads", type=Path, help="also hold the chain to signed tree heads exported earlier (`hrss audit heads`)"
        )
        heads = sub.add_parser("heads", help="export the signed tree heads (JSON) for a party outside the database")
        heads.add_argument("--since", type=int, default=0, help="only heads after this chain position")
        heads.add_argument("--output", type=Path, help="write here instead of standard output")
        key = sub.add_parser("key", help="show the verifying key of the tree heads, or make a new signing key")
        key.add_argument("--new", action="store_true", help="print a new HRSS_AUDIT_SIGNING_KEY and its public key")
        seal = sub.add_parser("seal", help="chain the unsealed entries (the scheduled job core.audit_seal does this)")
        seal.add_argument("--batch-size", type=int, default=SEAL_BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seal":
            sealed = audit_seal(batch_size=options["batch_size"])
            self.stdout.write(self.style.SUCCESS(f"sealed {sealed} audit entries"))
            return
        if options["action"] == "heads":
            document = json.dumps(audit_heads_export(since=options["since"]), indent=1)
            if options["output"]:
                options["output"].write_text(document + "\n")
                self.stdout.write(f"written: {options['output']}")
            else:
                self.stdout.write(document)
            return
        if options["action"] == "key":
            self._key(new=options["new"])
            return
        report = audit_verify()
        if report.ok and options.get("heads"):
            self._held_to(options["heads"])
        if report.ok:
            if report.checked:
                # The verified head: /metrics reports the entries sealed after it.
                AuditCheckpoint.objects.create(seq=report.checked, hash=report.head, verified_at=timezone.now())
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} entries, head {report.head}"))
            tail = f"unsealed: {report.unsealed} entries"
            if report.oldest_unsealed_at is not None:
                tail += f", the oldest {report.unsealed_age_seconds:.0f} s old"
            if report.seal_overdue:
                self.stdout.write(
                    self.style.WARNING(tail + " - older than HRSS_AUDIT_SEAL_MAX_DELAY: is the sealer running?")
                )
            else:
                self.stdout.write(tail)
            return
        raise CommandError(
            f"audit chain broken at entry {report.broken_seq}: {report.reason} "
            f"({report.checked} entries verified before it)"
        )

    def _held_to(self, path: Path) -> None:
        try:
            document = json.loads(path.read_text())
            heads, public = document["heads"], document["public_key"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{path}: not an export of `hrss audit heads` ({error})") from error
        held = verify_heads(heads, public_key=public)
        if not held.ok:
            raise CommandError(
                f"audit chain broken at entry {held.broken_seq}: {held.reason} "
                f"({held.checked} signed heads of {path} held before it)"
            )
        self.stdout.write(self.style.SUCCESS(f"the chain holds the {held.checked} signed heads of {path}"))

    def _key(self, *, new: bool) -> None:
        if not new:
            public = public_key_text()
            self.stdout.write(f"public key {public} (key id {key_id(public)})")
            return
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        seed = os.urandom(32)
        public = public_key_text(Ed25519PrivateKey.from_private_bytes(seed).public_key())
        self.stdout.write(f"HRSS_AUDIT_SIGNING_KEY={base64.b64encode(seed).decode()}")
        self.stdout.write(f"public key {public} (key id {key_id(public)})")
