"""`hrss card ...`: card production files, loss-report lapsing, reconciliation, coverage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from hrss.card import selectors, services
from hrss.core.errors import DomainError
from hrss.core.scope import Scope


class Command(BaseCommand):
    help = (
        "Card operations: `produce --dir DIR`, `results FILE`, `factory-simulate FILE`, `lapse-losses`, "
        "`reconcile --gateway bank --date YYYY-MM-DD FILE`, `coverage`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        produce = sub.add_parser("produce", help="write the personalisation file for the waiting applications")
        produce.add_argument(
            "--dir",
            type=Path,
            help="where the factory picks files up (default HRSS_CARD_FACTORY_DIR, var/card-factory)",
        )
        produce.add_argument("--format", choices=services.FORMATS, default="csv")
        produce.add_argument("--limit", type=int, default=5000)
        results = sub.add_parser("results", help="take in the factory's results file")
        results.add_argument("file", type=Path)
        simulate = sub.add_parser(
            "factory-simulate", help="development: answer a personalisation file as a factory would"
        )
        simulate.add_argument("file", type=Path)
        simulate.add_argument("--out", type=Path)
        simulate.add_argument("--fail-every", type=int, default=0)
        sub.add_parser("lapse-losses", help="let temporary loss reports that have run their course lapse (daily)")
        rec = sub.add_parser("reconcile", help="reconcile a day's paid orders against a bank statement CSV")
        rec.add_argument("file", type=Path)
        rec.add_argument("--gateway", required=True)
        rec.add_argument("--date", type=dt.date.fromisoformat, required=True)
        rec.add_argument("--report", type=Path, help="where to write the report (default FILE.report.csv)")
        sub.add_parser("coverage", help="issued and active cards as a share of the population, by district")

    def handle(self, *args: Any, **options: Any) -> None:
        scope = Scope.system("cli")
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(scope, options)
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message} {error.as_dict()['fields']}") from error

    def _produce(self, scope: Scope, options: dict[str, Any]) -> None:
        # The daily job: every waiting application, nothing written when none is waiting.
        batches = services.production_batches_send(
            directory=options["dir"], file_format=options["format"], limit=options["limit"]
        )
        for batch in batches:
            self.stdout.write(f"batch {batch.reference}: {batch.cards_total} cards → {batch.filename}")
        if not batches:
            self.stdout.write("no card applications are waiting for production")

    def _results(self, scope: Scope, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        batch = services.production_results_apply(scope=scope, data=path.read_bytes(), filename=path.name)
        self.stdout.write(
            f"batch {batch.reference}: {batch.cards_made} made, {batch.cards_failed} failed, status {batch.status}"
        )
        for entry in batch.result_report:
            self.stdout.write(f"  line {entry['line']} {entry['card_number']}: {entry['problem']}")

    def _factory_simulate(self, scope: Scope, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        out: Path = options["out"] or path.with_name(path.stem + ".results.csv")
        out.write_bytes(services.factory_results_simulate(path.read_bytes(), fail_every=options["fail_every"]))
        self.stdout.write(f"results: {out}")

    def _lapse_losses(self, scope: Scope, options: dict[str, Any]) -> None:
        self.stdout.write(f"{services.temporary_losses_lapse()} temporary loss reports lapsed")

    def _reconcile(self, scope: Scope, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        run = services.reconciliation_run(
            scope=scope,
            gateway_name=options["gateway"],
            statement_date=options["date"],
            data=path.read_bytes(),
            filename=path.name,
        )
        report: Path = options["report"] or path.with_suffix(".report.csv")
        report.write_bytes(selectors.reconciliation_report_csv(run))
        verdict = "balanced" if run.balanced else "DIFFERENCES"
        self.stdout.write(
            f"{run.gateway} {run.statement_date}: {verdict} — {run.matched} matched, {run.missing} missing, "
            f"{run.extra} extra, {run.amount_mismatch} amount differences; report: {report}"
        )

    def _coverage(self, scope: Scope, options: dict[str, Any]) -> None:
        coverage = selectors.coverage_by_district(scope=scope)
        table = Table(title=f"Card coverage on {coverage.on} (goal {coverage.goal:.0%})")
        for column in ("district", "population", "issued", "active", "issued %", "active %"):
            table.add_column(column, justify="left" if column == "district" else "right")
        for row in [*coverage.rows, coverage.total]:
            table.add_row(
                f"{row.district} {row.name}".strip(),
                str(row.population),
                str(row.issued),
                str(row.active),
                f"{row.issued_share:.1%}",
                f"{row.active_share:.1%}",
            )
        Console(file=self.stdout, width=100).print(table)  # type: ignore[arg-type]  # OutputWrapper writes like a file
