"""End to end in Debian's Chromium (Playwright), in zh-hans: an insured citizen opens 我的档案
on a phone-sized screen, issues a 参保缴费证明 on 我的证明, downloads the signed PDF, follows
the verification address its QR code holds (the page anyone opens), and compares the
downloaded file there. Never downloads a browser: Playwright drives /usr/bin/chromium."""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from hrss.archive.models import IssuedCertificate
from hrss.archive.tests.builders import insured
from hrss.core import scope as roles
from hrss.labor.tests.test_browser import context_for
from hrss.servicehall.tests.builders import serious_violations
from hrss.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]


def test_issue_download_and_verify_a_certificate(browser: Any, live_server: Any, tmp_path: Path) -> None:
    # The insurance seed (policy figures, industry risk classes) the flush removed.
    importlib.import_module("hrss.insurance.migrations.0002_seed_policy").seed(apps, None)
    person, _firm = insured(months=3, name="档案浏览")
    citizen = make_user("archive_browser", roles.CITIZEN, person=person)
    base = live_server.url
    page = context_for(browser, live_server, citizen, width=390).new_page()

    page.goto(f"{base}/archive/dossier/")
    main = page.inner_text("main")
    assert "我的档案" in main and "参保登记" in main and "缴费记录" in main
    assert person.id_number not in main
    assert serious_violations(page) == []

    page.goto(f"{base}/archive/certificates/")
    page.locator("tr", has_text="参保缴费证明").locator("button").click()
    page.wait_for_url(f"{base}/archive/certificates/")
    assert "已开具" in page.inner_text(".messages")
    assert serious_violations(page) == []
    row = IssuedCertificate.objects.get(person=person)
    with page.expect_download() as download:
        page.click("text=下载PDF")
    saved = tmp_path / "certificate.pdf"
    download.value.save_as(saved)
    data = saved.read_bytes()
    assert hashlib.sha256(data).hexdigest() == row.file_sha256

    # Anyone who scans the QR code: no session.
    visitor = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-hans"}).new_page()
    visitor.goto(f"{base}/verify/{row.code}/")
    main = visitor.inner_text("main")
    assert "真实有效" in main and row.number in main and "档***" in main
    assert "当前记录与证明内容一致" in main
    assert serious_violations(visitor) == []
    visitor.set_input_files("#v-file", str(saved))
    with visitor.expect_navigation():
        visitor.click("main form button")
    assert "完全一致" in visitor.inner_text("main")
