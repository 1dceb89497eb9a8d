"""`hrss schedule`: the scheduled jobs (hrss.core.schedule) — list, run one now, or run the scheduler.

hrss schedule                     # each job: cron, next run, last run and its outcome
hrss schedule run JOB             # run one job now, here (recorded like a scheduled run)
hrss schedule run JOB --enqueue   # hand it to the task worker instead
hrss schedule start               # the scheduler process (``hrss serve`` starts one)
"""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from hrss.core import schedule


def _age(moment: Any) -> str:
    if moment is None:
        return "never"
    seconds = int((timezone.now() - moment).total_seconds())
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


class Command(BaseCommand):
    help = "List the scheduled jobs with their next run; `run JOB` runs one now; `start` runs the scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        run = sub.add_parser("run", help="run one job now (inline, or --enqueue for the task worker)")
        run.add_argument("job")
        run.add_argument("--enqueue", action="store_true", help="enqueue it for the db_worker instead")
        start = sub.add_parser("start", help="run the scheduler (cron triggers enqueue the jobs) until stopped")
        start.add_argument("--no-catch-up", action="store_true", help="do not enqueue runs missed while down")
        start.add_argument("--lease-seconds", type=int, default=schedule.LEASE_SECONDS)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "run":
            self._run(options)
        elif action == "start":
            self._start(options)
        else:
            self._list()

    def _list(self) -> None:
        from hrss.core.models import JobRun

        table = Table(title="Scheduled jobs (times in the site's time zone)")
        for column in ("job", "cron", "next run", "last run", "outcome", "counts", "what it does"):
            table.add_column(column)
        for job in schedule.jobs():
            last = JobRun.objects.filter(job=job.name).order_by("-started_at").first()
            next_run = job.next_run()
            table.add_row(
                job.name,
                job.cron,
                f"{timezone.localtime(next_run):%Y-%m-%d %H:%M}" if next_run else "-",
                _age(last.started_at if last else None),
                last.outcome if last else "",
                ", ".join(f"{k} {v}" for k, v in last.counts.items()) if last else "",
                job.description,
            )
        Console(file=self.stdout, width=160).print(table)  # type: ignore[arg-type]  # OutputWrapper writes like a file

    def _run(self, options: dict[str, Any]) -> None:
        try:
            schedule.job_get(options["job"])
        except schedule.ScheduleError as error:
            raise CommandError(str(error)) from error
        if options["enqueue"]:
            task_id = schedule.job_enqueue(options["job"], trigger="manual")
            self.stdout.write(f"{options['job']}: enqueued (task {task_id})")
            return
        try:
            run = schedule.job_run(options["job"], trigger="manual")
        except Exception as error:
            raise CommandError(f"{options['job']} failed: {error}") from error
        counts = ", ".join(f"{k} {v}" for k, v in run.counts.items()) or "done"
        self.stdout.write(f"{run.job}: {run.outcome} ({counts})")

    def _start(self, options: dict[str, Any]) -> None:
        scheduler = schedule.Scheduler(lease_seconds=options["lease_seconds"], catch_up=not options["no_catch_up"])

        def stop(signum: int, frame: Any) -> None:
            scheduler.stop()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"scheduler {scheduler.holder}: {len(schedule.jobs())} jobs (Ctrl-C stops)")
        scheduler.run()
        self.stdout.write("scheduler stopped.")
