"""Scheduled jobs: one registry of the daily and monthly jobs, a cron scheduler that enqueues them.

Each app declares its jobs as data on its ``AppConfig`` (``scheduled_jobs = (Job(...),)``);
``CoreConfig.ready()`` collects them into this registry, so every process (web, task worker,
scheduler, ``hrss schedule``) knows the same jobs from start-up and core imports no app.

Why APScheduler: ``django-crontask`` is the obvious choice for django-tasks, but it needs
Python >= 3.12 and Django >= 6, and hrss runs on Python 3.11 / Django 5.2. django-crontask is
a thin layer over APScheduler 3.x, so we use APScheduler 3.x directly the same way: its
cron triggers only *enqueue* a django-tasks task (``hrss.core.tasks.scheduled_job_run``);
the ``db_worker`` runs it. ``hrss serve`` starts one scheduler process (``hrss schedule
start``) next to granian and the worker; a lease row in the database
(``core.SchedulerLease``) makes sure only one scheduler fires, however many are started.

Every job is idempotent (a second run, or a late one after downtime, does no harm) and every
run is recorded (``core.JobRun``: start, finish, outcome, counts). A scheduler that starts
after downtime enqueues, once, each job whose last run is older than its previous fire time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hrss.core.models import JobRun

logger = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
LEASE_SECONDS = 60
# A fire that comes this late (the scheduler was busy or asleep) is still enqueued once.
MISFIRE_GRACE_SECONDS = 3600


class ScheduleError(Exception):
    """An unknown job, or a job declared twice."""


@dataclass(frozen=True)
class Job:
    """A scheduled job: ``func`` (a dotted path) is called with no arguments and returns
    its counts (``{"lapsed": 3}``, or an int); it must be idempotent."""

    name: str
    cron: str  # five fields: minute hour day month day-of-week (in settings.TIME_ZONE)
    func: str
    description: str
    kwargs: dict[str, Any] = field(default_factory=dict)

    def trigger(self) -> Any:
        from apscheduler.triggers.cron import CronTrigger
        from django.conf import settings

        return CronTrigger.from_crontab(self.cron, timezone=settings.TIME_ZONE)

    def next_run(self, after: dt.datetime | None = None) -> dt.datetime | None:
        from django.utils import timezone

        return self.trigger().get_next_fire_time(None, after or timezone.now())

    def previous_fire(self, now: dt.datetime, *, since: dt.datetime) -> dt.datetime | None:
        """The latest fire time in ``(since, now]``, or None when the cron did not fire then."""
        trigger = self.trigger()
        fire = trigger.get_next_fire_time(None, since)
        last = None
        while fire is not None and fire <= now:
            if fire > since:
                last = fire
            fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
        return last


_JOBS: dict[str, Job] = {}


def register_job(job: Job) -> Job:
    """Add a job (from ``ready()``); the same job again is a no-op, another job of the same name is refused."""
    existing = _JOBS.get(job.name)
    if existing is not None and existing != job:
        raise ScheduleError(f"two scheduled jobs are named {job.name!r}")
    job.trigger()  # a bad cron expression fails at start-up, not at 3 a.m.
    _JOBS[job.name] = job
    return job


def jobs_collect(configs: Iterable[Any] | None = None) -> None:
    """Collect ``scheduled_jobs`` declared on every installed app's ``AppConfig``."""
    from django.apps import apps

    for config in configs if configs is not None else apps.get_app_configs():
        for job in getattr(config, "scheduled_jobs", ()):
            register_job(job)


def jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def job_get(name: str) -> Job:
    try:
        return _JOBS[name]
    except KeyError:
        raise ScheduleError(f"no scheduled job {name!r}; known: {', '.join(sorted(_JOBS))}") from None


# ---------------------------------------------------------------- runs


def _counts(result: Any) -> dict[str, Any]:
    if isinstance(result, dict):
        return {str(k): v for k, v in result.items() if isinstance(v, int | float | str | bool)}
    if isinstance(result, int | float):
        return {"count": result}
    if isinstance(result, list | tuple):
        return {"count": len(result)}
    return {}


def job_run(name: str, *, trigger: str = "manual") -> JobRun:
    """Run one job now in this process and record the run (``core.JobRun``); a failure is
    recorded with its reason and raised again (so a task run is marked failed too)."""
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from hrss.core.models import JobRun

    job = job_get(name)
    run = JobRun.objects.create(job=name, trigger=trigger, started_at=timezone.now(), outcome=JobRun.Outcome.RUNNING)
    try:
        func: Callable[..., Any] = import_string(job.func)
        result = func(**job.kwargs)
    except Exception as error:
        run.outcome = JobRun.Outcome.FAILED
        run.error = f"{type(error).__name__}: {error}"[:500]
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "error", "finished_at"])
        logger.exception("scheduled job %s failed", name)
        raise
    run.outcome = JobRun.Outcome.SUCCEEDED
    run.counts = _counts(result)
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "counts", "finished_at"])
    logger.info("scheduled job %s done: %s", name, run.counts)
    return run


