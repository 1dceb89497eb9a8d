from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hrss.core.audit import audit_verify
from hrss.core.models import AuditCheckpoint


class Command(BaseCommand):
    help = "The audit chain: `hrss audit verify` walks it and names the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify every link of the chain")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if report.ok:
            if report.checked:
                # The verified head: /metrics reports the entries written after it.
                AuditCheckpoint.objects.create(seq=report.checked, hash=report.head, verified_at=timezone.now())
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} entries, head {report.head}"))
            return
        raise CommandError(
            f"audit chain broken at entry {report.broken_seq}: {report.reason} "
            f"({report.checked} entries verified before it)"
        )
