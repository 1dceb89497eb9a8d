"""Employment test fixtures; the builders they use are in ``builders.py``."""

from __future__ import annotations

import pytest

from hrss.servicehall.tests.builders import browser, make_city, seed_data  # noqa: F401 - browser fixtures


@pytest.fixture
def city(db):
    return make_city()
