"""``hrss kb generate``: (re)generate the knowledge base's articles from the service catalogue
and the policy tables. Idempotent; run after each deployment and when the catalogue changes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hrss.hotline import services


class Command(BaseCommand):
    help = "Generate the 12333 knowledge base's articles from the catalogue and the policy tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["generate"])

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.generate()
        self.stdout.write(
            "knowledge base: {created} created, {updated} updated, {unchanged} unchanged".format(**counts)
        )
