"""``hrss early_warning run [--period YYYY-MM]``: run the unemployment early warning (E5) for a
month, city-wide, as the monthly job does (the last complete month when no period is given).
Idempotent: a second run of the month raises and sends nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hrss.analytics import services
from hrss.core.errors import DomainError
from hrss.core.scope import Scope


class Command(BaseCommand):
    help = "Run the unemployment early warning for a month (city-wide)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--period", default="", help="the month, YYYY-MM (default: the last complete month)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = services.parse_period(options["period"], today=timezone.localdate())
            result = services.warnings_run(scope=Scope.system("command:early_warning"), period=period)
        except DomainError as error:
            detail = "; ".join(str(v) for v in error.fields.values()) if error.fields else str(error.message)
            raise CommandError(detail) from error
        self.stdout.write(
            f"{result.period:%Y-%m}: {result.findings} found, {result.raised} raised, {result.notified} notified"
        )