def job_enqueue(name: str, *, trigger: str = "schedule") -> str:
    """Hand the job to the task worker; returns the task result id."""
    from hrss.core.tasks import scheduled_job_run

    job_get(name)
    return str(scheduled_job_run.enqueue(name, trigger).id)


def last_runs() -> dict[str, dt.datetime | None]:
    """When each job last finished successfully (None: never) — for a metrics gauge."""
    from django.db.models import Max

    from hrss.core.models import JobRun

    finished = dict(
        JobRun.objects.filter(outcome=JobRun.Outcome.SUCCEEDED)
        .values("job")
        .annotate(last=Max("finished_at"))
        .values_list("job", "last")
    )
    return {job.name: finished.get(job.name) for job in jobs()}


def overdue_jobs(now: dt.datetime | None = None) -> list[str]:
    """Jobs that ran before but missed a fire since (the scheduler was down): catch up once."""
    from django.utils import timezone

    now = now or timezone.now()
    missed = []
    for name, last in last_runs().items():
        if last is not None and job_get(name).previous_fire(now, since=last) is not None:
            missed.append(name)
    return missed


# ---------------------------------------------------------------- the one scheduler


def lease_acquire(holder: str, *, seconds: int = LEASE_SECONDS) -> bool:
    """Take or renew the scheduler lease; False while another live scheduler holds it."""
    from django.db import IntegrityError, transaction
    from django.db.models import Q
    from django.utils import timezone

    from hrss.core.models import SchedulerLease

    now = timezone.now()
    try:
        with transaction.atomic():
            SchedulerLease.objects.get_or_create(
                name=LEASE_NAME, defaults={"holder": "", "expires_at": now - dt.timedelta(seconds=1)}
            )
    except IntegrityError:  # another scheduler created it at the same moment
        pass
    updated = (
        SchedulerLease.objects.filter(name=LEASE_NAME)
        .filter(Q(expires_at__lt=now) | Q(holder=holder))
        .update(holder=holder, expires_at=now + dt.timedelta(seconds=seconds))
    )
    return updated == 1


def lease_release(holder: str) -> None:
    from django.utils import timezone

    from hrss.core.models import SchedulerLease

    SchedulerLease.objects.filter(name=LEASE_NAME, holder=holder).update(
        holder="", expires_at=timezone.now() - dt.timedelta(seconds=1)
    )


class Scheduler:
    """APScheduler's background scheduler with one cron trigger per job, each enqueuing the job.

    ``run()`` blocks until ``stop()``: it waits for the lease, fires while it holds it (renewed
    every third of its length) and steps down if it ever loses it.
    """

    def __init__(self, *, lease_seconds: int = LEASE_SECONDS, catch_up: bool = True) -> None:
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease_seconds = lease_seconds
        self.catch_up = catch_up
        self._stop = threading.Event()
        self._scheduler: Any = None

    def _enqueue(self, name: str) -> None:
        from django.db import close_old_connections

        close_old_connections()
        try:
            task_id = job_enqueue(name, trigger="schedule")
            logger.info("scheduler: enqueued %s (%s)", name, task_id)
        finally:
            close_old_connections()

    def _start_firing(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler
        from django.conf import settings

        scheduler = BackgroundScheduler(
            timezone=settings.TIME_ZONE,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        )
        for job in jobs():
            scheduler.add_job(self._enqueue, job.trigger(), args=[job.name], id=job.name, name=job.name)
        scheduler.start()
        self._scheduler = scheduler
        if self.catch_up:
            for name in overdue_jobs():
                logger.info("scheduler: %s missed a run while no scheduler was running; enqueued once", name)
                self._enqueue(name)

    def _stop_firing(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None

    def run(self) -> None:
        from django.db import close_old_connections

        interval = max(1.0, self.lease_seconds / 3)
        try:
            while not self._stop.is_set():
                close_old_connections()
                held = lease_acquire(self.holder, seconds=self.lease_seconds)
                if held and self._scheduler is None:
                    logger.info("scheduler %s: firing %d jobs", self.holder, len(_JOBS))
                    self._start_firing()
                elif not held and self._scheduler is not None:
                    logger.warning("scheduler %s: lost the lease, another scheduler fires now", self.holder)
                    self._stop_firing()
                self._stop.wait(interval)
        finally:
            self._stop_firing()
            close_old_connections()
            lease_release(self.holder)

    @property
    def firing(self) -> bool:
        return self._scheduler is not None

    def stop(self) -> None:
        self._stop.set()
