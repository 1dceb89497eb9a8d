"""Builders for the service hall's tests (and other apps' tests of hall items), through the real services.

A small city (``make_city``, the ``city`` fixture in ``conftest.py``), signed-in clients,
applications submitted and steps done by the services a real request calls, and the
browser helpers the Playwright tests share. Import from here, never from another test module.
"""

from __future__ import annotations

import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hrss.core import scope as roles
from hrss.identity.auth import scope_for_user
from hrss.testing import make_employer, make_person, make_user

_keys = itertools.count(1)

FLEXIBLE_FORM = {"phone": "13800138000", "work_type": "platform", "base_level": "60"}
UNEMPLOYMENT_FORM = {"phone": "13800138000", "unemployed_since": "2026-10-01"}
# Labour arbitration allows several open applications (claims against different employers).
ARBITRATION_FORM = {"phone": "13800138000", "respondent": "某公司", "claims": "支付拖欠工资", "amount": "8600"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ADDRESS = "天津市和平区南京路100号"
BY_POST = {"phone": "13800138000", "delivery": "post", "address": ADDRESS}  # a card by post: a sealed address


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


def make_city() -> City:
    """A citizen and an employer agent in 和平区, clerks in 和平区 and 河西区, a city-wide reviewer and approver."""
    person = make_person(district="120101", name="张伟", phone="13800138000")
    employer = make_employer(district="120101", name="天津示范科技有限公司")
    citizen = make_user("citizen1", roles.CITIZEN, person=person)
    agent = make_user("agent1", roles.EMPLOYER_AGENT, employer=employer)
    clerk = make_user("clerk_hp", roles.COUNTER_CLERK, districts=["120101"])
    clerk_hexi = make_user("clerk_hx", roles.COUNTER_CLERK, districts=["120103"])
    reviewer = make_user("reviewer1", roles.REVIEWER, city_wide=True)
    approver = make_user("approver1", roles.APPROVER, city_wide=True)
    return City(person, citizen, employer, agent, clerk, clerk_hexi, reviewer, approver)


def second_reviewer(city: City) -> Any:
    """Another city-wide reviewer: one person does at most one review tier of an application (职责分离)."""
    return make_user("reviewer2", roles.REVIEWER, city_wide=True)


def key() -> str:
    return f"test-key-{next(_keys)}"


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


def session_cookie(live_server: Any, user: Any) -> dict[str, str]:
    """The session cookie of a signed-in user, for a browser context against the live server.

    The in-memory SQLite test database is shared between this thread and the live server's
    (shared cache), where a table another connection is reading is locked at once
    (SQLITE_LOCKED, which ignores the busy timeout). A page of the previous step may still
    be loading, so signing in waits for the lock to pass rather than failing the test."""
    import time

    from django.db import OperationalError
    from django.test import Client

    for attempt in range(100):
        try:
            client = sign_in(Client(), user)
            break
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def bearer(user: Any) -> Any:
    """An API client with a bearer token of the user."""
    from django.test import Client

    from hrss.identity.auth import token_create

    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


def shipped(name: str) -> str:
    """The shipped BPMN file of a process, from its owning app's ``processes_dir``."""
    from hrss.servicehall.extension_points import process_file

    path = process_file(name)
    assert path is not None, name
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------- applications, through the services


def submit(city: City, item_code: str = "SH-JY-001", form: Any = None, user: Any = None, **kw: Any) -> Any:
    """An application submitted on the web (unemployment registration by the citizen unless told)."""
    from hrss.servicehall import services

    user = user or city.citizen
    application, _created = services.application_submit(
        scope=city.scope(user),
        user=user,
        item_code=item_code,
        form_data=form or UNEMPLOYMENT_FORM,
        idempotency_key=kw.pop("idempotency_key", None) or key(),
        channel=kw.pop("channel", "web"),
        **kw,
    )
    return application


def another_citizen(username: str, name: str, phone: str) -> Any:
    """Another citizen of 和平区 with a real-name account (the registry knows ``phone``)."""
    person = make_person(district="120101", name=name, phone=phone)
    return make_user(username, roles.CITIZEN, person=person)


def submit_rated(city: City, credit_class: str, item_code: str = "SH-JY-001", form: Any = None, **kw: Any) -> Any:
    """An application submitted while a credit provider rates its applicant ``credit_class`` (A7)."""
    from hrss.servicehall import extension_points

    def rated(person: Any = None, employer: Any = None) -> str:
        return credit_class

    extension_points.register_credit_provider(rated)
    try:
        return submit(city, item_code, form, **kw)
    finally:
        extension_points.unregister_credit_provider(rated)


def submit_card_by_post(city: City, form: Any = BY_POST) -> Any:
    """The citizen applies for a card sent by post (the address is a sealed answer)."""
    return submit(city, "SH-KA-001", form)


def withdraw(city: City, application: Any) -> Any:
    """The citizen withdraws an application (so that they may apply for the item again)."""
    from hrss.servicehall import services

    return services.application_withdraw(scope=city.scope(city.citizen), application=application)


def do(city: City, application: Any, decision: str = "approve", user: Any = None, **kw: Any) -> Any:
    """The open step done (by its assignee, else a staff member of its role)."""
    from hrss.servicehall import services

    work = application.work_items.get(state="open")
    user = (
        user
        or work.assignee
        or {"counter_clerk": city.clerk, "reviewer": city.reviewer, "approver": city.approver}[work.role]
    )
    return services.work_item_complete(scope=city.scope(user), user=user, work_item=work, decision=decision, **kw)


def approve_every_step(city: City, application: Any) -> Any:
    """Staff approve each open step (accept; a first review when risk flags raised one)."""
    from hrss.servicehall import services

    staff = {"counter_clerk": city.clerk, "reviewer": city.reviewer, "approver": city.approver}
    while application.status in ("submitted", "in_progress"):
        work = application.work_items.get(state="open")
        user = work.assignee or staff[work.role]
        application = services.work_item_complete(scope=city.scope(user), user=user, work_item=work, decision="approve")
    return application


def tamper(application: Any, name: str = "address") -> None:
    """Flip a byte of the stored ciphertext, in ``form_data`` and in the workflow's copy."""
    from hrss.servicehall import formdata
    from hrss.servicehall.formdata import SEALED
    from hrss.servicehall.models import Application

    stored = Application.objects.get(pk=application.pk)
    token = stored.form_data[name][SEALED]
    kid, _, body = token.partition("$")
    flipped = {SEALED: f"{kid}${'A' if body[0] != 'A' else 'B'}{body[1:]}"}
    Application.objects.filter(pk=application.pk).update(
        form_data={**stored.form_data, name: flipped},
        workflow_state=formdata.map_workflow_forms(stored.workflow_state, lambda form: {**form, name: flipped}),
    )


def make_retiree() -> Any:
    """Born 1965-05, statutory age 60y2m reached 2025-07 (built through the real insurance services)."""
    from hrss.insurance.tests.builders import retiree

    return retiree()[0]


# ------------------------------------------------------------- the browser (Playwright, axe-core)

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "servicehall"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser() -> Any:
    """Debian's Chromium through Playwright (never a downloaded browser); skips without it or axe-core."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install)")
    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def seed_data(transactional_db: Any) -> None:
    """The code tables, roles and catalogue that data migrations load (a transactional test's
    flush removes them): the browser tests ask for it with ``usefixtures``."""
    import importlib

    from django.apps import apps

    from hrss.codes.loader import load_all
    from hrss.servicehall.catalogue import load_catalogue
    from hrss.servicehall.models import ServiceItem

    load_all(lambda name: apps.get_model("codes", name))
    importlib.import_module("hrss.identity.migrations.0003_seed_roles").seed(apps, None)
    load_catalogue(ServiceItem)


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def serious_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def record_sms(settings: Any) -> list[Any]:
    """Send notices in-process to notify's recording backend (the contract with the SMS
    provider: what would be sent); returns its emptied outbox."""
    from hrss.notify import backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.HRSS_SMS_BACKEND = "hrss.notify.backends.RecordingBackend"
    backends.outbox.clear()
    return backends.outbox


def flush_on_commit() -> None:
    """Run the after-commit callbacks waiting in the test's (never committed) transaction."""
    from django.db import connection

    while connection.run_on_commit:
        _savepoints, callback, _robust = connection.run_on_commit.pop(0)
        callback()


def make_city_with_phone() -> City:
    """The small city; the citizen's account has the registry's mobile number, as after sign-up."""
    from hrss.identity.onetime import phone_index

    built = make_city()
    built.citizen.phone = "13800138000"
    built.citizen.phone_index = phone_index("13800138000")
    built.citizen.save(update_fields=["phone", "phone_index"])
    return built
