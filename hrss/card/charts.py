"""Server-side SVG bar charts (no JavaScript): geometry computed here, drawn by templates.

Each chart is accessible: ``role="img"`` with a title, and the page shows the same numbers
in a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

LABEL_WIDTH = 120
BAR_AREA = 440
ROW_HEIGHT = 30
TOP = 30


@dataclass
class Bar:
    label: str
    y: int
    issued_width: float
    active_width: float
    issued_text: str
    active_text: str
    text_x: float


@dataclass
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    goal_x: float | None = None
    legend: tuple[str, ...] = ()
    ticks: list[tuple[float, str]] = field(default_factory=list)


def _clamp(share: float) -> float:
    return max(0.0, min(1.0, share))


def coverage_bars(
    rows: list[tuple[str, float, float]], *, goal: float | None, title: str, legend: tuple[str, str, str]
) -> SafeString:
    """One row per district: the issued share, the active share inside it, and the goal line."""
    bars = [
        Bar(
            label=label,
            y=TOP + index * ROW_HEIGHT,
            issued_width=round(_clamp(issued) * BAR_AREA, 1),
            active_width=round(_clamp(active) * BAR_AREA, 1),
            issued_text=f"{issued:.1%}",
            active_text=f"{active:.1%}",
            text_x=LABEL_WIDTH + round(_clamp(issued) * BAR_AREA, 1) + 6,
        )
        for index, (label, issued, active) in enumerate(rows)
    ]
    chart = Chart(
        title=title,
        width=LABEL_WIDTH + BAR_AREA + 70,
        height=TOP + len(rows) * ROW_HEIGHT + 30,
        bars=bars,
        goal_x=None if goal is None else LABEL_WIDTH + round(_clamp(goal) * BAR_AREA, 1),
        legend=legend,
        ticks=[(LABEL_WIDTH + BAR_AREA * step / 4, f"{step * 25}%") for step in range(5)],
    )
    return _render(chart, goal_text="" if goal is None else f"{goal:.0%}")


def share_bars(rows: list[tuple[str, float, int]], *, title: str) -> SafeString:
    """One row per category: its share of the total, labelled with the count."""
    bars = [
        Bar(
            label=label,
            y=TOP + index * ROW_HEIGHT,
            issued_width=round(_clamp(share) * BAR_AREA, 1),
            active_width=0,
            issued_text=f"{count} ({share:.0%})",
            active_text="",
            text_x=LABEL_WIDTH + round(_clamp(share) * BAR_AREA, 1) + 6,
        )
        for index, (label, share, count) in enumerate(rows)
    ]
    chart = Chart(title=title, width=LABEL_WIDTH + BAR_AREA + 110, height=TOP + len(rows) * ROW_HEIGHT + 10, bars=bars)
    return _render(chart)


def _render(chart: Chart, **extra: Any) -> SafeString:
    html = render_to_string(
        "card/_bar_chart.svg",
        {"chart": chart, "label_width": LABEL_WIDTH, "bar_area": BAR_AREA, "row_height": ROW_HEIGHT, **extra},
    )
    return SafeString(html)
