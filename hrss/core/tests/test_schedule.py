"""Scheduled jobs: every job run twice has the same outcome; runs are recorded; one scheduler fires.

The jobs in a real second process (the db_worker, the scheduler) are in
``tests/reliability/test_background_processes.py``.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from hrss.core import schedule
from hrss.core.models import AuditEntry, AuditTreeHead, JobRun, SchedulerLease
from hrss.core.scope import Scope
from hrss.servicehall.tests.conftest import city  # noqa: F401  (the fixture)
from hrss.testing import make_person

pytestmark = pytest.mark.django_db
BOOKKEEPING = {JobRun, SchedulerLease, AuditEntry, AuditTreeHead}  # grow with every run by design


def failing_job() -> None:
    raise RuntimeError("the bank's file server is down")


def _state() -> dict[str, object]:
    """Every table's row count, and the states that the jobs change."""
    from hrss.card.models import Card
    from hrss.notify.models import OutboundMessage
    from hrss.servicehall.models import WorkItem

    counts: dict[str, object] = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model not in BOOKKEEPING and model._meta.managed and not model._meta.proxy
    }
    counts["cards"] = sorted(Card.objects.values_list("status", "temporary_loss_until"), key=str)
    counts["work"] = sorted(WorkItem.objects.values_list("escalation_level", "assignee_id", "state"), key=str)
    counts["messages"] = sorted(OutboundMessage.objects.values_list("template", "status"))
    return counts


@pytest.fixture
def work_to_do(city, tmp_path):  # noqa: F811
    """Something for every job: an overdue work item, a lapsed loss report, an uninsured person."""
    from hrss.card import services as card_services
    from hrss.card.models import Card
    from hrss.card.tests.builders import active_card, holder_scope
    from hrss.servicehall.models import WorkItem
    from hrss.servicehall.tests.builders import submit

    application = submit(city)
    WorkItem.objects.filter(application=application).update(due_date=timezone.localdate() - dt.timedelta(days=30))
    card = active_card(tmp_path, city.person)
    card_services.card_report_temporary_loss(scope=holder_scope(card.person), card_id=card.pk, channel="app")
    Card.objects.filter(pk=card.pk).update(temporary_loss_until=timezone.now() - dt.timedelta(minutes=1))
    card_services.card_apply(person=make_person(name="待制卡"), channel="counter", scope=Scope.system("test"))
    return city


def test_every_job_run_twice_has_the_same_outcome(work_to_do, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.HRSS_CARD_FACTORY_DIR = str(tmp_path / "factory")
    first: dict[str, dict] = {}
    with django_capture_on_commit_callbacks(execute=True):
        for job in schedule.jobs():
            first[job.name] = schedule.job_run(job.name).counts
    after_first = _state()
    with django_capture_on_commit_callbacks(execute=True):
        second = {job.name: schedule.job_run(job.name).counts for job in schedule.jobs()}
    assert _state() == after_first  # nothing more changed, no message sent twice
    # The first run did real work, the second found nothing left to do.
    assert first["servicehall.escalate"]["escalated"] == 1
    assert first["card.lapse_losses"] == {"lapsed": 1}
    assert first["card.produce"] == {"batches": 1, "cards": 1}
    assert first["insurance.remind"]["reminders"] >= 1
    # The sealer's second run seals what the jobs after it audited in the first round; a
    # third finds nothing. Every other job found nothing left the second time.
    from hrss.core.audit import audit_seal, audit_verify

    audit_seal()
    report = audit_verify()
    assert first["core.audit_seal"]["sealed"] > 0 and report.ok and report.unsealed == 0
    # Likewise the lake export (it runs before the card jobs): its second run may write the
    # snapshot of a table they changed in the first round (the cards); a third
    # writes nothing.
    settling = {"core.audit_seal", "analytics.lake_export"}
    again = {name: counts for name, counts in second.items() if name not in settling and any(counts.values())}
    assert again == {}  # the jobs that found work left the second time
    if "analytics.lake_export" in second:
        assert not any(schedule.job_run("analytics.lake_export").counts.values())
    assert set(first) == {job.name for job in schedule.jobs()}
    from hrss.notify.models import OutboundMessage

    assert OutboundMessage.objects.filter(template="insurance_enrolment_reminder").exists()
    assert not OutboundMessage.objects.exclude(status="sent").exists()


def test_each_run_is_recorded_and_last_runs_reports_it():
    assert set(schedule.last_runs()) == {job.name for job in schedule.jobs()}
    assert schedule.last_runs()["card.lapse_losses"] is None
    run = schedule.job_run("card.lapse_losses")
    assert run.outcome == "succeeded" and run.finished_at >= run.started_at and run.counts == {"lapsed": 0}
    assert schedule.last_runs()["card.lapse_losses"] == run.finished_at


def test_a_failing_job_is_recorded_failed_with_the_reason():
    job = schedule.register_job(
        schedule.Job(name="test.failing", cron="0 3 * * *", func=f"{__name__}.failing_job", description="fails")
    )
    try:
        with pytest.raises(RuntimeError):
            schedule.job_run(job.name)
    finally:
        schedule._JOBS.pop(job.name)
    run = JobRun.objects.get(job="test.failing")
    assert run.outcome == "failed" and "file server is down" in run.error and run.finished_at


def test_a_job_that_missed_its_fire_while_no_scheduler_ran_is_caught_up_once():
    now = timezone.now()
    JobRun.objects.create(
        job="card.lapse_losses", started_at=now - dt.timedelta(days=3), finished_at=now - dt.timedelta(days=3),
        outcome="succeeded",
    )  # fmt: skip
    JobRun.objects.create(job="servicehall.escalate", started_at=now, finished_at=now, outcome="succeeded")
    overdue = schedule.overdue_jobs(now)
    assert "card.lapse_losses" in overdue and "servicehall.escalate" not in overdue
    assert "insurance.remind" not in overdue  # never ran: the first run is the schedule's


def test_one_scheduler_holds_the_lease_until_it_lapses():
    assert schedule.lease_acquire("a", seconds=60)
    assert not schedule.lease_acquire("b", seconds=60)
    assert schedule.lease_acquire("a", seconds=60)  # renewal
    SchedulerLease.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))  # "a" died
    assert schedule.lease_acquire("b", seconds=60)
    schedule.lease_release("b")
    assert schedule.lease_acquire("c", seconds=60)


def test_a_bad_cron_or_a_second_job_of_the_same_name_is_refused():
    with pytest.raises(ValueError):
        schedule.register_job(schedule.Job(name="x.bad", cron="61 * * * *", func="x", description=""))
    lapse = schedule.job_get("card.lapse_losses")
    with pytest.raises(schedule.ScheduleError):
        schedule.register_job(schedule.Job(name=lapse.name, cron="0 1 * * *", func=lapse.func, description=""))


def test_hrss_schedule_lists_the_jobs_and_runs_one():
    out = io.StringIO()
    call_command("schedule", stdout=out)
    listing = out.getvalue()
    for job in schedule.jobs():
        assert job.name in listing and job.cron in listing
    next_lapse = timezone.localtime(schedule.job_get("card.lapse_losses").next_run())
    assert f"{next_lapse:%Y-%m-%d %H:%M}" in listing and next_lapse.strftime("%H:%M") == "00:10"
    out = io.StringIO()
    call_command("schedule", "run", "servicehall.escalate", stdout=out)
    assert "servicehall.escalate: succeeded" in out.getvalue()
    assert JobRun.objects.filter(job="servicehall.escalate", trigger="manual").count() == 1
