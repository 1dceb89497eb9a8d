from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hrss.core.audit import SEAL_BATCH, audit_seal, audit_verify
from hrss.core.models import AuditCheckpoint


class Command(BaseCommand):
    help = (
        "The audit log: `hrss audit seal` chains the entries appended since the last seal; "
        "`hrss audit verify` walks the sealed chain, names the first broken link and reports the unsealed tail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify every link of the sealed chain and report the unsealed tail")
        seal = sub.add_parser("seal", help="chain the unsealed entries (the scheduled job core.audit_seal does this)")
        seal.add_argument("--batch-size", type=int, default=SEAL_BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seal":
            sealed = audit_seal(batch_size=options["batch_size"])
            self.stdout.write(self.style.SUCCESS(f"sealed {sealed} audit entries"))
            return
        report = audit_verify()
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
