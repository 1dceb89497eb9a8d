"""`hrss servicehall escalate | catalogue | process load FILE | process check FILE`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrss.core.errors import DomainError


class Command(BaseCommand):
    help = "Service hall operations: escalate overdue work, reload the catalogue, load or check a BPMN process."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        escalate = sub.add_parser(
            "escalate", help="escalate overdue work items (working days) and flag late applications"
        )
        escalate.add_argument("--today", type=dt.date.fromisoformat, default=None)
        sub.add_parser(
            "catalogue", help="load the shipped catalogue (items.json); OpenCC fills unreviewed Traditional text"
        )
        process = sub.add_parser("process", help="BPMN processes")
        process.add_argument("verb", choices=["load", "check"])
        process.add_argument("file", type=Path)
        process.add_argument("--actor", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        from hrss.servicehall import engine, services

        action = options["action"]
        try:
            if action == "escalate":
                result = services.escalate_overdue(today=options["today"])
                self.stdout.write(
                    f"{result['escalated']} work items escalated ({result['redispatched']} re-dispatched), "
                    f"{result['applications_overdue']} applications newly overdue"
                )
            elif action == "catalogue":
                from hrss.servicehall.catalogue import load_catalogue
                from hrss.servicehall.models import ServiceItem

                created, updated = load_catalogue(ServiceItem)
                self.stdout.write(f"catalogue: {created} items created, {updated} updated")
            else:
                path: Path = options["file"]
                if not path.is_file():
                    raise CommandError(f"no such file: {path}")
                xml = path.read_text(encoding="utf-8")
                if options["verb"] == "check":
                    validated = engine.process_validate(xml)
                    self.stdout.write(f"{validated.key}: valid ({len(validated.user_steps)} user steps)")
                else:
                    definition = services.process_load(
                        xml=xml, source="upload", filename=path.name, actor=options["actor"]
                    )
                    self.stdout.write(f"{definition.process_key}: version {definition.version} is now in use")
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from error
