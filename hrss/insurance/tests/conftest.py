"""Fixtures of the insurance tests (helpers other tests import live in ``builders``)."""

from __future__ import annotations

from typing import Any

import pytest

from hrss.core import scope as roles
from hrss.insurance.tests import builders
from hrss.testing import make_user


@pytest.fixture
def staff() -> dict[str, Any]:
    return {
        roles.COUNTER_CLERK: make_user("clerk_st", roles.COUNTER_CLERK, districts=["120101"]),
        roles.REVIEWER: make_user("reviewer_st", roles.REVIEWER, city_wide=True),
        roles.APPROVER: make_user("approver_st", roles.APPROVER, city_wide=True),
    }


@pytest.fixture
def retiree() -> Any:
    """Born 1965-05: statutory age 60y2m in 2025-07; 200 months brought in, 6 assessed here."""
    return builders.retiree()[0]
