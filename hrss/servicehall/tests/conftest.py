"""Fixtures for the service hall: a small city with a citizen, an employer and staff."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from hrss.core import scope as roles
from hrss.identity.auth import scope_for_user
from hrss.testing import make_employer, make_person, make_user

_keys = itertools.count(1)


@dataclass
class City:
    person: Any
    citizen: Any
    employer: Any
    agent: Any
    clerk: Any
    clerk_hexi: Any
    reviewer: Any
    approver: Any

    def scope(self, user: Any) -> Any:
        user._hrss_scope = None
        if hasattr(user, "_role_codes"):
            del user._role_codes
        return scope_for_user(user)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Argon2 with production cost makes each test account take a noticeable time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def city(db: Any) -> City:
    person = make_person(district="120101", name="张伟", phone="13800138000")
    employer = make_employer(district="120101", name="天津示范科技有限公司")
    citizen = make_user("citizen1", roles.CITIZEN, person=person)
    agent = make_user("agent1", roles.EMPLOYER_AGENT, employer=employer)
    clerk = make_user("clerk_hp", roles.COUNTER_CLERK, districts=["120101"])
    clerk_hexi = make_user("clerk_hx", roles.COUNTER_CLERK, districts=["120103"])
    reviewer = make_user("reviewer1", roles.REVIEWER, city_wide=True)
    approver = make_user("approver1", roles.APPROVER, city_wide=True)
    return City(person, citizen, employer, agent, clerk, clerk_hexi, reviewer, approver)


def key() -> str:
    return f"test-key-{next(_keys)}"


FLEXIBLE_FORM = {"phone": "13800138000", "work_type": "platform", "base_level": "60"}


def sign_in(client: Any, user: Any) -> Any:
    """Sign a test client in; staff also pass the second factor (as after /accounts/otp/)."""
    client.force_login(user)
    if user.requires_second_factor:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _created = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def approve_every_step(city: City, application: Any) -> Any:
    """Staff approve each open step (accept; a first review when risk flags raised one)."""
    from hrss.servicehall import services

    staff = {"counter_clerk": city.clerk, "reviewer": city.reviewer, "approver": city.approver}
    while application.status in ("submitted", "in_progress"):
        work = application.work_items.get(state="open")
        user = work.assignee or staff[work.role]
        application = services.work_item_complete(scope=city.scope(user), user=user, work_item=work, decision="approve")
    return application
