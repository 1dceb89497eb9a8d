"""``hrss insurance ...``: the monthly and yearly batches of social insurance.

hrss insurance assess --period 2025-03 [--chunks 64] [--recheck]
hrss insurance credit --period 2025-03          # personal accounts of paid months
hrss insurance interest --year 2024             # yearly account interest
hrss insurance payments FILE.csv --source bank  # post a bank/tax payment file
hrss insurance pay-benefits --period 2025-03    # monthly pension/unemployment payments
hrss insurance crosscheck                       # 待遇资格 cross-checks
hrss insurance remind --period 2025-03 [--district 120101]  # 全民参保 reminders
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
    help = "Social insurance batches: assess, credit, interest, payments, pay-benefits, crosscheck, remind."

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
        pay = sub.add_parser("pay-benefits", help="pay a month's pensions and unemployment benefits")
        pay.add_argument("--period", required=True, help="YYYY-MM")
        sub.add_parser("crosscheck", help="待遇资格: suspend benefits paid after death or during re-employment")
        remind = sub.add_parser("remind", help="全民参保: remind working-age people who are not insured")
        remind.add_argument("--period", required=True, help="YYYY-MM")
        remind.add_argument("--district", default=None)
        for action in (assess, credit, interest, payments, pay, remind):
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
            f"{period:%Y-%m}: {run.status}, {run.rows_inserted} person-month rows in {run.chunks_done}/{run.chunks_total} chunks "
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

    def _pay_benefits(self, options: dict[str, Any]) -> None:
        from hrss.insurance.services.benefits import benefit_pay_period

        period = rules.parse_period(options["period"])
        paid = benefit_pay_period(period=period, actor=options["actor"])
        self.stdout.write(f"{period:%Y-%m}: {paid} benefit payments")

    def _crosscheck(self, options: dict[str, Any]) -> None:
        from hrss.insurance.services.eligibility import eligibility_crosscheck

        cases = eligibility_crosscheck(actor="cli")
        self.stdout.write(f"{len(cases)} recovery cases opened")
        for case in cases:
            self.stdout.write(f"  {case.reason}: award {case.award_id}, overpaid {rules.from_fen(case.overpaid_fen)}")

    def _remind(self, options: dict[str, Any]) -> None:
        from hrss.insurance.services.universal import enrolment_reminders_publish

        period = rules.parse_period(options["period"])
        count = enrolment_reminders_publish(
            scope=Scope.system(options["actor"]), period=period, district=options["district"]
        )
        self.stdout.write(f"{period:%Y-%m}: {count} reminders published")
