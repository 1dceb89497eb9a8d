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


# The two halves of the authorisation matrix, each a few minutes: with a shard, each runs in one.
MATRIX_SHARDS = {"test_page_authorisation_matrix": 0, "test_api_authorisation_matrix": 1}


def pytest_collection_modifyitems(config, items):
    """``HRSS_SHARD=k/n`` splits the checks that do not depend on the database between CI's
    two suites, which run side by side (SQLite with 0/2, PostgreSQL with 1/2): the in-process
    fuzz keeps the operations whose label hashes to ``k`` modulo ``n`` (``test_api_fuzz.py``),
    and the authorisation matrix its pages in shard 0 and its API in shard 1. Every operation
    and page is checked once a CI run instead of twice. Unset (``make test``), everything runs."""
    shard = os.environ.get("HRSS_SHARD", "").strip()
    if not shard:
        return
    part, parts = (int(value) for value in shard.split("/"))
    kept, dropped = [], []
    for item in items:
        label = getattr(item, "operation_label", None)
        if label is not None:
            keep = zlib.crc32(label.encode()) % parts == part
        else:
            keep = MATRIX_SHARDS.get(item.name, part) % parts == part
        (kept if keep else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
