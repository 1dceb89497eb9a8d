"""The kiosk's card sign-in in Debian's Chromium at a kiosk's screen size: insert the card,
a wrong PIN then the right one, the kiosk's services, and the idle sign-out back to the start.

Never downloads a browser: Playwright drives /usr/bin/chromium. Screenshots go to
test-artifacts/identity/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hrss.card.tests.builders import PIN, active_card
from hrss.core.models import AuditEntry
from hrss.servicehall.tests.builders import serious_violations
from hrss.testing import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "identity"
KIOSK_SCREEN = {"width": 1080, "height": 1920}  # a portrait self-service terminal (自助一体机)


@pytest.fixture(autouse=True)
def _kiosk_settings(settings: Any) -> None:
    settings.HRSS_CARD_READER_BACKEND = "hrss.identity.cardreader.RecordingCardReader"


def test_card_insert_sign_in_and_idle_sign_out_at_kiosk_size(browser, live_server, settings, tmp_path):
    settings.HRSS_KIOSK_IDLE_SECONDS = 120
    person = make_person(name="张伟", phone="13800138000")
    card = active_card(tmp_path, person)
    make_user("zw", "citizen", person=person)
    base = live_server.url
    context = browser.new_context(locale="en-US", viewport=KIOSK_SCREEN)
    context.set_default_timeout(15000)
    page = context.new_page()

    page.goto(f"{base}/accounts/kiosk/?terminal=K-7")  # the terminal's start address names its reader
    page.goto(f"{base}/hall/kiosk/")
    page.click("[data-kiosk-signin]")
    page.wait_for_url("**/accounts/kiosk/")
    page.click("[data-way=card]")
    page.wait_for_url("**/accounts/kiosk/card/")
    assert serious_violations(page) == []

    # The development reader: put the card in the slot, as the terminal's reader would read it.
    page.click(".kiosk-development summary")
    page.fill("#id_card_number", card.number)
    page.fill("#id_chip_serial", card.chip_serial)
    page.click(".kiosk-development button")
    page.wait_for_url("**/accounts/kiosk/card/")

    page.fill("#id_pin", "999999")
    page.click(".kiosk-form button")
    alert = page.locator(".form-errors[role=alert]")
    assert "PIN is not right" in alert.inner_text()  # shown in place, next to the form

    settings.HRSS_KIOSK_IDLE_SECONDS = 12  # from here on: a short wait for the idle sign-out
    page.fill("#id_pin", PIN)
    page.click(".kiosk-form button")
    page.wait_for_url("**/hall/kiosk/")
    assert page.locator("text=Sign out and take my card").count() == 1
    page.screenshot(path=str(ARTIFACTS / "kiosk-signed-in.png"), full_page=True)
    assert serious_violations(page) == []

    # Nobody touches the screen: a warning counts down, then the kiosk signs out and starts again.
    page.wait_for_selector(".kiosk-timeout:not([hidden])", timeout=10000)
    page.wait_for_selector("[data-kiosk-signin]", timeout=15000)
    assert page.url.endswith("/hall/kiosk/")
    outcomes = [entry.detail for entry in AuditEntry.objects.filter(action__startswith="identity.kiosk.")]
    assert [(o["outcome"], o["reason"]) for o in outcomes] == [
        ("refused", "card_pin_wrong"),
        ("signed_in", ""),
        ("signed_out", "idle"),
    ]
    context.close()
