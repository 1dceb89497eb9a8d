"""Helpers for fault tests that run hrss in separate processes (``scratch_database`` is in the root conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def hrss_command(database_url: str, var_dir: Path, *args: str, **popen: object) -> subprocess.Popen:
    env = {
        **os.environ,
        "HRSS_DATABASE_URL": database_url,
        "HRSS_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "hrss.settings",
    }
    return subprocess.Popen([sys.executable, "-m", "hrss.cli", *args], env=env, **popen)  # type: ignore[call-overload]
