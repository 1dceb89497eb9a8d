"""`hrss synth`: generate a reproducible synthetic city and load it into the database of record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from hrss.registry.models import Person
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthError, SynthParams, step_order

# The history ends on a fixed day by default, so that the same seed gives the same city
# whatever day it is generated on; pass --as-of today for a city that ends now.
DEFAULT_AS_OF = dt.date(2026, 6, 30)
DEMO = {"persons": 3000, "employers": 300, "months": 24, "seed": 2020}


def _as_of(value: str) -> dt.date:
    if value == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of takes a date YYYY-MM-DD or 'today', not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Generate a synthetic city (persons, employers, employment spells, and every registered step) "
        "and load it in bulk. Same seed and arguments, same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=10_000)
        parser.add_argument("--employers", type=int, default=None, help="default: one per 20 persons")
        parser.add_argument("--months", type=int, default=24, help="months of employment history up to --as-of")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--as-of", default=DEFAULT_AS_OF.isoformat(), help="last day of the history (or 'today')")
        parser.add_argument("--steps", default=None, help="comma-separated steps (their requirements run too)")
        parser.add_argument("--demo", action="store_true", help="the small demo city; does nothing if persons exist")
        parser.add_argument("--allow-existing", action="store_true", help="add to a registry that already has persons")
        parser.add_argument("--list-steps", action="store_true", help="print the steps in the order they run")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--report", type=Path, default=None, help="write the run's figures as JSON here")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_steps"]:
            for step in step_order():
                requires = ", ".join(step.requires) or "-"
                self.stdout.write(f"{step.name:<16} {step.label:<24} requires: {requires}")
            return
        if options["demo"]:
            if Person.objects.exists():
                self.stdout.write("The registry already holds persons: no demo city generated.")
                return
            options.update(DEMO)
        elif Person.objects.exists() and not options["allow_existing"]:
            raise CommandError(
                "The registry already holds persons. A second city with the same seed would repeat their ID "
                "numbers; use another database, or --allow-existing with another --seed."
            )
        as_of = _as_of(options["as_of"])
        if as_of > dt.date.today():
            raise CommandError("--as-of cannot be in the future: deaths and job ends would be too")
        employers = options["employers"] if options["employers"] is not None else max(1, options["persons"] // 20)
        steps = [s.strip() for s in options["steps"].split(",") if s.strip()] if options["steps"] else None
        try:
            params = SynthParams(
                persons=options["persons"],
                employers=employers,
                months=options["months"],
                seed=options["seed"],
                as_of=as_of,
            )
            console = Console(file=self.stderr._out, stderr=True)  # type: ignore[attr-defined,arg-type]  # OutputWrapper's stream
            report = synth_run(params=params, steps=steps, console=console, progress=not options["no_progress"])
        except SynthError as error:
            raise CommandError(str(error)) from None
        Console(file=self.stdout._out).print(report.table())  # type: ignore[attr-defined,arg-type]  # OutputWrapper's stream
        if options["report"]:
            options["report"].write_text(json.dumps(report.as_dict(), indent=2))
