from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from hrss.codes.loader import load_all
from hrss.codes.selectors import codes_changed


class Command(BaseCommand):
    help = "Code tables: `hrss codes load` adds rows shipped in hrss/codes/data that are missing (never overwrites)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="add missing code-table rows and policy parameters")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            added = load_all(lambda name: apps.get_model("codes", name))
        codes_changed()
        for table, count in added.items():
            self.stdout.write(f"{table}: {count} added")
