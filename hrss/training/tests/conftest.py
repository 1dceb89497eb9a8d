"""Training test fixtures; the builders they use are in ``builders.py``."""

from __future__ import annotations

import pytest

from hrss.servicehall.tests.builders import browser, seed_data  # noqa: F401 - browser fixtures
from hrss.training.tests.builders import FACES, make_town


@pytest.fixture
def town(db, settings):
    settings.HRSS_BIOMETRIC_TABLE = FACES
    return make_town()
