"""The three languages stay in step: every catalogue's zh_Hant follows its zh_Hans."""

from __future__ import annotations

import io

import polib
from django.core.management import call_command

from hrss.portal.management.commands.i18n import CORRECTIONS, catalogue_dirs


def _catalogue(locale, language):
    return polib.pofile(str(locale / language / "LC_MESSAGES" / "django.po"))


def test_every_app_catalogue_is_found():
    names = {path.parent.name for path in catalogue_dirs()}
    assert {"hrss", "card", "insurance", "servicehall"} <= names


def test_traditional_catalogues_cover_the_simplified_ones():
    for locale in catalogue_dirs():
        simplified = {(e.msgctxt, e.msgid) for e in _catalogue(locale, "zh_Hans") if not e.obsolete and e.msgid}
        traditional = {(e.msgctxt, e.msgid): e.msgstr for e in _catalogue(locale, "zh_Hant") if not e.obsolete}
        missing = simplified - set(traditional)
        assert not missing, f"{locale}: zh_Hant lacks {sorted(missing)[:3]}"
        wrong = [text for text in traditional.values() for bad in CORRECTIONS if bad in text]
        assert not wrong, f"{locale}: {wrong[:3]}"


def test_hant_regeneration_applies_the_corrections(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    (locale / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    source = polib.POFile()
    source.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    source.append(polib.POEntry(msgid="Cards issued", msgstr="已发卡"))
    source.save(str(locale / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    monkeypatch.setattr("hrss.portal.management.commands.i18n.catalogue_dirs", lambda: [locale])
    call_command("i18n", "hant", stdout=io.StringIO())
    assert _catalogue(locale, "zh_Hant").find("Cards issued").msgstr == "已發卡"


def test_hant_regeneration_keeps_contexts_and_reviewed_entries_per_context(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    for language in ("zh_Hans", "zh_Hant"):
        (locale / language / "LC_MESSAGES").mkdir(parents=True)
    source = polib.POFile()
    source.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    source.append(polib.POEntry(msgid="Due", msgstr="到期"))
    source.append(polib.POEntry(msgctxt="contribution", msgid="Due", msgstr="应缴"))
    source.save(str(locale / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    earlier = polib.POFile()
    earlier.metadata = source.metadata
    earlier.append(polib.POEntry(msgctxt="contribution", msgid="Due", msgstr="應繳納", flags=["reviewed"]))
    earlier.save(str(locale / "zh_Hant" / "LC_MESSAGES" / "django.po"))
    monkeypatch.setattr("hrss.portal.management.commands.i18n.catalogue_dirs", lambda: [locale])
    call_command("i18n", "hant", stdout=io.StringIO())
    written = _catalogue(locale, "zh_Hant")
    assert written.find("Due").msgstr == "到期"
    assert written.find("Due", msgctxt="contribution").msgstr == "應繳納"
