from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import Progress

from hrss.core.errors import DomainError
from hrss.registry.importer import registry_import, write_report
from hrss.registry.models import ImportBatch, Source


class Command(BaseCommand):
    help = "Registry intake: `hrss registry import --source public_security [--kind persons] FILE.csv`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        intake = sub.add_parser("import", help="validate and apply a CSV file from another department")
        intake.add_argument("file", type=Path)
        intake.add_argument("--source", required=True, choices=Source.values)
        intake.add_argument("--kind", default=ImportBatch.Kind.PERSONS, choices=ImportBatch.Kind.values)
        intake.add_argument("--report", type=Path, help="where to write the row-level report (default FILE.report.csv)")
        intake.add_argument("--batch-size", type=int, default=500)
        intake.add_argument("--actor", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        with Progress(transient=True) as progress, path.open("rb") as stream:
            task = progress.add_task(f"importing {path.name}", total=None)
            try:
                batch = registry_import(
                    stream=stream,
                    filename=path.name,
                    kind=options["kind"],
                    source=options["source"],
                    actor=options["actor"],
                    batch_size=options["batch_size"],
                    progress=lambda done: progress.update(task, completed=done),
                )
            except DomainError as error:
                raise CommandError(f"{error.code}: {error.message} {error.as_dict()['fields']}") from error
        report_path = options["report"] or path.with_suffix(".report.csv")
        write_report(batch, report_path)
        self.stdout.write(
            f"{batch.rows_total} rows: {batch.rows_created} created, {batch.rows_updated} updated, "
            f"{batch.rows_unchanged} unchanged, {batch.rows_conflict} sent to review, {batch.rows_invalid} invalid"
        )
        self.stdout.write(f"report: {report_path}")
