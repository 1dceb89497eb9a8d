"""A small insured city for the analytics tests, built through the real services, and a lake
of its own under the test's temporary directory."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from hrss.insurance import rules
from hrss.insurance import services as insurance
from hrss.insurance.tests.builders import agent, assess, employee, employer
from hrss.servicehall.tests.builders import browser, seed_data  # noqa: F401 - browser fixtures


@pytest.fixture
def lake_root(tmp_path, settings):
    settings.HRSS_LAKE_ROOT = str(tmp_path / "lake")
    return tmp_path / "lake"


@pytest.fixture
def city(db):
    """Two employers in two districts and industries, three months of 2025:

    - 机械厂 (120101, division 34 of section C): 甲 (wage 9,000) and 乙 (7,000) from January;
      乙 leaves after February (减员);
    - 超市 (120103, division 52 of section F): 丙 (6,000) from February.
    """
    factory = employer(name="机械厂", district="120101", industry="34")
    shop = employer(name="超市", district="120103", industry="52")
    jan, feb = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    first = employee(factory, start=jan, wage=Decimal("9000"), name="甲一", birth=dt.date(1980, 1, 2))
    second = employee(factory, start=jan, wage=Decimal("7000"), name="乙二", birth=dt.date(1991, 6, 3), sex="F")
    third = employee(shop, start=feb, wage=Decimal("6000"), name="丙三", birth=dt.date(2000, 9, 4))
    insurance.enrolment_stop(
        scope=agent(factory),
        person_id=second.pk,
        employer_id=factory.pk,
        insurance_types=list(rules.ASSESSED_INSURANCES),
        last_month=feb,
        reason="left_employer",
    )
    assess(jan, 3)
    return SimpleNamespace(factory=factory, shop=shop, persons=[first, second, third])
