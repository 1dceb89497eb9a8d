"""`hrss i18n`: keep the three languages in step.

- ``hrss i18n hant`` regenerates the Traditional Chinese catalogue from the Simplified one
  with OpenCC (s2t); entries a reviewer has corrected (flagged ``reviewed`` in zh_Hant)
  are kept. Every catalogue: the project's and each app's ``locale``.
- ``hrss i18n compile`` compiles every catalogue (gettext's msgfmt).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

LOCALE = Path(settings.LOCALE_PATHS[0])
# Where OpenCC's phrase table picks the wrong character for this domain: 发卡 is issuing a
# card (發卡), never a hairpin (髮卡).
CORRECTIONS = {"髮卡": "發卡"}


def catalogue_dirs() -> list[Path]:
    """The project's catalogue and every installed hrss app's own (``hrss/<app>/locale``)."""
    found = [LOCALE]
    for config in apps.get_app_configs():
        path = Path(config.path) / "locale"
        if config.name.startswith("hrss.") and path.is_dir() and path not in found:
            found.append(path)
    return found


class Command(BaseCommand):
    help = "Generate zh-hant from zh-hans with OpenCC (`hant`) or compile the catalogues (`compile`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("hant", help="regenerate zh_Hant/LC_MESSAGES/django.po from zh_Hans")
        sub.add_parser("compile", help="compile every .po into .mo")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "compile":
            locales = [p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES" / "django.po").exists()]
            if locales:
                call_command("compilemessages", locale=locales, verbosity=0)
            self.stdout.write(f"catalogues compiled: {', '.join(sorted(locales)) or 'none'}")
            return
        import opencc

        opencc_converter = opencc.OpenCC("s2t")

        class Converter:
            @staticmethod
            def convert(text: str) -> str:
                converted = opencc_converter.convert(text)
                for wrong, right in CORRECTIONS.items():
                    converted = converted.replace(wrong, right)
                return converted

        converter = Converter()
        for locale in catalogue_dirs():
            if (locale / "zh_Hans" / "LC_MESSAGES" / "django.po").exists():
                self._hant(converter, locale)

    def _hant(self, converter: Any, locale: Path) -> None:
        source = polib.pofile(str(locale / "zh_Hans" / "LC_MESSAGES" / "django.po"))
        target_path = locale / "zh_Hant" / "LC_MESSAGES" / "django.po"
        # an entry is its context and its text: the same English in two contexts is two entries
        reviewed: dict[tuple[str | None, str], polib.POEntry] = {}
        if target_path.exists():
            reviewed = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(target_path)) if "reviewed" in e.flags}
        target = polib.POFile()
        target.metadata = {**source.metadata, "Language": "zh_Hant"}
        for entry in source:
            if entry.obsolete:
                continue
            if (entry.msgctxt, entry.msgid) in reviewed:
                target.append(reviewed[(entry.msgctxt, entry.msgid)])
                continue
            target.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgstr=converter.convert(entry.msgstr),
                    msgid_plural=entry.msgid_plural,
                    msgstr_plural={k: converter.convert(v) for k, v in entry.msgstr_plural.items()},
                    occurrences=entry.occurrences,
                    flags=[f for f in entry.flags if f != "fuzzy"],
                )
            )
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target.save(str(target_path))
        self.stdout.write(f"wrote {target_path} ({len(target)} messages, {len(reviewed)} reviewed kept)")
