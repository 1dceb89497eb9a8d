"""Test helpers of the insurance app: scopes and data built through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from hrss.core import scope as roles
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.insurance import rules, services
from hrss.servicehall import engine
from hrss.servicehall import services as hall
from hrss.servicehall.models import Application
from hrss.testing import make_employer, make_employment, make_person, make_user, staff_scope

ALL_TYPES = list(rules.ASSESSED_INSURANCES)


def clerk(districts: list[str] | None = None) -> Scope:
    return staff_scope(districts=districts)


def agent(employer: Any) -> Scope:
    return Scope(actor=f"agent-{employer.pk}", roles=frozenset({roles.EMPLOYER_AGENT}), employer_id=employer.pk)


def citizen(person: Any) -> Scope:
    return Scope(actor=f"citizen-{person.pk}", roles=frozenset({roles.CITIZEN}), person_id=person.pk)


def employee(
    employer: Any,
    *,
    start: dt.date = dt.date(2025, 1, 1),
    wage: Decimal | None = Decimal("9000"),
    types: list[str] | None = None,
    **person: Any,
) -> Any:
    """A person employed and enrolled through ``employer`` from ``start``, base declared."""
    somebody = make_person(**person)
    make_employment(somebody, employer, start=start)
    services.enrolment_start(
        scope=agent(employer),
        person_id=somebody.pk,
        employer_id=employer.pk,
        insurance_types=types or ALL_TYPES,
        start_month=start,
    )
    if wage is not None:
        services.base_declare(
            scope=agent(employer), employer_id=employer.pk, year=start.year, wages=[(somebody.pk, wage)]
        )
    return somebody


def flexible_worker(*, start: dt.date = dt.date(2025, 1, 1), base: Decimal = Decimal("8355"), **person: Any) -> Any:
    somebody = make_person(**person)
    services.enrolment_start(
        scope=citizen(somebody), person_id=somebody.pk, insurance_types=["pension_enterprise"], start_month=start
    )
    services.base_choose(scope=citizen(somebody), person_id=somebody.pk, year=start.year, base=base)
    return somebody


def employer(**values: Any) -> Any:
    return make_employer(**values)


def assess(first: dt.date, months: int) -> None:
    """Assess ``months`` consecutive months from ``first``."""
    for offset in range(months):
        services.contribution_assess_month(period=rules.add_months(first, offset))


def retiree() -> tuple[Any, Any]:
    """(person, employer): born 1965-05, statutory age 60y2m reached 2025-07; 200 months
    brought in by a transfer, 6 assessed here at a wage of 8,355."""
    firm = make_employer(name="机械厂", industry="34")
    person = employee(firm, start=dt.date(2025, 1, 1), wage=Decimal("8355"), birth=dt.date(1965, 5, 15), sex="M")
    services.transfer_record(
        scope=clerk(),
        person_id=person.pk,
        direction="in",
        other_region="130000",
        contribution_months=200,
        account_amount=Decimal("80000"),
        effective_on=dt.date(2024, 12, 1),
    )
    assess(dt.date(2025, 1, 1), 6)
    return person, firm


# --- the hall's insurance items: submit and decide through the real hall services ------------

PENSION_FORM = {"phone": "13800138000", "payment_to": "card"}  # the pension award item's form
_keys = itertools.count(1)
_users = itertools.count(1)


def scope_of(user: Any) -> Any:
    user._hrss_scope = None
    if hasattr(user, "_role_codes"):
        del user._role_codes
    return scope_for_user(user)


def citizen_user(person: Any) -> Any:
    return make_user(f"citizen_st{next(_users)}", roles.CITIZEN, person=person)


def submit(user: Any, item_code: str, form: dict[str, Any], key: str | None = None) -> Application:
    application, _created = hall.application_submit(
        scope=scope_of(user),
        user=user,
        item_code=item_code,
        form_data=form,
        idempotency_key=key or f"st-{next(_keys)}",
        channel="web",
    )
    return application


def step(staff: dict[str, Any], application: Application, decision: str = "approve", reasons: str = "") -> Application:
    work = application.work_items.get(state="open")
    user = work.assignee or staff[work.role]
    return hall.work_item_complete(scope=scope_of(user), user=user, work_item=work, decision=decision, reasons=reasons)


def open_step(application: Application) -> str | None:
    work = application.work_items.filter(state="open").first()
    return work.step if work else None


def workflow_value(application: Application, name: str) -> Any:
    return engine.workflow_data(engine.workflow_load(application.workflow_state)).get(name)
