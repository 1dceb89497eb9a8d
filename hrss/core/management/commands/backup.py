from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hrss.core.backup import backup_create
from hrss.core.errors import DomainError


class Command(BaseCommand):
    help = "Back up the database, uploaded files and the audit-chain head into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", nargs="?", type=Path, help="folder to create (default var/backups/<timestamp>)")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        target = options["target"] or Path(settings.VAR_DIR) / "backups" / timezone.now().strftime("%Y%m%dT%H%M%S")
        try:
            manifest = backup_create(target=target)
        except (DomainError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"backup written to {target}: {len(manifest['tables'])} tables, {rows} rows, "
            f"audit chain {manifest['audit_entries']} entries, head {manifest['audit_head']}"
        )
