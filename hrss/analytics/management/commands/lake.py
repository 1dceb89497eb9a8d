"""``hrss lake export [--table NAME] [--rebuild]``: bring the de-identified analytics lake up
to date (hrss.analytics.lake); ``hrss lake tables`` lists what the apps declare."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hrss.analytics import lake
from hrss.core.errors import DomainError


class Command(BaseCommand):
    help = "Export the de-identified analytics lake (incremental), or list its tables."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["export", "tables"])
        parser.add_argument("--table", action="append", help="only this table (repeatable)")
        parser.add_argument("--rebuild", action="store_true", help="start the lake over (a new pseudonym key)")
        parser.add_argument("--batch-size", type=int, default=50_000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "tables":
            for name, table in sorted(lake.tables().items()):
                kind = "fact" if table.watermark else "dimension"
                self.stdout.write(f"{name:16} {kind:9} {table.description}")
            return
        unknown = set(options["table"] or ()) - set(lake.tables())
        if unknown:
            raise CommandError(f"no such lake table: {', '.join(sorted(unknown))}")
        try:
            results = lake.export(only=options["table"], batch_size=options["batch_size"], rebuild=options["rebuild"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        root = lake.lake_root()
        for result in results:
            state = "unchanged" if result.skipped else f"{result.rows} rows in {result.files} files"
            self.stdout.write(f"{result.name:16} {state}")
        self.stdout.write(f"lake: {root}")
