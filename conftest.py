"""Shared pytest fixtures: test settings, factories and API clients for each role."""

from __future__ import annotations

import base64
import os

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


@pytest.fixture(autouse=True)
def _clear_caches():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
