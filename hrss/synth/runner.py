"""``synth_run``: generate a synthetic city and load it, step by step, in one transaction."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Column, Table

from hrss.synth.loading import BulkLoader
from hrss.synth.steps import SynthContext, SynthError, SynthParams, step_order


@dataclass
class StepReport:
    name: str
    label: str
    units: int
    seconds: float
    rows: dict[str, int]


@dataclass
class RunReport:
    params: SynthParams
    database: str
    steps: list[StepReport] = field(default_factory=list)
    seconds: float = 0.0
    phases: list[tuple[str, str, float]] = field(default_factory=list)
    # What the steps planted (SynthContext.labels): kept here, never in the city's tables.
    labels: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "params": {
                "persons": self.params.persons,
                "employers": self.params.employers,
                "months": self.params.months,
                "seed": self.params.seed,
                "as_of": self.params.as_of.isoformat(),
            },
            "database": self.database,
            "seconds": round(self.seconds, 3),
            "steps": [
                {"name": s.name, "units": s.units, "seconds": round(s.seconds, 3), "rows": s.rows} for s in self.steps
            ],
            "phases": [{"table": t, "phase": p, "seconds": round(sec, 3)} for t, p, sec in self.phases],
            "labels": self.labels,
        }

    def table(self) -> Table:
        table = Table(title=f"Synthetic city loaded into {self.database} in {self.seconds:.1f} s")
        for column in ("step", "table", "rows", "seconds", "rows/s"):
            table.add_column(column, justify="right" if column in ("rows", "seconds", "rows/s") else "left")
        for step in self.steps:
            for name, rows in step.rows.items() or {"": 0}.items():
                rate = f"{rows / step.seconds:,.0f}" if step.seconds > 0 else "-"
                table.add_row(step.name, name, f"{rows:,}", f"{step.seconds:.2f}", rate)
        return table


def synth_run(
    *,
    params: SynthParams,
    steps: Iterable[str] | None = None,
    console: Console | None = None,
    progress: bool = True,
) -> RunReport:
    """Generate the city described by ``params`` and load it; all steps or none.

    Runs inside one transaction: a failure leaves the database as it was.
    """
    ordered = step_order(steps)
    loader = BulkLoader.for_connection(connection)
    ctx = SynthContext(params=params, loader=loader, now=timezone.now())
    report = RunReport(params=params, database=f"{connection.vendor} ({connection.settings_dict['NAME']})")
    console = console or Console(stderr=True)
    started = time.perf_counter()
    bar = Progress(
        # Long step labels are cut, so the bar and the figures keep their room.
        TextColumn("[bold]{task.description}", table_column=Column(width=26, no_wrap=True, overflow="ellipsis")),
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not progress,
        refresh_per_second=4,
    )
    with bar, transaction.atomic():
        tasks = {
            step.name: bar.add_task(step.label, total=step.total(ctx) or 1, rate="", start=False) for step in ordered
        }
        for step in ordered:
            task = tasks[step.name]
            bar.start_task(task)  # elapsed time counts from the step's own start
            step_started = time.perf_counter()
            done = 0

            def advance(units: int, task: Any = task, step_started: float = step_started) -> None:
                nonlocal done
                done += units
                elapsed = time.perf_counter() - step_started
                bar.update(task, advance=units, rate=f"{done / elapsed:,.0f}/s" if elapsed > 0 else "")

            rows = step.run(ctx, advance)
            bar.update(task, completed=step.total(ctx) or 1)
            report.steps.append(
                StepReport(step.name, step.label, step.total(ctx), time.perf_counter() - step_started, rows)
            )
    report.seconds = time.perf_counter() - started
    report.phases = list(loader.phases)
    report.labels = ctx.labels
    return report


__all__ = ["RunReport", "StepReport", "SynthError", "synth_run"]
