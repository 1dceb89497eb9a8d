"""Shared pytest fixtures: test settings, factories and API clients for each role."""

from __future__ import annotations

import base64
import os
import uuid

import pytest

# Fixed test keys: tests never depend on keys generated into var/.
os.environ.setdefault("HRSS_FIELD_KEYS", "test1:" + base64.b64encode(b"k" * 32).decode())
os.environ.setdefault("HRSS_BLIND_INDEX_KEY", "test-blind-index-key")
os.environ.setdefault("HRSS_SECRET_KEY", "test-secret-key-" + "x" * 40)
os.environ.setdefault("HRSS_CARD_TOKEN_KEY", "test-card-token-key")


@pytest.fixture(autouse=True)
def _english_messages():
    """Domain messages are asserted in English (the source language); pages still negotiate."""
    from django.utils import translation

    with translation.override("en"):
        yield


_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture(autouse=True)
def _clear_caches(request):
    """Every database test starts and ends with the shared cache (a database table) empty."""
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        _DATABASE_FIXTURES & set(request.fixturenames)
    )
    if not uses_database:
        yield
        return
    from django.core.cache import cache

    from hrss.identity.principals import principals_forget

    request.getfixturevalue("_django_db_helper")  # the test database first, then its cache table
    cache.clear()
    principals_forget()
    yield
    cache.clear()
    principals_forget()


def pytest_collection_modifyitems(config, items):
    """Every transactional test restores the database as migrations left it.

    Without this, the flush after a transactional test drops the rows that data migrations
    seed (code tables, roles, the service catalogue...), and Django's post-migrate handler
    re-creates content types under new ids, which then clash with tests that use serialized
    rollback. Serialized rollback for all of them keeps both right.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction")) or any(
            name in getattr(item, "fixturenames", ()) for name in ("transactional_db", "live_server")
        )
        if transactional and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


@pytest.fixture
def scratch_database(tmp_path):
    """A new, empty database of the same kind as the test database; yields its URL."""
    import psycopg
    from django.db import connection

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
