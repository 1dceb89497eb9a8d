"""Fixtures of the hotline's channel tests: SMS delivered in-process to the recording backend
(the contract with the SMS provider: what would be sent), a small city, the knowledge base."""

from __future__ import annotations

from typing import Any

import pytest

from hrss.servicehall.tests.builders import City, flush_on_commit, make_city_with_phone, record_sms  # noqa: F401 - flush_on_commit for the tests


@pytest.fixture(autouse=True)
def _recorded_sms(settings: Any):
    outbox = record_sms(settings)
    yield outbox
    outbox.clear()


@pytest.fixture
def city(db: Any) -> City:
    return make_city_with_phone()


@pytest.fixture
def kb(db: Any) -> dict[str, int]:
    from hrss.hotline import services

    return services.generate()
