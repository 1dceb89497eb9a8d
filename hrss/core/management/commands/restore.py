from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrss.core.backup import backup_restore
from hrss.core.errors import DomainError


class Command(BaseCommand):
    help = "Restore a backup folder into a new database and verify row counts and the audit chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path)
        parser.add_argument("--database-url", required=True, help="the new, empty database to restore into")
        parser.add_argument("--media-root", type=Path, help="where to unpack uploaded files")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["source"] / "manifest.json").exists():
            raise CommandError(f"{options['source']} is not a backup folder (no manifest.json)")
        try:
            report = backup_restore(
                source=options["source"], database_url=options["database_url"], media_root=options["media_root"]
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            f"restored into {report.database}: {report.tables_checked} tables match the backup; "
            f"audit chain verified ({report.audit_entries} entries, head {report.audit_head})"
        )
