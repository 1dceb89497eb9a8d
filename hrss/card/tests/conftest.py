"""Card test fixtures; the builders they use are in ``builders.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrss.core import scope as roles
from hrss.servicehall.tests.conftest import City
from hrss.testing import make_employer, make_person, make_user


@pytest.fixture
def factory_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def city(db):
    """The hall's small city (as in the hall's own tests): a citizen of 和平区 and the staff."""
    person = make_person(district="120101", name="张伟", phone="13800138000")
    employer = make_employer(district="120101", name="天津示范科技有限公司")
    return City(
        person=person,
        citizen=make_user("citizen1", roles.CITIZEN, person=person),
        employer=employer,
        agent=make_user("agent1", roles.EMPLOYER_AGENT, employer=employer),
        clerk=make_user("clerk_hp", roles.COUNTER_CLERK, districts=["120101"]),
        clerk_hexi=make_user("clerk_hx", roles.COUNTER_CLERK, districts=["120103"]),
        reviewer=make_user("reviewer1", roles.REVIEWER, city_wide=True),
        approver=make_user("approver1", roles.APPROVER, city_wide=True),
    )
