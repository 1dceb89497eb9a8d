"""Fixtures for fault tests that run hrss in separate processes against a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection


@pytest.fixture
def scratch_database(tmp_path):
    """A new, empty database of the same kind as the test database; yields its URL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    settings = connection.settings_dict
    host, port, user = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432, settings["USER"] or "postgres"
    name = f"hrss_scratch_{uuid.uuid4().hex[:8]}"
    dsn = f"host={host} port={port} user={user} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{user}@{host}:{port}/{name}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def hrss_command(database_url: str, var_dir: Path, *args: str, **popen: object) -> subprocess.Popen:
    env = {
        **os.environ,
        "HRSS_DATABASE_URL": database_url,
        "HRSS_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "hrss.settings",
    }
    return subprocess.Popen([sys.executable, "-m", "hrss.cli", *args], env=env, **popen)  # type: ignore[call-overload]
