"""`hrss bench [NAME...] [--scale small|large]`: run the benchmarks in ``bench/`` (see docs/performance.md)."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Run benchmarks against scratch databases (never the database of record) and write "
        "bench/results/latest.json and latest.md: each figure with its same-run baseline and the ratio."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help="synth-load, person-lookup (default: all)")
        parser.add_argument(
            "--scale",
            choices=("smoke", "small", "large", "city"),
            default="small",
            help=(
                "small: 100,000 persons, a few minutes; large: 1,000,000 persons; city: 14,000,000 persons "
                "(PostgreSQL, about half an hour, ~20 GB of disk); smoke: checks the harness"
            ),
        )
        parser.add_argument("--db", default="postgresql,sqlite", help="comma-separated: postgresql, sqlite")
        parser.add_argument(
            "--pg-url",
            default=None,
            help="scratch PostgreSQL database (dropped and recreated; default HRSS_BENCH_PG_URL or hrss_bench)",
        )
        parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default: the scale's)")

    def handle(self, *args: Any, **options: Any) -> None:
        import os

        root = str(settings.BASE_DIR)
        if root not in sys.path:
            sys.path.insert(0, root)  # bench/ lives beside hrss/ in the source tree, not in the package
        try:
            from bench import harness
            from bench.common import DEFAULT_PG_URL
        except ImportError as error:
            raise CommandError(f"the benchmarks are in bench/ of the source tree ({error})") from None
        databases = [d.strip() for d in options["db"].split(",") if d.strip()]
        if not set(databases) <= {"postgresql", "sqlite"}:
            raise CommandError("--db takes postgresql and/or sqlite")
        try:
            harness.main(
                names=options["names"] or None,
                scale=options["scale"],
                databases=databases,
                pg_url=options["pg_url"] or os.environ.get("HRSS_BENCH_PG_URL", DEFAULT_PG_URL),
                repeat=options["repeat"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
