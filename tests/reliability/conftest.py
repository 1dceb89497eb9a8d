"""Helpers for fault tests that run hrss in separate processes (``scratch_database`` is in the root conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path


def hrss_command(database_url: str, var_dir: Path, *args: str, **popen: object) -> subprocess.Popen:
    env = {
        **os.environ,
        "HRSS_DATABASE_URL": database_url,
        "HRSS_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "hrss.settings",
    }
    return subprocess.Popen([sys.executable, "-m", "hrss.cli", *args], env=env, **popen)  # type: ignore[call-overload]


def pytest_collection_modifyitems(config, items):
    """``HRSS_FUZZ_SHARD=k/n`` keeps the in-process fuzz's operations (``test_api_fuzz.py``)
    whose label hashes to ``k`` modulo ``n``, and deselects the rest. CI runs the suite on
    SQLite with 0/2 and on PostgreSQL with 1/2, side by side: every operation is fuzzed once a
    run, half of them on each database, instead of all of them twice. Unset (``make test``),
    every operation is fuzzed."""
    shard = os.environ.get("HRSS_FUZZ_SHARD", "").strip()
    if not shard:
        return
    part, parts = (int(value) for value in shard.split("/"))
    kept, dropped = [], []
    for item in items:
        label = getattr(item, "operation_label", None)
        keep = label is None or zlib.crc32(label.encode()) % parts == part
        (kept if keep else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
