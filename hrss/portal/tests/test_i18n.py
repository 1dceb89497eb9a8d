"""The three languages stay in step: every catalogue's zh_Hant follows its zh_Hans."""

from __future__ import annotations

import io
import re

import polib
from django.core.management import call_command

from hrss.portal.management.commands.i18n import CORRECTIONS, catalogue_dirs


def _catalogue(locale, language):
    return polib.pofile(str(locale / language / "LC_MESSAGES" / "django.po"))


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
# The least each app's catalogue holds: fewer means makemessages lost its messages.
MINIMUM_MESSAGES = {
    "analytics": 20,
    "insurance": 300,
    "labor": 80,
    "employment": 100,
    "hotline": 70,
    "training": 250,
    "medical": 120,
    "credit": 60,
    "archive": 70,
    "exchange": 40,
    "exams": 200,
    "talent": 220,
}


def test_every_app_catalogue_is_found():
    names = {path.parent.name for path in catalogue_dirs()}
    expected = set(MINIMUM_MESSAGES) | {"hrss", "card", "servicehall"}
    assert expected <= names


def test_every_simplified_catalogue_translates_every_message_and_keeps_its_placeholders():
    for locale in catalogue_dirs():
        app = locale.parent.name
        entries = [e for e in _catalogue(locale, "zh_Hans") if e.msgid and not e.obsolete]
        assert len(entries) > MINIMUM_MESSAGES.get(app, 0), f"{app}: the catalogue lost its messages"
        untranslated = [e.msgid for e in entries if not e.msgstr and not any(e.msgstr_plural.values())]
        fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
        assert not untranslated, f"untranslated in {app} zh_Hans: {untranslated[:5]}"
        assert not fuzzy, f"fuzzy in {app} zh_Hans: {fuzzy[:5]}"
        for entry in entries:
            translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
            for text in translations:
                assert sorted(PLACEHOLDER.findall(text)) == wanted, f"{app}: {entry.msgid}"


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


# Chinese prose takes full-width punctuation (，：；); an ASCII one beside a Chinese character
# is a slip. Not prose: a literal the reader types or a file holds, quoted (“题号:答案”) or
# in brackets ({语言: 文本}), where the ASCII character is the syntax.
CJK = "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
ASCII_BESIDE_CJK = re.compile(f"{CJK}[,:;]|[,:;]{CJK}")
LITERAL = re.compile(r"“[^”]*”|\"[^\"]*\"|\{[^{}]*\}|\[[^\[\]]*\]")


def test_chinese_translations_use_full_width_punctuation():
    found = []
    for locale in catalogue_dirs():
        compiled = locale / "zh_Hans" / "LC_MESSAGES" / "django.mo"
        assert compiled.exists(), f"{compiled} is not compiled (hrss i18n compile)"
        for entry in polib.mofile(str(compiled)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                prose = LITERAL.sub("", text or "")
                while LITERAL.search(prose):  # nested brackets
                    prose = LITERAL.sub("", prose)
                if ASCII_BESIDE_CJK.search(prose):
                    found.append(f"{locale.parent.name}: {entry.msgctxt or ''} {entry.msgid!r} -> {text!r}")
    assert not found, "ASCII , : ; in Chinese text:\n" + "\n".join(found)


def test_the_punctuation_check_finds_a_slip():
    assert ASCII_BESIDE_CJK.search("受理编号: 1") and ASCII_BESIDE_CJK.search("材料,照片")
    assert not ASCII_BESIDE_CJK.search("09:00 开始") and not ASCII_BESIDE_CJK.search(LITERAL.sub("", "应为“题号:答案”"))


# Django merges every catalogue into one per language: the project's first, then the apps' in
# INSTALLED_APPS order (Django's own contrib apps before ours), so another app's translation of
# the same msgid (and msgctxt) wins over an app's own: the hall showed 应用 for "Application",
# the hotline 岗位名称 (employment's) for an article's "title", training 应聘者 for its
# "Candidates". Where an app needs another translation of a word, the word carries the app's
# label as its context (pgettext("hotline", "title")); where the meaning is the same, the app's
# catalogue uses the wording shown. The names of computed figures share the context
# "computed figure" on purpose: the domain app that computes a figure names it.
SHARED_CONTEXTS = {"computed figure"}


def test_every_catalogue_shows_its_own_translations():
    from django.utils import translation

    wrong = []
    for locale in catalogue_dirs():
        with translation.override("zh-hans"):
            for entry in _catalogue(locale, "zh_Hans"):
                if entry.obsolete or not entry.msgid or entry.msgid_plural or entry.msgctxt in SHARED_CONTEXTS:
                    continue
                shown = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                )
                if shown != entry.msgstr:
                    wrong.append(
                        f"{locale.parent.name}: {entry.msgctxt or ''} {entry.msgid!r} is {entry.msgstr!r} but shows {shown!r}"
                    )
    assert not wrong, "\n".join(wrong)
