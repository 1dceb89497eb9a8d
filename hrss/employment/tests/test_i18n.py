"""The employment app in Simplified Chinese on its pages (every catalogue is checked in hrss/portal/tests/test_i18n.py)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from hrss.employment.models import Vacancy
from hrss.employment.tests import builders
from hrss.testing import sign_in


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
