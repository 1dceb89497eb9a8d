"""/metrics: who may read it, per-operation request figures, and the collectors' registry."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver
from django_tasks.base import TaskResultStatus
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.parser import text_string_to_metric_families

from hrss.core import metrics
from hrss.core.audit import audit_record

pytestmark = pytest.mark.django_db


def _scrape(client: Client | None = None, **extra: str) -> dict[str, list]:
    response = (client or Client()).get("/metrics", REMOTE_ADDR=extra.pop("REMOTE_ADDR", "127.0.0.1"), **extra)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/plain")
    samples: dict[str, list] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    return samples


def test_loopback_may_read_metrics():
    assert "hrss_task_results" in _scrape()
    assert "hrss_task_results" in _scrape(REMOTE_ADDR="::1")


@pytest.mark.parametrize(
    "extra",
    [
        {"REMOTE_ADDR": "203.0.113.7"},
        # A reverse proxy on the same machine connects from loopback for everyone.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": "for=203.0.113.7"},
    ],
)
def test_anyone_else_gets_a_404(extra):
    response = Client().get("/metrics", **extra)
    assert response.status_code == 404 and b"hrss_" not in response.content


def test_the_metrics_token_opens_it_from_anywhere(settings):
    settings.HRSS_METRICS_TOKEN = "s3cret-metrics-token"
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **outside).status_code == 404
    assert Client().get("/metrics", **outside).status_code == 404
    assert "hrss_task_results" in _scrape(HTTP_AUTHORIZATION="Bearer s3cret-metrics-token", **outside)


def test_requests_are_counted_per_ninja_operation():
    client = Client()
    client.get("/api/v1/codes/id-number/11010519491231002X")
    client.get("/api/v1/codes/credit-code/91110000600037341L")
    samples = _scrape()["django_http_requests_latency_seconds_by_view_method_count"]
    views = {s.labels["view"] for s in samples if s.labels["method"] == "GET"}
    assert {"api-v1:codes.id_number_check", "api-v1:codes.credit_code_check"} <= views, views


def test_every_api_operation_has_its_own_view_name():
    # django-prometheus labels by URL name; two operations under one name would be one series.
    names: dict[str, str] = {}
    clashes = []
    api_resolver = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    for pattern in api_resolver.url_patterns:
        name = getattr(pattern, "name", None)
        if name is None:
            continue
        route = str(pattern.pattern)
        if name in names and names[name] != route:
            clashes.append((name, names[name], route))
        names.setdefault(name, route)
    assert len(names) > 30
    assert not clashes, clashes


def test_task_queue_depth_and_failures():
    from django_tasks_db.models import DBTaskResult

    before = _scrape()
    ready_before = next(
        s.value for s in before["hrss_task_results"] if s.labels == {"queue": "default", "status": "READY"}
    )
    common = {"args_kwargs": {"args": [], "kwargs": {}}, "backend_name": "default", "queue_name": "default"}
    from django.utils import timezone

    DBTaskResult.objects.create(task_path="hrss.x.ready", run_after=timezone.now(), **common)
    DBTaskResult.objects.create(
        task_path="hrss.x.broken", status=TaskResultStatus.FAILED, run_after=timezone.now(), **common
    )
    after = _scrape()
    ready = next(s.value for s in after["hrss_task_results"] if s.labels == {"queue": "default", "status": "READY"})
    assert ready == ready_before + 1
    failures = {s.labels["task"]: s.value for s in after["hrss_task_failures"]}
    assert failures["hrss.x.broken"] == 1
    assert after["hrss_task_queue_oldest_ready_seconds"][0].value >= 0


def test_the_audit_log_unsealed_tail_and_the_chain_after_the_last_verification():
    for n in range(3):
        audit_record(actor="t", action="test.metrics", object_type="x", object_id=str(n))
    samples = _scrape()
    assert samples["hrss_audit_unsealed_entries"][0].value >= 3
    assert samples["hrss_audit_unsealed_oldest_age_seconds"][0].value >= 0
    assert samples["hrss_audit_seal_max_delay_seconds"][0].value > 0

    call_command("audit", "seal", stdout=io.StringIO())
    samples = _scrape()
    length = samples["hrss_audit_chain_entries"][0].value
    assert length >= 3
    assert samples["hrss_audit_unsealed_entries"][0].value == 0
    assert samples["hrss_audit_unsealed_oldest_age_seconds"][0].value == 0
    assert samples["hrss_audit_chain_unverified_entries"][0].value == length  # never verified yet

    call_command("audit", "verify", stdout=io.StringIO())
    audit_record(actor="t", action="test.metrics", object_type="x", object_id="after")
    call_command("audit", "seal", stdout=io.StringIO())
    samples = _scrape()
    assert samples["hrss_audit_chain_verified_seq"][0].value == length
    assert samples["hrss_audit_chain_unverified_entries"][0].value == 1
    assert samples["hrss_audit_chain_last_verified_timestamp_seconds"][0].value > 0


class _JobAge:
    def collect(self):
        yield GaugeMetricFamily("hrss_test_job_age_seconds", "a collector another app registers", value=42)


def test_another_app_adds_a_collector_through_the_registry():
    metrics.register_collector(_JobAge(), name="test.job_age")
    try:
        samples = _scrape()
        assert samples["hrss_test_job_age_seconds"][0].value == 42
        up = {s.labels["collector"]: s.value for s in samples["hrss_metrics_collector_up"]}
        assert up["test.job_age"] == 1
    finally:
        metrics._collectors.pop("test.job_age", None)


def test_core_registers_its_collectors_in_ready():
    names = set(metrics.registered_collectors())
    assert {
        "hrss.core.metrics.TaskQueueCollector",
        "hrss.core.metrics.AuditChainCollector",
        "hrss.core.metrics.ScheduledJobsCollector",
    } <= names


def test_each_scheduled_jobs_last_success_and_whether_it_missed_a_run():
    import datetime as dt

    from django.utils import timezone

    from hrss.core import schedule
    from hrss.core.models import JobRun

    samples = _scrape()
    ages = {s.labels["job"]: s.value for s in samples["hrss_job_last_success_age_seconds"]}
    assert set(ages) == {job.name for job in schedule.jobs()} and set(ages.values()) == {-1}  # never ran
    three_days_ago = timezone.now() - dt.timedelta(days=3)
    JobRun.objects.create(
        job="card.lapse_losses",
        trigger="manual",
        started_at=three_days_ago,
        finished_at=three_days_ago,
        outcome=JobRun.Outcome.SUCCEEDED,
    )
    samples = _scrape()
    age = next(s.value for s in samples["hrss_job_last_success_age_seconds"] if s.labels["job"] == "card.lapse_losses")
    assert 3 * 86400 - 60 < age < 3 * 86400 + 60
    overdue = {s.labels["job"]: s.value for s in samples["hrss_job_overdue"]}
    assert overdue["card.lapse_losses"] == 1 and overdue["servicehall.escalate"] == 0
