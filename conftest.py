"""Shared pytest fixtures: test settings, factories and API clients for each role."""

from __future__ import annotations

import base64
import os

import pytest

# Fixed test keys: tests never depend on keys generated into var/.
os.environ.setdefault("HRSS_FIELD_KEYS", "test1:" + base64.b64encode(b"k" * 32).decode())
os.environ.setdefault("HRSS_BLIND_INDEX_KEY", "test-blind-index-key")
os.environ.setdefault("HRSS_SECRET_KEY", "test-secret-key-" + "x" * 40)


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
