"""Prometheus metrics: the ``/metrics`` endpoint and a registry of collectors.

Request rates and latencies per operation come from django-prometheus' middleware
(``django_http_requests_latency_seconds_by_view_method{view, method}``; a ninja operation's
view is its URL name, ``api-v1:<app>.<operation>``, see hrss.api). Anything read from the database at scrape
time is a *collector*: an object with ``collect()`` yielding prometheus_client metric
families, registered from an ``AppConfig.ready()``::

    from hrss.core.metrics import register_collector
    register_collector(MyCollector())

Core registers the task queue (django-tasks-db's result table) and the audit chain.

Processes: ``hrss serve`` runs several granian workers. Database collectors give the same
answer in every process. The request counters live in each process; when
``PROMETHEUS_MULTIPROC_DIR`` is set (``hrss serve`` sets it, see docs/operations.md),
prometheus_client's multiprocess mode sums them over all workers at every scrape.

Access: loopback addresses (a request with no proxy forwarding header), or
``Authorization: Bearer <HRSS_METRICS_TOKEN>`` when that setting is set; anyone else gets
404, as if there were nothing here.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import prometheus_client
from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric

logger = logging.getLogger(__name__)


class Collector(Protocol):
    def collect(self) -> Iterable[Metric]: ...


_collectors: dict[str, Collector] = {}
_lock = threading.Lock()


def register_collector(collector: Collector, *, name: str | None = None) -> None:
    """Add a collector to what ``/metrics`` reports; registering the same name again replaces it."""
    key = name or f"{type(collector).__module__}.{type(collector).__qualname__}"
    with _lock:
        _collectors[key] = collector


def registered_collectors() -> dict[str, Collector]:
    with _lock:
        return dict(_collectors)


class _Guarded:
    """Runs each registered collector; one that fails (database away) is reported, not fatal."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "hrss_metrics_collector_up", "1 if the collector answered at this scrape", labels=["collector"]
        )
        for name, collector in registered_collectors().items():
            try:
                families = list(collector.collect())
            except DatabaseError:
                logger.exception("metrics collector %s failed", name)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up


# ---- access -------------------------------------------------------------------------------

_FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _from_loopback(request: HttpRequest) -> bool:
    # A reverse proxy on the same machine connects from loopback on everyone's behalf: a
    # request that carries a forwarding header came from somewhere else.
    if any(request.META.get(header) for header in _FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _token_matches(request: HttpRequest) -> bool:
    token = getattr(settings, "HRSS_METRICS_TOKEN", "")
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def metrics_allowed(request: HttpRequest) -> bool:
    return _from_loopback(request) or _token_matches(request)


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)  # type: ignore[no-untyped-call]
        body = prometheus_client.generate_latest(processes)
    else:
        body = prometheus_client.generate_latest(prometheus_client.REGISTRY)
    ours = CollectorRegistry(auto_describe=False)
    ours.register(_Guarded())  # type: ignore[arg-type]
    body += prometheus_client.generate_latest(ours)
    response = HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


# ---- core's collectors --------------------------------------------------------------------


class TaskQueueCollector:
    """The background task queue, read from django-tasks-db's result table."""

    def collect(self) -> Iterator[Metric]:
        from django.db.models import Count, Min
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        results = GaugeMetricFamily(
            "hrss_task_results", "Background tasks in the result table, by queue and status", labels=["queue", "status"]
        )
        counts = {(queue, status): 0 for queue in ("default",) for status in TaskResultStatus.values}
        for queue, status, count in DBTaskResult.objects.values_list("queue_name", "status").annotate(n=Count("id")):
            counts[(queue, status)] = count
        for (queue, status), count in sorted(counts.items()):
            results.add_metric([queue, status], count)
        yield results

        failed = GaugeMetricFamily(
            "hrss_task_failures", "Failed background tasks kept in the result table, by task", labels=["task"]
        )
        failures = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).values_list("task_path")
        for task_path, count in failures.annotate(n=Count("id")):
            failed.add_metric([task_path], count)
        yield failed

        oldest = GaugeMetricFamily(
            "hrss_task_queue_oldest_ready_seconds",
            "Age of the oldest task waiting to run (0 when none waits), by queue",
            labels=["queue"],
        )
        now = timezone.now()
        waiting = (
            DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=now)
            .values_list("queue_name")
            .annotate(first=Min("enqueued_at"))
        )
        seen = set()
        for queue, first in waiting:
            seen.add(queue)
            oldest.add_metric([queue], max(0.0, (now - first).total_seconds()))
        if "default" not in seen:
            oldest.add_metric(["default"], 0.0)
        yield oldest


