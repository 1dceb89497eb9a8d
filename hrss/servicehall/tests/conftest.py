"""Fixtures for the service hall: a small city with a citizen, an employer and staff (see ``builders``)."""

from __future__ import annotations

from typing import Any

import pytest

from hrss.servicehall.tests.builders import City, browser, make_city, seed_data  # noqa: F401 - browser fixtures


@pytest.fixture
def city(db: Any) -> City:
    return make_city()
