"""The wage-arrears early warning (L3): planted distressed employers rank above steady ones.

The population is built here, in the ledger and payments the score reads, with the label
(which employers are in distress) kept only in this test: the score never sees it. The
distressed ones show different mixtures of signals, and the steady ones carry noise (a
late month, churn, a complaint), so the ranking can fail.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from hrss.core.scope import Scope
from hrss.insurance.models import ContributionMonth, Payment, PaymentFile
from hrss.labor.models import Complaint, InspectionLead
from hrss.labor.services import warning
from hrss.labor.services.complaints import complaint_file
from hrss.registry.models import Employer
from hrss.servicehall.tests.builders import bearer
from hrss.synth.identifiers import credit_code
from hrss.testing import make_user, sign_in

MONTHS = [dt.date(2026, m, 1) for m in range(1, 7)]
LAST = MONTHS[-1]
STEADY, DISTRESSED = 297, 3  # the top 1 % is 3 employers
PRECISION_AT_1PCT_AT_LEAST = Decimal("0.66")


def _org8(index: int) -> str:
    return f"{index:08d}"


def build_city(seed: int = 20) -> tuple[list[Employer], set[uuid.UUID]]:
    """Employers with six months of contributions and payments; returns (employers, distressed ids)."""
    rng = random.Random(seed)
    now = timezone.now()
    employers = Employer.objects.bulk_create(
        Employer(
            credit_code=credit_code("9", "1", "120101" if i % 2 else "120103", _org8(10_000 + i)),
            name=f"测试企业{i:03d}",
            district_id="120101" if i % 2 else "120103",
        )
        for i in range(STEADY + DISTRESSED)
    )
    distressed = {e.pk for e in rng.sample(employers, DISTRESSED)}
    payment_file = PaymentFile.objects.create(
        source=PaymentFile.Source.BANK, filename="t.csv", sha256="0" * 64, posted_by="test"
    )
    months: list[ContributionMonth] = []
    payments: list[Payment] = []
    for employer in employers:
        heads = rng.randint(4, 12)
        base = rng.randint(4_000_00, 9_000_00)
        people = [uuid.uuid4() for _ in range(heads)]
        bad = employer.pk in distressed
        # the distressed: arrears from a month in the second half, with some mix of leavers and base cuts
        trouble_from = rng.choice([2, 3]) if bad else None
        late_month = rng.randrange(6) if (not bad and rng.random() < 0.15) else None  # noise: one late month
        for index, period in enumerate(MONTHS):
            staff = people
            month_base = base
            if bad and trouble_from is not None and index >= trouble_from:
                if rng.random() < 0.7:
                    staff = people[: max(1, math.ceil(len(people) * rng.uniform(0.4, 0.8)))]
                if rng.random() < 0.5:
                    month_base = int(base * rng.uniform(0.7, 0.9))
            elif not bad and index >= 4 and rng.random() < 0.2:  # noise: churn of one person
                staff = people[:-1]
            due = 0
            for person in staff:
                fen = month_base * 16 // 100
                due += fen + month_base * 8 // 100
                months.append(
                    ContributionMonth(
                        period=period,
                        person_id=person,
                        employer=employer,
                        category="employee",
                        kind="assessed",
                        revision=0,
                        base_fen=month_base,
                        pension_employer_fen=fen,
                        pension_individual_fen=month_base * 8 // 100,
                        created_at=now,
                    )
                )
            if bad and trouble_from is not None and index >= trouble_from:
                amount = int(due * rng.choice([0, 0, 0.3, 0.5]))
            elif late_month == index:
                amount = 0
            else:
                amount = due
            if amount:
                payments.append(
                    Payment(
                        file=payment_file,
                        row_number=len(payments) + 1,
                        employer=employer,
                        period=period,
                        amount_fen=amount,
                        paid_on=period + dt.timedelta(days=20),
                        outcome="matched" if amount == due else "underpaid",
                        due_fen=due,
                        difference_fen=amount - due,
                    )
                )
    ContributionMonth.objects.bulk_create(months, batch_size=2000)
    Payment.objects.bulk_create(payments, batch_size=2000)
    return employers, distressed


def city_wide(role: str = "inspector") -> Scope:
    return Scope(actor="inspector-test", roles=frozenset({role}), districts=None)


def precision_at_top(ranked: list[warning.EmployerRisk], labelled: set[uuid.UUID], share: float) -> Decimal:
    top = ranked[: max(1, math.ceil(len(ranked) * share))]
    return Decimal(sum(1 for r in top if r.employer_id in labelled)) / Decimal(len(top))


def test_score_is_a_weighted_sum_of_rules_and_explained():
    rules = warning.model().rules
    assert sum(r.weight for r in rules) == 100
    score, reasons = warning.score_features(
        {"unpaid_months": Decimal(6), "headcount_drop": Decimal("0.15"), "complaints": Decimal(0)}, rules
    )
    # unpaid months reach the threshold (full 25 points); headcount at half its threshold (10 of 20)
    assert score == Decimal("35.0")
    assert [r["feature"] for r in reasons] == ["unpaid_months", "headcount_drop"]
    assert reasons[0]["points"] == Decimal("25.0") and reasons[1]["points"] == Decimal("10.0")


@pytest.mark.django_db
def test_planted_distressed_employers_rank_above_steady_ones(django_assert_max_num_queries):
    employers, distressed = build_city()
    with django_assert_max_num_queries(6):  # five, and one finding no construction projects
        ranked = warning.compute(scope=city_wide(), period=LAST)
    assert len(ranked) == len(employers)
    precision = precision_at_top(ranked, distressed, 0.01)
    print(f"wage-arrears warning: precision at top 1 % = {precision:.2f} ({len(employers)} employers)")
    assert precision >= PRECISION_AT_1PCT_AT_LEAST
    # every planted one is above the median steady one, and explained by the ledger's signals
    steady_scores = sorted(r.score for r in ranked if r.employer_id not in distressed)
    for risk in ranked:
        if risk.employer_id in distressed:
            assert risk.score > steady_scores[len(steady_scores) // 2]
            assert {r["feature"] for r in risk.reasons} & {"unpaid_months", "arrears_ratio"}


@pytest.mark.django_db
def test_complaints_add_to_the_score_with_their_reason(city):
    employers, distressed = build_city(seed=3)
    steady = next(e for e in employers if e.pk not in distressed)
    before = next(r for r in warning.compute(scope=city_wide(), period=LAST) if r.employer_id == steady.pk)
    inspector = make_user("inspector-w", "inspector", city_wide=True)
    for key in ("w1", "w2"):
        complaint_file(
            scope=city.scope(inspector),
            credit_code=steady.credit_code,
            kind="complaint",
            content="拖欠工资两个月",
            channel="visit",
            idempotency_key=key,
        )
    Complaint.objects.filter(employer=steady).update(received_on=dt.date(2026, 5, 10))  # within the window
    after = next(r for r in warning.compute(scope=city_wide(), period=LAST) if r.employer_id == steady.pk)
    assert after.features["complaints"] == 2
    assert after.score == before.score + warning.model().rules[4].weight
    assert "complaints" in {r["feature"] for r in after.reasons}


@pytest.mark.django_db
def test_scope_limits_the_ranking_to_the_callers_districts():
    build_city()
    hexi = Scope(actor="i", roles=frozenset({"inspector"}), districts=frozenset({"120103"}))
    ranked = warning.ranking(scope=hexi, period=LAST, limit=500)
    assert ranked and {r.district_id for r in ranked} == {"120103"}
    with pytest.raises(warning.PermissionDenied):
        warning.compute(scope=Scope(actor="c", roles=frozenset({"citizen"}), districts=frozenset()), period=LAST)


@pytest.mark.django_db
def test_high_scores_open_inspection_leads_once_per_period():
    _employers, distressed = build_city()
    flagged = warning.open_leads(scope=city_wide(), period=LAST, on=dt.date(2026, 7, 1))
    assert {r.employer_id for r in flagged} & distressed
    assert all(r.score >= warning.model().open_lead_at for r in flagged)
    leads = InspectionLead.objects.filter(employer_id__in=[r.employer_id for r in flagged])
    assert leads.count() == len(flagged)
    assert all(lead.reasons[0]["source"] == "warning" for lead in leads)
    warning.open_leads(scope=city_wide(), period=LAST, on=dt.date(2026, 7, 2))  # again: nothing added
    assert all(len(lead.reasons) == 1 for lead in InspectionLead.objects.all())


@pytest.mark.django_db
def test_api_ranks_and_explains(django_assert_max_num_queries):
    build_city()
    client = bearer(make_user("inspector-api", "inspector", city_wide=True))
    with django_assert_max_num_queries(12):
        answer = client.get("/api/v1/labor/warnings", {"period": "2026-06", "limit": 5})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["period"] == "2026-06" and len(body["employers"]) == 5
    scores = [Decimal(str(e["score"])) for e in body["employers"]]
    assert scores == sorted(scores, reverse=True)
    assert body["employers"][0]["reasons"][0]["feature"]
    bad = client.get("/api/v1/labor/warnings", {"period": "June"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"


@pytest.mark.django_db
def test_page_in_chinese(client):
    build_city()
    sign_in(client, make_user("inspector-page", "inspector", city_wide=True))
    page = client.get("/labor/warnings/?period=2026-06", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert "欠薪预警" in text and "风险分" in text
    opened = client.post("/labor/warnings/", {"period": "2026-06"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert opened.status_code == 302 and InspectionLead.objects.exists()
    bad = client.get("/labor/warnings/?period=June", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 422


@pytest.mark.django_db
def test_api_opens_leads_and_refuses_citizens(city):
    build_city()
    api = bearer(make_user("inspector-leads", "inspector", city_wide=True))
    answer = api.post("/api/v1/labor/warnings/leads", {"period": "2026-06"}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert InspectionLead.objects.count() == len(answer.json()["employers"]) > 0
    assert bearer(city.citizen).get("/api/v1/labor/warnings").status_code == 403
