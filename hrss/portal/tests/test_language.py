"""A citizen never sees English in zh-hans: the public pages and each role's main pages are
rendered in Chinese and their visible text is searched for English from our own catalogues
(a msgid shown as is: a string left unmarked or untranslated) and for English sentences.

The same holds for the public pages in zh-hant. The language switcher names each language in
its own language, and the elderly-mode switch is in the header of every page."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import polib
import pytest
from django.test import Client

from hrss.portal.management.commands.i18n import catalogue_dirs
from hrss.servicehall.tests.builders import City, sign_in

PUBLIC_PAGES = [
    "/",
    "/hall/",
    "/hall/items/SH-JY-001/",
    "/hall/kiosk/",
    "/insurance/estimate/",
    "/card/catalogue/",
    "/labor/deadlines/?kind=acceptance&date=2026-09-28",
    "/accounts/login/",
    "/accounts/login/phone/",
    "/accounts/signup/",
    "/no-such-page/",
]
PAGES_BY_ROLE = {
    "citizen": [
        "/",
        "/accounts/me/",
        "/hall/applications/",
        "/hall/messages/",
        "/insurance/",
        "/card/",
        "/labor/cases/mine/",
    ],
    "agent": ["/", "/accounts/me/", "/accounts/me/employer/", "/insurance/employer/", "/hall/"],
    "clerk": ["/", "/accounts/me/", "/workbench/", "/hall/", "/insurance/staff/"],
}
# Words that are names, not English prose: products, standards and abbreviations.
ALLOWED = re.compile(r"\b(?:OpenAPI|API|OIDC|QR|PDF|SMS|TOTP|WeChat|HRSS|English|ID|PWA|GB/T|CSV|hrss)\b")
SENTENCE = re.compile(r"[A-Za-z]{3,}(?:[ ,:'-]+[A-Za-z]{2,})+")
HIDDEN = re.compile(r"<(script|style|code|pre|template)\b[^>]*>.*?</\1>", re.S | re.I)
# The language switcher's own names, and the code of a language in its lang attribute.
AUTONYMS = {"English", "简体中文", "繁體中文"}


@cache
def catalogue_english() -> frozenset[str]:
    """Every msgid of our catalogues that holds an English word (format-only strings aside)."""
    found = set()
    for locale in catalogue_dirs():
        for entry in polib.pofile(str(Path(locale) / "zh_Hans" / "LC_MESSAGES" / "django.po")):
            text = re.sub(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", "", entry.msgid).strip()
            if not entry.obsolete and re.search(r"[A-Za-z]{3,}", text) and text not in AUTONYMS:
                found.add(entry.msgid)
    return frozenset(found)


def visible_text(html: str) -> str:
    """The text a person sees or hears: element text plus labels that assistive tech reads."""
    html = HIDDEN.sub(" ", html)
    spoken = re.findall(r'\s(?:aria-label|placeholder|title|alt)="([^"]*)"', html)
    html = re.sub(r"<option [^>]*lang=\"[^\"]+\"[^>]*>[^<]*</option>", " ", html)  # autonyms
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", " ".join([text, *spoken])).replace("&nbsp;", " ")


def english_in(html: str) -> list[str]:
    text = visible_text(html)
    problems = [f"catalogue string shown in English: {m!r}" for m in catalogue_english() if _shown(m, text)]
    for match in SENTENCE.finditer(ALLOWED.sub(" ", text)):
        problems.append(f"English text: {match.group(0)!r}")
    return sorted(set(problems))


def _shown(msgid: str, text: str) -> bool:
    if msgid not in text:
        return False
    # a one-word msgid counts only as a word of its own, not inside a longer allowed name
    return bool(re.search(rf"(?<![A-Za-z0-9_]){re.escape(msgid)}(?![A-Za-z0-9_])", ALLOWED.sub(" ", text)))


def _check(client: Client, paths: list[str], language: str) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code < 500, f"{path}: {response.status_code}"
        if response.status_code in (301, 302):
            continue
        problems = english_in(response.content.decode())
        if problems:
            found[path] = problems[:8]
    return found


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
def test_public_pages_have_no_english(city: City, language: str) -> None:
    assert _check(Client(), PUBLIC_PAGES, language) == {}


@pytest.mark.parametrize("role", sorted(PAGES_BY_ROLE))
def test_each_roles_main_pages_have_no_english_in_zh_hans(city: City, role: str) -> None:
    user: Any = {"citizen": city.citizen, "agent": city.agent, "clerk": city.clerk}[role]
    assert _check(sign_in(Client(), user), PAGES_BY_ROLE[role], "zh-CN") == {}


def test_the_check_finds_english_it_should():
    """The detector itself: an unmarked catalogue string and an English sentence are caught."""
    page = '<p>Staff workbench</p><p title="Open the form now">好</p><code>invalid_id_number</code>'
    problems = english_in(page)
    assert any("Open the form now" in p for p in problems)
    assert not any("invalid_id_number" in p for p in problems)
    assert english_in("<p>社会保险 API 12333</p>") == []


def test_language_switcher_names_each_language_in_its_own_language(db: Any) -> None:
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    options = dict(re.findall(r'<option value="([\w-]+)" lang="[\w-]+"[^>]*>([^<]+)</option>', page))
    assert options == {"zh-hans": "简体中文", "zh-hant": "繁體中文", "en": "English"}
    assert "英语" not in page


@pytest.mark.parametrize("path", ["/", "/hall/", "/insurance/estimate/", "/accounts/login/", "/card/catalogue/"])
def test_elderly_mode_switch_is_in_every_header_and_remembered(db: Any, path: str) -> None:
    client = Client()
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'action="/mode/"' in page and "长者模式" in page and 'aria-pressed="false"' in page
    client.post("/mode/", {"elderly": "1", "next": path})
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="zh-hans" class="elderly">' in page and 'aria-pressed="true"' in page
    assert client.post("/mode/", {"elderly": "0", "next": "https://evil.example/"})["Location"] == "/"
    assert 'class="elderly"' not in client.get(path).content.decode()
