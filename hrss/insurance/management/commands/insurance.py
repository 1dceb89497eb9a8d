"""``hrss insurance ...``: the monthly and yearly batches of social insurance.

hrss insurance assess --period 2025-03 [--chunks 64] [--recheck]
hrss insurance credit --period 2025-03          # personal accounts of paid months
hrss insurance interest --year 2024             # yearly account interest
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.insurance import rules
from hrss.insurance.services import assessment


class Command(BaseCommand):
    help = "Social insurance batches: assess, credit, interest, payments."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        assess = sub.add_parser("assess", help="征缴核定: assess every insured person and employer for a month")
        assess.add_argument("--period", required=True, help="YYYY-MM")
        assess.add_argument("--chunks", type=int, default=None, help="transactions per run (default: by size)")
        assess.add_argument("--recheck", action="store_true", help="walk a completed month again (late enrolments)")
        credit = sub.add_parser("credit", help="credit personal accounts for the paid contributions of a month")
        credit.add_argument("--period", required=True, help="YYYY-MM")
        interest = sub.add_parser("interest", help="credit a year's interest to every personal account")
        interest.add_argument("--year", type=int, required=True)
        payments = sub.add_parser("payments", help="post a bank or tax file of contribution payments")
        payments.add_argument("file", type=Path)
        payments.add_argument("--source", required=True, choices=["bank", "tax", "online"])
        for action in (assess, credit, interest, payments):
            action.add_argument("--actor", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message} {error.as_dict()['fields']}") from error

    def _assess(self, options: dict[str, Any]) -> None:
        period = rules.parse_period(options["period"])
        started = time.monotonic()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=True) as progress:
            task = progress.add_task(f"assessing {period:%Y-%m}", total=options["chunks"])
            run = assessment.contribution_assess_month(
                period=period,
                actor=options["actor"],
                chunks=options["chunks"],
                recheck=options["recheck"],
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        self.stdout.write(
            f"{period:%Y-%m}: {run.status}, {run.lines_inserted} lines in {run.chunks_done}/{run.chunks_total} chunks "
            f"(attempt {run.attempts}, {time.monotonic() - started:.1f} s)"
        )

    def _credit(self, options: dict[str, Any]) -> None:
        from hrss.insurance.services.accounts import account_credit_period

        period = rules.parse_period(options["period"])
        credited = account_credit_period(period=period)
        self.stdout.write(f"{period:%Y-%m}: {credited} account entries credited")

    def _interest(self, options: dict[str, Any]) -> None:
        from hrss.insurance.services.accounts import account_interest_credit_year

        credited = account_interest_credit_year(year=options["year"], actor=options["actor"])
        self.stdout.write(f"{options['year']}: interest credited to {credited} accounts")

    def _payments(self, options: dict[str, Any]) -> None:
        from hrss.insurance.services.payments import payment_file_post

        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        with path.open("rb") as stream:
            posted = payment_file_post(
                scope=Scope.system(options["actor"]), stream=stream, filename=path.name, source=options["source"]
            )
        self.stdout.write(
            f"{posted.rows_total} rows: {posted.rows_matched} matched, {posted.rows_different} with a difference, "
            f"{posted.rows_unmatched} unmatched, {posted.rows_invalid} invalid"
        )
        for entry in posted.report:
            self.stdout.write(f"  row {entry['row']}: {entry['outcome']} {entry.get('message', '')}")
