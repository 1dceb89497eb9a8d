"""Archive test fixtures: certificates are stored in a temporary media directory."""

from __future__ import annotations

from typing import Any

import pytest

from hrss.servicehall.tests.builders import browser, seed_data  # noqa: F401 - browser fixtures


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
