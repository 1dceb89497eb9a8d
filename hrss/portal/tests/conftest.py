"""The portal's pages are checked in the hall's small city and browser (shared fixtures)."""

from hrss.servicehall.tests.builders import browser, seed_data  # noqa: F401 - fixtures
from hrss.servicehall.tests.conftest import city  # noqa: F401 - fixture
