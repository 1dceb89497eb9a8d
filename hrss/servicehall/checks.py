"""System checks of the service hall's shipped processes and catalogue (run at start-up).

- ``hrss.S001``: a shipped BPMN process (any ``*.bpmn`` under ``hrss/``) does not validate —
  in particular a ``serviceTask`` names a handler no app registered in its ``ready()``.
- ``hrss.S002``: a catalogue item (``catalogue/items.json``) names a process that is not shipped
  in any app's ``processes_dir``.

The check validates every shipped file once per process start, so a bad file fails
``hrss serve`` (and ``migrate``, ``check``, the worker) instead of the first citizen's submit.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core import checks

import hrss

HRSS_DIR = Path(hrss.__file__).resolve().parent


def shipped_processes() -> list[Path]:
    return sorted(path for path in HRSS_DIR.rglob("*.bpmn") if "tests" not in path.relative_to(HRSS_DIR).parts)


@checks.register("hrss")
def processes_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from hrss.servicehall.catalogue import read_items

    return process_problems(shipped_processes(), read_items())


def process_problems(paths: Iterable[Path], items: Iterable[dict[str, Any]]) -> list[checks.CheckMessage]:
    """What is wrong with these process files and catalogue items (nothing: an empty list)."""
    from hrss.core.errors import InvalidInput
    from hrss.servicehall import engine
    from hrss.servicehall.extension_points import process_dirs, process_file

    problems: list[checks.CheckMessage] = []
    folders = process_dirs()
    for path in paths:
        try:
            engine.process_validate(
                path.read_bytes(), expected_key=path.stem if path.resolve().parent in folders else None
            )
        except InvalidInput as error:
            detail = "; ".join(f"{k}: {v}" for k, v in (error.fields or {}).items())
            problems.append(
                checks.Error(
                    f"{path.name}: {error.message} {detail}".strip(),
                    hint="a serviceTask's handler is registered by its app's AppConfig.ready() (hrss.core.servicetasks)",
                    obj=str(path),
                    id="hrss.S001",
                )
            )
    for item in items:
        key = item.get("process_key") or ""
        if process_file(key) is None:
            problems.append(
                checks.Error(
                    f"catalogue item {item.get('code')} names the process {key!r}, which is not shipped",
                    hint=f"add {key}.bpmn to the owning app's processes_dir (its AppConfig) or fix catalogue/items.json",
                    id="hrss.S002",
                )
            )
    return problems
