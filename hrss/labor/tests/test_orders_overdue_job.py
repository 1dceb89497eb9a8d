"""The daily job ``labor.orders_overdue``: rectification orders past their day marked overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from hrss.core.models import JobRun
from hrss.core.schedule import job_get, job_run
from hrss.core.scope import Scope
from hrss.labor import jobs
from hrss.labor.models import OrderStatus, RectificationOrder
from hrss.labor.services import rectification
from hrss.labor.services.complaints import lead_join
from hrss.registry.models import Employer
from hrss.synth.identifiers import credit_code

DAY = dt.date(2026, 11, 2)  # a Monday
INSPECTOR = Scope(actor="insp-job", roles=frozenset({"inspector"}), districts=frozenset({"120101"}))


def issued_order(n: int = 1, day: dt.date = DAY) -> RectificationOrder:
    """An order issued on ``day`` to a fresh employer of 和平区, through the real services."""
    employer = Employer.objects.create(
        credit_code=credit_code("9", "1", "120101", f"{40_000 + n:08d}"), name=f"整改企业{n}", district_id="120101"
    )
    lead = lead_join(employer, reason={"source": "complaint", "on": day.isoformat()}, on=day)
    rectification.finding_record(scope=INSPECTOR, lead_id=lead.pk, text="拖欠工资", violation=True, today=day)
    return rectification.order_issue(scope=INSPECTOR, lead_id=lead.pk, requirement="限期补发工资", today=day)


def test_the_job_is_declared_daily_and_runs_the_service():
    job = job_get("labor.orders_overdue")
    assert job.func == "hrss.labor.jobs.orders_overdue"
    assert job.cron.split()[2:] == ["*", "*", "*"]


@pytest.mark.django_db
def test_the_job_marks_orders_past_their_day_overdue_once():
    order = issued_order()
    assert jobs.orders_overdue(today=order.due_on) == {"overdue": 0}  # the last day is still in time
    late = order.due_on + dt.timedelta(days=1)
    assert jobs.orders_overdue(today=late) == {"overdue": 1}
    assert jobs.orders_overdue(today=late) == {"overdue": 0}  # idempotent
    assert RectificationOrder.objects.get(pk=order.pk).status == OrderStatus.OVERDUE


@pytest.mark.django_db
def test_a_scheduled_run_is_recorded_with_its_counts():
    issued_order(day=dt.date(2025, 3, 3))  # long past its day today
    run = job_run("labor.orders_overdue", trigger="manual")
    assert run.outcome == JobRun.Outcome.SUCCEEDED and run.counts == {"overdue": 1}
