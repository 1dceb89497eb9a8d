"""Run benchmarks, then write ``bench/results/latest.json`` and ``latest.md``.

``hrss bench [NAME...] [--scale small|large] [--db postgresql,sqlite] [--repeat N]``
(``make bench`` runs every benchmark at the small scale). Each benchmark returns its
figure, the baseline measured in the same run on the same data, and their ratio; the
machine and software versions go with them, including the load average, because a busy
machine makes every figure worse (the ratios suffer less: both sides share the noise).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from bench import (
    accounts_credit,
    analytics_query,
    card_verify,
    claim_settle,
    claims_screen,
    exam_score,
    insurance_assess,
    job_match,
    person_lookup,
    synth_load,
)
from bench.common import DEFAULT_PG_URL, SCALES, Database, Stopwatch, machine, versions

BENCHMARKS: dict[str, Callable[[Database, Any, Callable[[str], None]], dict[str, Any]]] = {
    synth_load.NAME: synth_load.measure,
    person_lookup.NAME: person_lookup.measure,
    insurance_assess.NAME: insurance_assess.measure,
    card_verify.NAME: card_verify.measure,
    analytics_query.NAME: analytics_query.measure,
    job_match.NAME: job_match.measure,
    exam_score.NAME: exam_score.measure,
    claims_screen.NAME: claims_screen.measure,
    claim_settle.NAME: claim_settle.measure,
    accounts_credit.NAME: accounts_credit.measure,
}
# Benchmarks that run on some databases only (the others are skipped, with a note).
ONLY_ON: dict[str, tuple[str, ...]] = {analytics_query.NAME: analytics_query.DATABASES}
RESULTS = Path(__file__).resolve().parent / "results"


def _number(value: float, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if unit == "ms":
        return f"{value:.2f} ms"
    suffix = f" {unit}" if unit else ""
    return f"{value:,.2f}{suffix}" if abs(value) < 100 else f"{value:,.0f}{suffix}"


def rows(results: Sequence[dict[str, Any]]) -> list[tuple[str, str, str, str, str, str, str]]:
    """(benchmark, database, figure, value, baseline, value, ratio) for each result line."""
    lines = []
    for result in results:
        if "error" in result:
            lines.append((result["name"], result["database"], "failed", result["error"][:60], "", "", ""))
        elif "figure" in result:
            figure, baseline = result["figure"], result["baseline"]
            lines.append(
                (
                    result["name"],
                    result["database"],
                    figure["label"],
                    _number(figure["value"], figure["unit"]),
                    baseline["label"],
                    _number(baseline["value"], baseline["unit"]),
                    f"{result['ratio']:.2f}",
                )
            )
        else:
            for key, label, unit in (
                ("p50_ms", "p50 latency", "ms"),
                ("p99_ms", "p99 latency", "ms"),
                ("rps", "throughput", "req/s"),
            ):
                lines.append(
                    (
                        result["name"],
                        result["database"],
                        f"{label} (person by ID number)",
                        _number(result["figures"][key], unit),
                        f"{label} (bare endpoint)",
                        _number(result["baselines"][key], unit),
                        f"{result['ratios'][key]:.2f}",
                    )
                )
                if "limits" in result:
                    lines.append(
                        (
                            result["name"],
                            result["database"],
                            f"{label} (person by ID number)",
                            _number(result["figures"][key], unit),
                            f"{label} (hand-written SQL limit)",
                            _number(result["limits"][key], unit),
                            f"{result['limit_ratios'][key]:.2f}",
                        )
                    )
    return lines


HEADERS = ("benchmark", "database", "figure", "value", "baseline (same run)", "value", "ratio")


def markdown(report: dict[str, Any]) -> str:
    out = [
        f"# Benchmark results ({report['scale']} scale, {report['finished_at']})",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join(" --- " for _ in HEADERS) + "|",
    ]
    out += ["| " + " | ".join(line) + " |" for line in rows(report["results"])]
    out += ["", "Extra figures:", ""]
    for result in report["results"]:
        for key, value in (result.get("extra") or {}).items():
            shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
            out.append(f"- {result['name']} ({result['database']}): {key}: {shown}")
    m = report["machine"]
    out += [
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; load average at start "
        f"{', '.join(f'{x:.2f}' for x in m['load_average'])}, at end {', '.join(f'{x:.2f}' for x in report['load_average_at_end'])}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()) + ".",
        "Databases: " + "; ".join(report["databases"].values()) + ".",
        f"Medians of {report['repeat']} runs each. Took {report['seconds']:.0f} s.",
        "",
    ]
    return "\n".join(out)


def _write(report: dict[str, Any], clock: Stopwatch) -> None:
    report["seconds"] = clock.seconds
    report["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    report["load_average_at_end"] = list(os.getloadavg())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, default=str))
    (RESULTS / "latest.md").write_text(markdown(report))


def main(
    *,
    names: Sequence[str] | None = None,
    scale: str = "small",
    databases: Sequence[str] = ("postgresql", "sqlite"),
    pg_url: str = DEFAULT_PG_URL,
    repeat: int | None = None,
    console: Console | None = None,
) -> dict[str, Any]:
    console = console or Console()
    chosen = list(names or BENCHMARKS)
    unknown = [n for n in chosen if n not in BENCHMARKS]
    if unknown:
        raise ValueError(f"unknown benchmark(s) {unknown}; known: {sorted(BENCHMARKS)}")
    setting = SCALES[scale]
    if repeat:
        setting = replace(setting, repeat=repeat)
    clock = Stopwatch()
    report: dict[str, Any] = {
        "scale": scale,
        "parameters": setting.__dict__,
        "machine": machine(),
        "versions": versions(),
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "repeat": setting.repeat,
        "databases": {},
        "results": [],
    }
    for kind in databases:
        db = Database.postgresql(pg_url) if kind == "postgresql" else Database.sqlite()
        with console.status(f"preparing the {kind} benchmark database") as status:
            db.prepare_template()
            report["databases"][kind] = db.server_version()
            for name in chosen:
                if kind not in ONLY_ON.get(name, (kind,)):
                    console.print(f"{name}: not on {kind} (only {', '.join(ONLY_ON[name])})")
                    continue

                def say(text: str, status: Any = status) -> None:
                    status.update(text)
                    if not console.is_terminal:  # no spinner in a log: a line per step instead
                        console.print(f"{dt.datetime.now():%H:%M:%S} {text}", markup=False, highlight=False)

                try:
                    result = BENCHMARKS[name](db, setting, say)
                except Exception as error:  # one failing benchmark does not lose the others' figures
                    console.print(f"[red]{name} on {kind} failed:[/red] {error}")
                    result = {"name": name, "database": kind, "error": str(error)}
                report["results"].append(result)
                console.print(f"[green]done[/green] {name} on {kind}")
                _write(report, clock)  # after each benchmark: a later failure keeps the figures so far
    _write(report, clock)
    # Markdown reads well in a terminal of any width, and is what docs/performance.md quotes.
    console.print(markdown(report), markup=False, highlight=False, soft_wrap=True)
    console.print("[green]written:[/green] bench/results/latest.json, bench/results/latest.md")
    return report