class AuditChainCollector:
    """The audit log: the sealed chain's length, the unsealed tail and its age, and the part
    of the chain sealed since the last verification checkpoint.

    ``hrss audit verify`` records a checkpoint (the last entry it found intact) when the
    whole chain verifies; entries sealed after it are the unverified tail. Entries appended
    but not yet chained by the sealer are the unsealed tail; the age of its oldest entry is
    held to ``HRSS_AUDIT_SEAL_MAX_DELAY`` (alert: docs/operations.md).
    """

    def collect(self) -> Iterator[Metric]:
        from django.conf import settings
        from django.utils import timezone

        from hrss.core.audit import unsealed_tail
        from hrss.core.models import AuditCheckpoint, AuditEntry

        last = (
            AuditEntry.objects.filter(chain_seq__isnull=False).order_by("-chain_seq").values("chain_seq", "at").first()
        )
        newest = AuditEntry.objects.order_by("-seq").values_list("at", flat=True).first()
        checkpoint = AuditCheckpoint.objects.order_by("-seq").values("seq", "verified_at").first()
        unsealed, oldest = unsealed_tail()
        length = int(last["chain_seq"] or 0) if last else 0
        verified = checkpoint["seq"] if checkpoint else 0
        yield _gauge("hrss_audit_chain_entries", "Entries sealed into the audit chain (the last chain_seq)", length)
        yield _gauge(
            "hrss_audit_chain_last_entry_timestamp_seconds",
            "When the newest audit entry was appended (Unix time; 0 when the log is empty)",
            newest.timestamp() if newest else 0,
        )
        yield _gauge(
            "hrss_audit_unsealed_entries", "Audit entries appended but not yet sealed into the chain", unsealed
        )
        yield _gauge(
            "hrss_audit_unsealed_oldest_age_seconds",
            "Age of the oldest unsealed audit entry (0: none waiting)",
            max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0,
        )
        yield _gauge(
            "hrss_audit_seal_max_delay_seconds",
            "The promised maximum delay between appending an audit entry and sealing it (HRSS_AUDIT_SEAL_MAX_DELAY)",
            settings.HRSS_AUDIT_SEAL_MAX_DELAY,
        )
        yield _gauge(
            "hrss_audit_chain_verified_seq",
            "The last entry of the chain as the last successful `hrss audit verify` found it (0: never verified)",
            verified,
        )
        yield _gauge(
            "hrss_audit_chain_unverified_entries",
            "Entries sealed after the last successful `hrss audit verify` checkpoint",
            max(0, length - verified),
        )
        yield _gauge(
            "hrss_audit_chain_last_verified_timestamp_seconds",
            "When `hrss audit verify` last found the whole chain intact (Unix time; 0: never)",
            checkpoint["verified_at"].timestamp() if checkpoint else 0,
        )


def _gauge(name: str, documentation: str, value: Any) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=float(value))


class ScheduledJobsCollector:
    """Each scheduled job's last successful run (``hrss.core.schedule``): its time and age,
    and whether a run it should have had is missing (the scheduler was down, or it failed)."""

    def collect(self) -> Iterator[Metric]:
        import time

        from hrss.core import schedule

        last = GaugeMetricFamily(
            "hrss_job_last_success_timestamp_seconds",
            "When the job last finished successfully (Unix time; 0: never)",
            labels=["job"],
        )
        age = GaugeMetricFamily(
            "hrss_job_last_success_age_seconds",
            "Seconds since the job last finished successfully (-1: never)",
            labels=["job"],
        )
        overdue = GaugeMetricFamily(
            "hrss_job_overdue", "1 if the job missed a scheduled run since its last success", labels=["job"]
        )
        now = time.time()
        late = set(schedule.overdue_jobs())
        for job, at in sorted(schedule.last_runs().items()):
            last.add_metric([job], at.timestamp() if at else 0)
            age.add_metric([job], now - at.timestamp() if at else -1)
            overdue.add_metric([job], 1 if job in late else 0)
        yield last
        yield age
        yield overdue
