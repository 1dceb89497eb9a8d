"""The medical app's synthetic-city step (``visits``): insured persons and settled visits
consistent with the city, and the monitoring run finds what it planted (labels in the run's
report only) with good precision and recall."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Exists, OuterRef, Sum

from hrss.codes.models import PolicyParameter
from hrss.codes.selectors import codes_changed
from hrss.core import scope as roles
from hrss.core.scope import Scope
from hrss.medical import services
from hrss.medical.models import Claim, ClaimLine, DiseaseRecognition, Insured, MonitoringFlag
from hrss.medical.synth import bills
from hrss.registry.models import Person
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthParams

pytestmark = pytest.mark.django_db
SUPERVISOR = Scope(actor="supervisor", roles=frozenset({roles.FUND_SUPERVISOR}), districts=None)
PERSON_RULES = ("early_refill", "sex_age", "duplicate_billing", "readmission", "quantity_limit", "two_places")


def _hex(part: str) -> str:
    try:
        return uuid.UUID(part).hex if len(part) in (32, 36) else part
    except ValueError:
        return part


def _subject(subject: str) -> str:
    return "|".join(_hex(part) for part in subject.split("|"))


def test_visits_follow_the_city_and_the_monitoring_finds_what_was_planted():
    as_of = dt.date.today()
    params = SynthParams(persons=2500, employers=20, months=5, seed=7, as_of=as_of)
    report = synth_run(params=params, steps=["visits"], progress=False)
    planted = report.labels["medical"]
    assert all(planted[rule] for rule in (*PERSON_RULES, "after_death", "billing_jump", "outlier_institution")), planted
    assert planted["outlier_doctor"] and planted["outlier_person"]

    # consistent with the city: everyone insured, nothing before the history or after the day
    assert Insured.objects.count() == Person.objects.count() == 2500
    claims = Claim.objects.all()
    assert claims.count() > 2500
    assert not claims.filter(visit_date__lt=params.window_start).exists()
    assert not claims.filter(visit_date__gt=as_of).exists()
    women_prostate = ClaimLine.objects.filter(code=bills.PROSTATE, claim__person__sex="F").count()
    men_gynaecology = ClaimLine.objects.filter(code=bills.GYNAECOLOGY, claim__person__sex="M").count()
    assert women_prostate + men_gynaecology == len(planted["sex_age"])
    sums = claims.aggregate(total=Sum("total"), fund=Sum("fund"), patient=Sum("patient"))
    assert abs(sums["total"] - sums["fund"] - sums["patient"]) < Decimal("0.5")
    assert Insured.objects.filter(account_balance__lt=0).count() == 0
    # 门特 visits: only for a recognition in force, under the chronic pooling's figures
    chronic = claims.filter(pooling="chronic")
    assert chronic.exists() and not chronic.filter(disease="").exists()
    assert not chronic.exclude(policy__pooling="chronic").exists()
    recognised = DiseaseRecognition.objects.filter(
        person_id=OuterRef("person_id"), disease_id=OuterRef("disease"), valid_from__lte=OuterRef("visit_date")
    )
    assert not chronic.exclude(Exists(recognised)).exists()

    # the monitoring's window is the history (its months before the city are empty, not low),
    # and the screens flag a tenth of their subjects as leads (with fewer trees: a small city)
    for name, value, unit in (
        ("medical.monitor.window_days", (as_of - params.window_start).days, "days"),
        ("medical.monitor.forest_contamination", Decimal("0.1"), "ratio"),
        ("medical.monitor.forest_trees", 50, "count"),
    ):
        PolicyParameter.objects.create(
            name=name,
            value=Decimal(value),
            unit=unit,
            valid_from=params.window_start,
            region=settings.HRSS_CITY_REGION,
            source="test",
            confidence="R",
        )
    codes_changed()
    services.monitoring_run(scope=SUPERVISOR, on=as_of)
    found: dict[str, set[str]] = {}
    for rule, subject in MonitoringFlag.objects.values_list("rule", "subject"):
        found.setdefault(rule, set()).add(_subject(subject))
    rules = [rule for rule in planted if not rule.startswith("outlier_")]
    hits = wrong = 0
    for rule in rules:  # the rules: every planted anomaly found, next to nothing else
        expected, got = set(planted[rule]), found.get(rule, set())
        assert expected <= got, (rule, expected - got)
        hits, wrong = hits + len(expected & got), wrong + len(got - expected)
    assert hits / (hits + wrong) >= 0.9, {rule: len(found.get(rule, ())) for rule in rules}
    # the screens: every planted outlier institution, doctor and person among their leads
    for rule in ("outlier_institution", "outlier_doctor", "outlier_person"):
        assert set(planted[rule]) <= found[rule], (rule, set(planted[rule]) - found[rule])
    assert len(found["outlier_person"]) <= 0.12 * Insured.objects.count()
    flag = MonitoringFlag.objects.filter(rule="outlier_doctor").first()
    assert flag is not None and flag.evidence["figures"]["doctor"]
    assert len(flag.evidence["figures"]["explanation"]) == 3
