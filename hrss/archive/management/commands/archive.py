from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrss.archive import scans
from hrss.core import scope as roles
from hrss.core.errors import DomainError
from hrss.core.scope import Scope


class Command(BaseCommand):
    help = (
        "Digitised paper archives: `hrss archive import-scans --manifest FOLDER/manifest.csv` takes in the "
        "scans a manifest lists (file,id_number,doc_type,title,doc_date[,pages]) and writes a row report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        intake = sub.add_parser("import-scans", help="take in a folder of scans with its manifest CSV")
        intake.add_argument("--manifest", type=Path, required=True)
        intake.add_argument("--folder", type=Path, help="where the files are (default: the manifest's folder)")
        intake.add_argument("--report", type=Path, help="where to write the report (default MANIFEST.report.csv)")
        intake.add_argument("--actor", default="archive-import")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest: Path = options["manifest"]
        if not manifest.is_file():
            raise CommandError(f"no such file: {manifest}")
        folder = options["folder"] or manifest.parent
        scope = Scope(actor=options["actor"], roles=frozenset({roles.ADMINISTRATOR}), districts=None)
        with manifest.open(encoding="utf-8-sig", newline="") as handle:
            try:
                rows = scans.scans_import(scope=scope, folder=folder, manifest=handle, source=manifest.name)
            except DomainError as error:
                raise CommandError(f"{error.code}: {error.message}") from error
        report = options["report"] or manifest.with_suffix(".report.csv")
        scans.write_report(rows, report)
        counts = {
            outcome: sum(1 for r in rows if r.outcome == outcome) for outcome in ("added", "already_kept", "invalid")
        }
        self.stdout.write(
            f"{len(rows)} rows: {counts['added']} added, {counts['already_kept']} already kept, {counts['invalid']} invalid"
        )
        self.stdout.write(f"report: {report}")
