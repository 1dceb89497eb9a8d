"""End to end in Debian's Chromium (Playwright): apply, accept, review, result; a supplement round; axe-core.

Never downloads a browser: Playwright drives /usr/bin/chromium. Screenshots go to
test-artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hrss.servicehall.tests.builders import (
    PNG,
    City,
    do,
    make_retiree,
    serious_violations,
    session_cookie,
    shot,
    submit,
)

# Transactional (the live server reads what the test writes). Not serialized_rollback: a
# flush by an earlier transactional test re-creates content types, and restoring the
# serialized copy over them fails; the seed data these tests need is re-loaded instead.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]

HALL_PAGES = [
    "/hall/",
    "/hall/items/SH-JY-001/",
    "/hall/items/SH-JY-001/apply/",
    "/hall/applications/",
    "/hall/messages/",
]


def context_for(browser: Any, live_server: Any, user: Any, *, elderly: bool = False) -> Any:
    """A browser context signed in as the user (a session made by Django's test client)."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    cookies = [session_cookie(live_server, user)]
    if elderly:
        cookies.append({"name": "hrss_elderly", "value": "1", "url": live_server.url})
    context.add_cookies(cookies)
    context.set_default_timeout(15000)
    return context


def apply_for_unemployment(page: Any, base: str) -> str:
    page.goto(f"{base}/hall/")
    page.fill("#q", "失业")
    page.wait_for_selector("#item-list a[href='/hall/items/SH-JY-001/']")
    page.click("a[href='/hall/items/SH-JY-001/']")
    page.click("a[href='/hall/items/SH-JY-001/apply/']")
    assert page.input_value("#f-name") == "张伟"  # pre-filled from the registry
    page.fill("#f-unemployed_since", "2026-10-01")
    page.check("#f-wants_training")
    page.click("button.primary")
    page.wait_for_url("**/hall/applications/SH*/")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def handle_first_in_queue(page: Any, base: str, reference: str, decision: str = "approve", **kw: Any) -> None:
    page.goto(f"{base}/workbench/")
    page.click(f"text={reference}")
    page.check(f"#d-{decision}")
    for material in kw.get("missing", []):
        page.check(f"#m-{material}")
    if kw.get("reasons"):
        page.fill("#reasons", kw["reasons"])
    page.click("button.primary")
    page.wait_for_url(f"{base}/workbench/")


def test_apply_accept_review_and_see_the_result(browser: Any, live_server: Any, city: City) -> None:
    base = live_server.url
    citizen = context_for(browser, live_server, city.citizen).new_page()
    reference = apply_for_unemployment(citizen, base)
    assert "submitted, waiting to be accepted" in citizen.inner_text("#status")
    shot(citizen, "1-citizen-submitted")

    clerk = context_for(browser, live_server, city.clerk).new_page()
    handle_first_in_queue(clerk, base, reference)
    shot(clerk, "2-clerk-accepted")

    reviewer = context_for(browser, live_server, city.reviewer).new_page()
    handle_first_in_queue(reviewer, base, reference)

    citizen.goto(f"{base}/hall/applications/{reference}/")
    assert "approved" in citizen.inner_text("#status")
    assert "registered as unemployed" in citizen.inner_text("main")
    shot(citizen, "3-citizen-approved")


def test_supplement_round_in_the_browser(browser: Any, live_server: Any, city: City, tmp_path: Path) -> None:
    base = live_server.url
    citizen = context_for(browser, live_server, city.citizen).new_page()
    citizen.goto(f"{base}/hall/items/SH-KA-001/apply/")
    citizen.select_option("#f-delivery", "post")
    citizen.fill("#f-address", "和平区南京路1号")
    citizen.click("button.primary")
    citizen.wait_for_url("**/hall/applications/SH*/")
    reference = citizen.url.rstrip("/").rsplit("/", 1)[-1]

    clerk = context_for(browser, live_server, city.clerk).new_page()
    handle_first_in_queue(clerk, base, reference, "supplement", missing=["photo"], reasons="Please add a recent photo.")

    citizen.reload()
    assert "more material needed" in citizen.inner_text("#status")
    assert "Please add a recent photo." in citizen.inner_text("main")
    shot(citizen, "4-citizen-supplement")
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    citizen.set_input_files("#file", str(photo))
    citizen.click("form.upload button[type=submit]")
    citizen.wait_for_selector("text=photo.png")
    citizen.fill("#answer", "Photo uploaded.")
    citizen.click("section.supplement form:not(.upload) button.primary")
    citizen.wait_for_load_state()

    handle_first_in_queue(clerk, base, reference)
    citizen.goto(f"{base}/hall/applications/{reference}/")
    assert "approved" in citizen.inner_text("#status")
    shot(citizen, "5-citizen-approved-after-supplement")


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_hall_pages_have_no_serious_accessibility_violations(
    browser: Any, live_server: Any, city: City, elderly: bool
) -> None:

    application = submit(city, "SH-KA-001", {"phone": "13800138000", "delivery": "post", "address": "和平区南京路1号"})
    page = context_for(browser, live_server, city.citizen, elderly=elderly).new_page()
    found = {}
    for path in [*HALL_PAGES, f"/hall/applications/{application.reference}/", "/hall/kiosk/"]:
        page.goto(f"{live_server.url}{path}")
        if elderly:
            assert "elderly" in (page.get_attribute("body", "class") or "")
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    shot(page, f"6-kiosk-{'elderly' if elderly else 'normal'}")
    assert found == {}


def test_workbench_pages_have_no_serious_accessibility_violations(browser: Any, live_server: Any, city: City) -> None:
    from hrss.servicehall.models import StaffProfile

    StaffProfile.objects.create(user=city.clerk, supervisor=True)
    application = submit(city, "SH-KA-001", {"phone": "13800138000", "delivery": "post", "address": "和平区南京路1号"})
    work = application.work_items.get()
    page = context_for(browser, live_server, city.clerk).new_page()
    found = {}
    for path in [
        "/workbench/",
        f"/workbench/work/{work.pk}/",
        f"/workbench/applications/{application.reference}/",
        f"/workbench/walk-in/?id_number={city.person.id_number}",
        "/workbench/supervisor/",
    ]:
        page.goto(f"{live_server.url}{path}")
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    shot(page, "7-supervisor")
    assert found == {}


def test_computed_figures_on_the_work_page_have_no_serious_accessibility_violations(
    browser: Any, live_server: Any, city: City
) -> None:
    """The reviewer's 计算结果 (nested lists, the payment schedule's table) passes axe-core too."""
    import importlib

    from django.apps import apps

    from hrss.core import scope as roles
    from hrss.testing import make_user

    # The insurance seed (policy figures, industry risk classes) a flush removed, as _seed_data does.
    importlib.import_module("hrss.insurance.migrations.0002_seed_policy").seed(apps, None)
    applicant = make_user("citizen_retiree", roles.CITIZEN, person=make_retiree())
    application = do(city, submit(city, "SH-YL-004", {"phone": "13800138000", "payment_to": "card"}, user=applicant))
    review = application.work_items.get(state="open")
    page = context_for(browser, live_server, city.reviewer).new_page()
    page.goto(f"{live_server.url}/workbench/work/{review.pk}/")
    assert "2,014.83" in page.inner_text("section.computed")
    found = {"review": serious_violations(page)}
    shot(page, "8-review-computed")
    application = do(city, do(city, application))  # granted: the result adds the payment schedule
    page.goto(f"{live_server.url}/workbench/work/{application.work_items.get(step='approve').pk}/")
    assert page.locator("section.computed table").count() == 1
    found["approved"] = serious_violations(page)
    assert found == {"review": [], "approved": []}
