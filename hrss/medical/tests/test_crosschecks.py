"""Cross-insurance screens (S7): settlements as an employee in a month a pension was paid, and
settlements under two insuring regions in one month, found set-based (pure) and raised as
cases of the monitoring queue by its run, once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.scope import Scope
from hrss.insurance.models import BenefitAward, BenefitPayment
from hrss.medical import crosschecks, services
from hrss.medical.models import Insured, MonitoringFlag
from hrss.medical.tests.builders import HOSPITAL, PIN, hospital_scope, insured, lines

SUPERVISOR = Scope(actor="supervisor", roles=frozenset({roles.FUND_SUPERVISOR}), districts=frozenset({"120101"}))
D = dt.date


@pytest.fixture(autouse=True)
def _fast_hashes(settings: Any) -> None:
    """PINs and client secrets hashed cheaply (the suite's time limit), before any is made."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def row(claim: str, person: str, day: dt.date, *, category: str = "employee", region: str = "120100") -> tuple:
    return (claim, "inst-1", "120101", person, day, category, region, 100.0)


def test_an_employee_settlement_in_a_pensioned_month_is_found_and_the_near_misses_are_not():
    claims = crosschecks.claims_frame(
        [
            row("c1", "p1", D(2026, 5, 3)),
            row("c2", "p1", D(2026, 5, 20)),
            row("c3", "p1", D(2026, 6, 2)),  # no pension paid for June
            row("c4", "p2", D(2026, 5, 3), category="retiree"),  # a retiree with a pension: as it should be
        ]
    )
    pensioned = crosschecks.pensioned_frame([("p1", "2026-05"), ("p2", "2026-05")])
    (finding,) = crosschecks.employee_while_pensioned(claims, pensioned)
    assert (finding.rule, finding.subject, finding.period) == ("employee_while_pensioned", "p1", "2026-05")
    assert sorted(finding.claims) == ["c1", "c2"] and finding.amount == 200.0


def test_two_insuring_regions_in_one_month_are_found_one_region_is_not():
    claims = crosschecks.claims_frame(
        [
            row("c1", "p1", D(2026, 5, 3)),
            row("c2", "p1", D(2026, 5, 9), region="110100"),
            row("c3", "p2", D(2026, 5, 3)),
            row("c4", "p2", D(2026, 6, 3), region="110100"),  # another month: moved, not insured twice
        ]
    )
    (finding,) = crosschecks.two_insuring_regions(claims)
    assert (finding.subject, finding.period, finding.figures["insuring_regions"]) == (
        "p1",
        "2026-05",
        ["110100", "120100"],
    )
    assert crosschecks.evaluate(crosschecks.claims_frame([]), crosschecks.pensioned_frame([])) == []


def settle(card, transaction_id: str) -> None:
    services.claim_settle(
        scope=hospital_scope(HOSPITAL),
        transaction_id=transaction_id,
        card_number=card.number,
        card_pin=PIN,
        visit=services.Visit(pooling="outpatient", lines=lines(("110200001", "1", "50")), use_account=False),
    )


def test_the_monitoring_run_raises_the_cross_insurance_cases_once(db, tmp_path):
    month = timezone.localdate().replace(day=1)
    pensioner, card = insured(tmp_path)  # insured as an employee
    award = BenefitAward.objects.create(
        person=pensioner, kind="pension", start_month=month, monthly_fen=320000, decided_by="test"
    )
    BenefitPayment.objects.create(
        award=award, person=pensioner, benefit="pension", period=month, amount_fen=320000, created_at=timezone.now()
    )
    settle(card, "PEN-1")
    twice, card2 = insured(tmp_path / "2")
    settle(card2, "TWO-1")
    Insured.objects.filter(person=twice).update(region="110100")  # insured in Beijing too
    settle(card2, "TWO-2")

    run = services.monitoring_run(scope=SUPERVISOR)
    flags = {f.rule: f for f in MonitoringFlag.objects.filter(rule__in=crosschecks.RULES)}
    assert set(flags) == set(crosschecks.RULES)
    assert (flags["employee_while_pensioned"].person_id, flags["two_insuring_regions"].person_id) == (
        pensioner.pk,
        twice.pk,
    )
    assert len(flags["two_insuring_regions"].evidence["claims"]) == 2
    assert run.counts["employee_while_pensioned"] == {"found": 1, "new": 1}
    assert services.monitoring_run(scope=SUPERVISOR).new_flags == 0
