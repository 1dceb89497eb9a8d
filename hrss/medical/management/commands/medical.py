"""`hrss medical ...`: the bank's file of the fund's payments to institutions (S7), business
against finance for a month, and the cross-region clearing statements (S5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.medical import selectors, services


class Command(BaseCommand):
    help = "Medical insurance operations: `bank-import FILE`, `finance --month YYYY-MM`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        bank = sub.add_parser(
            "bank-import", help="import the bank's CSV of payments to institutions (whole or not at all)"
        )
        bank.add_argument("file", type=Path)
        finance = sub.add_parser("finance", help="business against finance: owed against paid per institution")
        finance.add_argument("--month", required=True, help="YYYY-MM")
        finance.add_argument("--differences", action="store_true", help="only institutions with differences")

    def handle(self, *args: Any, **options: Any) -> None:
        scope = Scope.system("cli")
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(scope, options)
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message} {error.as_dict()['fields']}") from error

    def _bank_import(self, scope: Scope, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        report = services.bank_payments_import(scope=scope, data=path.read_bytes(), filename=path.name)
        self.stdout.write(f"{report.imported} payments imported ({report.total} yuan), {report.unchanged} unchanged")

    def _finance(self, scope: Scope, options: dict[str, Any]) -> None:
        lines = selectors.finance(scope=scope, month=options["month"], differences_only=options["differences"])
        for line in lines:
            self.stdout.write(
                f"{line.institution.code} owed {line.owed} paid {line.paid} difference {line.difference}"
                + "".join(f"\n  {day.period} owed {day.owed} paid {day.paid}" for day in line.days)
            )
        if not lines:
            self.stdout.write("nothing owed or paid")
