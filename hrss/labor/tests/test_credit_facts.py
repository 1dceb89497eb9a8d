"""What labour relations tell the credit system: inspection penalties (and awards) as facts."""

from __future__ import annotations

import datetime as dt

import pytest

from hrss.labor import credit_facts
from hrss.labor.models import RectificationOrder
from hrss.labor.services import rectification
from hrss.labor.tests.test_orders_overdue_job import INSPECTOR, issued_order

pytestmark = pytest.mark.django_db


def penalised(n: int, amount: str = "20000.50") -> RectificationOrder:
    order = issued_order(n)
    late = order.due_on + dt.timedelta(days=1)
    return rectification.order_penalty(
        scope=INSPECTOR, reference=order.reference, amount=amount, basis="《劳动保障监察条例》第二十六条", today=late
    )


def test_each_penalty_is_one_credit_fact_of_its_employer(django_assert_max_num_queries):
    first, second = penalised(1), penalised(2, "800")
    issued_order(3)  # an order still open is no fact
    on = first.penalised_on
    assert on is not None
    # set-based: one query for awards, one for penalties (and the policy parameters, when not cached)
    with django_assert_max_num_queries(3):
        found = [f for f in credit_facts.facts(on=on) if f.kind == "inspection_penalty"]
    assert {f.source_ref for f in found} == {f"penalty:{first.pk}", f"penalty:{second.pk}"}
    fact = next(f for f in found if f.source_ref == f"penalty:{first.pk}")
    assert fact.employer_id == first.lead.employer_id and fact.person_id is None
    assert fact.occurred_on == on and first.reference in fact.summary and "20,000.50" in fact.summary


def test_penalties_count_only_within_the_credit_models_window():
    order = penalised(1)
    on = order.penalised_on
    assert on is not None
    assert list(credit_facts.penalties(on=on - dt.timedelta(days=1))) == []  # not decided yet
    assert len(list(credit_facts.penalties(on=credit_facts.months_before(on, -35)))) == 1
    assert list(credit_facts.penalties(on=credit_facts.months_before(on, -36))) == []  # 36 months on


def test_the_credit_app_records_a_penalty_once_with_its_points():
    from hrss.credit.models import CreditEvent
    from hrss.credit.services import record

    order = penalised(1)
    assert order.penalised_on is not None
    facts = list(credit_facts.facts(on=order.penalised_on))
    assert record(facts, source="labor")[0] == 1
    assert record(facts, source="labor")[0] == 0  # the same facts again add nothing
    event = CreditEvent.objects.get(source="labor")
    assert (event.kind_id, event.employer_id, event.points) == ("inspection_penalty", order.lead.employer_id, -45)


def test_months_before_keeps_the_day_or_the_months_last():
    assert credit_facts.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert credit_facts.months_before(dt.date(2026, 1, 15), 36) == dt.date(2023, 1, 15)
    assert credit_facts.months_before(dt.date(2026, 1, 15), -2) == dt.date(2026, 3, 15)
