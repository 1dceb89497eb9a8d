"""The employment app speaks Simplified Chinese: a complete catalogue, and pages that use it."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import translation

from hrss.employment.models import Vacancy
from hrss.employment.tests import builders
from hrss.testing import sign_in

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_simplified_catalogue_translates_every_message():
    catalogue = _catalogue("zh_Hans")
    entries = [e for e in catalogue if e.msgid and not e.obsolete]
    assert len(entries) > 100, "the catalogue lost its messages: run makemessages in hrss/employment"
    untranslated = [e.msgid for e in entries if not e.msgstr and not any(e.msgstr_plural.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in employment zh_Hans: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy in employment zh_Hans: {fuzzy[:5]}"


def test_translations_keep_the_placeholders():
    for entry in _catalogue("zh_Hans"):
        if entry.msgid and not entry.obsolete:
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == sorted(PLACEHOLDER.findall(entry.msgid)), entry.msgid


def test_words_shared_with_other_apps_keep_their_own_meaning():
    """Django merges every catalogue: a vacancy's "open" is not the hall's "open"."""
    with translation.override("zh-hans"):
        assert str(Vacancy.Status.OPEN.label) == "招聘中"
        assert translation.gettext("open") != "招聘中"


@pytest.mark.django_db
def test_the_seekers_page_has_no_english_left_in_simplified_chinese():
    user = builders.seeker()
    builders.profile(user)
    builders.vacancy(builders.agent())
    page = sign_in(Client(), user).get("/employment/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    words = set(re.findall(r"\b[A-Za-z]{4,}\b", text)) - {"Python", "YYYY"}
    assert not words, words
    assert "为我推荐的岗位" in main and "意向职业相同" in main
