"""Credit test fixtures (the browser ones come from the hall's builders)."""

from hrss.servicehall.tests.builders import browser, seed_data  # noqa: F401 - browser fixtures
