"""``hrss jobindex rebuild``: write a new on-disk base of the vacancy search index (every
open vacancy) and point the servers' processes at it; ``hrss jobindex status``: the base in
use and how many vacancies changed since. The nightly job ``employment.index_rebuild`` does
the rebuild too; run it by hand after a bulk import or a restore."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from hrss.core.textsearch import DiskIndex
from hrss.employment import search


class Command(BaseCommand):
    help = "Rebuild the vacancy search index's on-disk base, or show its status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "status"])
        parser.add_argument(
            "--margin-seconds",
            type=int,
            default=int(search.WATERMARK_MARGIN.total_seconds()),
            help="the base covers the changes before its start less this (0 after a bulk import: no write under way)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root = search.index_root()
        if options["action"] == "rebuild":
            started = time.perf_counter()
            counts = search.rebuild(margin=dt.timedelta(seconds=max(0, options["margin_seconds"])))
            self.stdout.write(
                f"vacancy index: {counts['indexed']} open vacancies in {time.perf_counter() - started:.1f} s, "
                f"version {DiskIndex.current(root)} in {root}"
            )
            return
        base = DiskIndex.open(root)
        if base is None:
            self.stdout.write(f"vacancy index: no base in {root} (every search indexes the open vacancies in memory)")
            return
        delta = search._delta_key(timezone.localdate(), base)
        self.stdout.write(
            f"vacancy index: version {base.version} in {root}, {len(base)} vacancies, "
            f"{base.mapped_bytes() / 1e6:.1f} MB mapped, built {base.meta['built_at']}, "
            f"{delta[3]} vacancies changed since its watermark"
        )
