"""The labour app speaks Simplified Chinese: a complete catalogue that keeps its placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_simplified_catalogue_translates_every_message():
    catalogue = _catalogue("zh_Hans")
    entries = [e for e in catalogue if e.msgid and not e.obsolete]
    assert len(entries) > 80, "the catalogue lost its messages: run makemessages in hrss/labor"
    untranslated = [e.msgid for e in entries if not e.msgstr and not any(e.msgstr_plural.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in labor zh_Hans: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy in labor zh_Hans: {fuzzy[:5]}"


def test_translations_keep_the_placeholders():
    for entry in _catalogue("zh_Hans"):
        if entry.msgid and not entry.obsolete:
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == sorted(PLACEHOLDER.findall(entry.msgid)), entry.msgid


def test_the_case_states_in_simplified_chinese():
    from hrss.labor.models import CaseStatus, ClockState

    with translation.override("zh-hans"):
        assert str(CaseStatus.AWARDED.label) == "已作出裁决"
        assert str(ClockState.OVERDUE.label) == "已超期"
