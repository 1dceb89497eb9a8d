"""Exams test fixtures."""

from __future__ import annotations

from typing import Any

import pytest

from hrss.servicehall.tests.builders import browser, seed_data  # noqa: F401 - browser fixtures


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
