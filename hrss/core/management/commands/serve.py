"""`hrss serve`: the production server (granian, WSGI), one task worker and the scheduler, stopped together by Ctrl-C.

The scheduler (``hrss schedule start``, APScheduler cron triggers that enqueue the jobs of
``hrss.core.schedule``) holds a lease in the database, so however many ``hrss serve`` run
against one database, only one scheduler fires; the others wait to take over.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def _metrics_directory(configured: str | None) -> str:
    """prometheus_client's multiprocess directory, emptied: /metrics sums every worker's counters."""
    from django.conf import settings

    directory = Path(configured) if configured else Path(settings.VAR_DIR) / "prometheus"
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    return str(directory)


class Command(BaseCommand):
    help = "Serve hrss with granian (static files through WhiteNoise), one background task worker and the scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HRSS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HRSS_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("HRSS_WEB_WORKERS", "2")))
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")
        parser.add_argument("--no-scheduler", action="store_true", help="do not start the job scheduler")

    def handle(self, *args: Any, **options: Any) -> None:
        bin_dir = os.path.dirname(sys.executable)
        granian = os.path.join(bin_dir, "granian")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "hrss.settings")}
        env["PROMETHEUS_MULTIPROC_DIR"] = _metrics_directory(env.get("PROMETHEUS_MULTIPROC_DIR"))
        web = [
            granian,
            "--interface",
            "wsgi",
            "--host",
            options["host"],
            "--port",
            str(options["port"]),
            "--workers",
            str(options["workers"]),
            "--blocking-threads",
            "4",
            # A worker that dies is replaced rather than taking the whole server down with it
            # (granian's default); the death is still logged ("Unexpected exit from worker"),
            # and tools/fuzz_live.py fails a run whose log shows one.
            "--respawn-failed-workers",
            "hrss.wsgi:application",
        ]
        children = [subprocess.Popen(web, env=env)]  # noqa: S603 - fixed argv, no shell
        if not options["no_worker"]:
            worker = [sys.executable, "-m", "hrss.cli", "db_worker", "--queue-name", "*", "--no-reload"]
            children.append(subprocess.Popen(worker, env=env))  # noqa: S603 - fixed argv, no shell
        if not options["no_scheduler"]:
            scheduler = [sys.executable, "-m", "hrss.cli", "schedule", "start"]
            children.append(subprocess.Popen(scheduler, env=env))  # noqa: S603 - fixed argv, no shell
        self.stdout.write(
            self.style.SUCCESS(f"hrss is serving on http://{options['host']}:{options['port']}/ (Ctrl-C stops)")
        )

        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [
            str(child.args) for child in children if child.returncode not in (0, -signal.SIGTERM, None) and not stopping
        ]
        if failed:
            self.stderr.write(f"stopped because a process exited: {failed}")
            sys.exit(1)
        self.stdout.write("hrss stopped.")
