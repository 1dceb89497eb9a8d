"""The portal's pages are checked in the hall's small city and browser (shared fixtures)."""

from hrss.servicehall.tests.conftest import city  # noqa: F401 - fixture
from hrss.servicehall.tests.test_browser import browser  # noqa: F401 - fixture
