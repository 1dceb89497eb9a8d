"""Talent test fixtures; the builders they use are in ``builders.py``."""

from __future__ import annotations

import pytest

from hrss.talent.tests.builders import make_unit


@pytest.fixture
def unit(db):
    return make_unit()
