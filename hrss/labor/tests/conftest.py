"""Labour test fixtures; the builders they use are in ``builders.py``."""

from __future__ import annotations

import pytest

from hrss.labor.tests.builders import make_arbitrator
from hrss.servicehall.tests.builders import browser, make_city, seed_data  # noqa: F401 - browser fixtures


@pytest.fixture
def city(db):
    return make_city()


@pytest.fixture
def arbitrator(db):
    return make_arbitrator()
