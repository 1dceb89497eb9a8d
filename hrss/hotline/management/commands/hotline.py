"""``hrss hotline ivr-export``: the 12333 voice menu as the configuration the IVR platform loads
(an Asterisk ``extensions.conf``, the prompt texts for its text-to-speech, or the checked tree),
and ``hrss hotline wechat-menu``: the WeChat official account's custom menu JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrss.core.errors import DomainError
from hrss.hotline import ivr, wechat_menu


class Command(BaseCommand):
    help = "Export the hotline's channel configuration: the IVR dialplan and prompts, or the WeChat menu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["ivr-export", "wechat-menu"])
        parser.add_argument(
            "--format",
            choices=["asterisk", "prompts", "tree"],
            default="asterisk",
            help="ivr-export: extensions.conf (asterisk), the prompt texts (prompts, JSON) or the checked tree (JSON)",
        )
        parser.add_argument("--output", "-o", default="", help="write to this file instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "wechat-menu":
                text = json.dumps(wechat_menu.menu_json(), ensure_ascii=False, indent=2) + "\n"
            else:
                text = ivr.export(options["format"])
        except DomainError as exc:
            raise CommandError(f"{exc.message}: {exc.fields}") from exc
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"written {options['output']}")
        else:
            self.stdout.write(text, ending="")
