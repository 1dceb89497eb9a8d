"""The monitoring's rules and screen, pure (``hrss.medical.screening``): for each rule a planted
claim set trips it and a near miss does not; the isolation forest flags a planted outlier
institution and says which features drove it, the same way on every run."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest

from hrss.medical import crosschecks, outliers, reference, screening

D = dt.date
T = screening.Thresholds()
ITEMS = screening.items_frame(reference.monitoring_items())
DRUGS = {"C10AA05", "J01CA04", "A10BA02", "B01AC06"}
ON = D(2026, 6, 30)
MAY_FIRST, BORN = D(2026, 5, 1), D(1970, 1, 1)


def line(
    claim: str,
    *,
    person: str = "p1",
    institution: str = "i1",
    day: dt.date = MAY_FIRST,
    code: str = "110200001",
    quantity: float = 1,
    amount: float = 50,
    fund: float = 40,
    total: float | None = None,
    pooling: str = "outpatient",
    sex: str = "M",
    birth: dt.date = BORN,
    death: dt.date | None = None,
    region: str = "120100",
    klass: str = "A",
) -> tuple:
    return (
        claim,
        f"T-{claim}",
        institution,
        "120101",
        region,
        person,
        sex,
        birth.isoformat(),
        death.isoformat() if death else None,
        day.isoformat(),
        pooling,
        fund,
        amount if total is None else total,
        code,
        klass,
        quantity,
        amount,
    )


def found(*rows: tuple, rule: str) -> list[screening.Finding]:
    findings, _info = screening.evaluate(screening.lines_frame(rows), ITEMS, DRUGS, T, on=ON)
    return [f for f in findings if f.rule == rule]


def test_the_rules_data_name_a_basis_and_their_parameters_for_every_rule():
    rules = reference.monitoring_rules()
    assert set(rules) == set(screening.RULES) | set(crosschecks.RULES)
    assert all(rule["basis"] and rule["name"] for rule in rules.values())


def test_early_refill_trips_while_more_than_the_grace_days_remain_and_not_at_the_edge():
    first = line("c1", code="C10AA05", quantity=28, day=D(2026, 5, 1))
    early = line("c2", code="C10AA05", quantity=28, day=D(2026, 5, 15))  # 14 of 28 days left > 7
    (finding,) = found(first, early, rule="early_refill")
    assert finding.claims == ["c1", "c2"] and finding.figures["days_remaining"] == 14
    assert finding.period == "2026-05" and finding.person_id == "p1"
    at_edge = line("c2", code="C10AA05", quantity=28, day=D(2026, 5, 22))  # 7 days left: not more than 7
    assert found(first, at_edge, rule="early_refill") == []
    other_person = line("c2", person="p2", code="C10AA05", quantity=28, day=D(2026, 5, 15))
    assert found(first, other_person, rule="early_refill") == []


def test_early_refill_uses_the_daily_dose_of_the_data():
    # Amoxicillin: 6 capsules a day (monitoring_items.csv): 42 capsules last 7 days.
    first = line("c1", code="J01CA04", quantity=42, day=D(2026, 5, 1))
    assert found(first, line("c2", code="J01CA04", quantity=42, day=D(2026, 5, 3)), rule="early_refill") == []
    first = line("c1", code="J01CA04", quantity=84 * 6 / 6 * 1, day=D(2026, 5, 1))  # 84 capsules: 14 days
    (finding,) = found(first, line("c2", code="J01CA04", quantity=6, day=D(2026, 5, 2)), rule="early_refill")
    assert finding.figures["daily_dose"] == 6


def test_sex_and_age_limits():
    (finding,) = found(line("c1", code="311201001", sex="M"), rule="sex_age")  # 妇科检查 for a man
    assert finding.figures["limit_sex"] == "F"
    assert found(line("c1", code="311201001", sex="F"), rule="sex_age") == []
    baby = D(2026, 1, 1)
    assert found(line("c1", code="120400005", birth=baby), rule="sex_age") == []  # under one
    (adult,) = found(line("c1", code="120400005", birth=D(2025, 4, 30)), rule="sex_age")  # one year old on 1 May
    assert adult.figures["age"] == 1


def test_duplicate_billing_same_person_institution_item_and_day():
    one, two = line("c1", code="250101001"), line("c2", code="250101001")
    (finding,) = found(one, two, rule="duplicate_billing")
    assert finding.claims == ["c1", "c2"] and finding.amount == 50  # what was billed twice
    assert found(one, line("c2", code="250101001", day=D(2026, 5, 2)), rule="duplicate_billing") == []
    assert found(one, line("c2", code="250101001", institution="i2"), rule="duplicate_billing") == []


def test_readmission_within_fifteen_days_at_the_same_institution():
    first = line("c1", pooling="inpatient", day=D(2026, 5, 1), fund=5000, amount=8000)
    again = line("c2", pooling="inpatient", day=D(2026, 5, 16), fund=3000, amount=4000)
    (finding,) = found(first, again, rule="readmission")
    assert finding.figures["days_between"] == 15 and finding.amount == 4000
    assert found(first, line("c2", pooling="inpatient", day=D(2026, 5, 17)), rule="readmission") == []
    assert found(first, line("c2", pooling="inpatient", day=D(2026, 5, 10), institution="i2"), rule="readmission") == []
    assert found(first, line("c2", pooling="outpatient", day=D(2026, 5, 10)), rule="readmission") == []


def test_quantity_over_the_limit_of_one_bill():
    (finding,) = found(line("c1", code="J01CA04", quantity=60, amount=60, fund=60), rule="quantity_limit")
    assert finding.figures == {"code": "J01CA04", "quantity": 60, "limit": 42}
    assert finding.amount == pytest.approx(18)  # what was billed beyond the limit
    assert found(line("c1", code="J01CA04", quantity=42), rule="quantity_limit") == []


def test_use_after_death():
    (finding,) = found(line("c1", day=D(2026, 5, 2), death=D(2026, 5, 1)), rule="after_death")
    assert finding.figures["death_date"] == "2026-05-01"
    assert found(line("c1", day=D(2026, 5, 1), death=D(2026, 5, 1)), rule="after_death") == []


def test_one_card_in_two_cities_on_the_same_day():
    here, there = line("c1"), line("c2", institution="i9", region="110100")
    (finding,) = found(here, there, rule="two_places")
    assert finding.figures["regions"] == ["110100", "120100"]
    assert found(here, line("c2", institution="i9", region="120100"), rule="two_places") == []


def test_billing_jump_against_the_three_months_before():
    steady = [line(f"s{m}", day=D(2026, m, 10), fund=5000, amount=6000, person=f"p{m}") for m in (1, 2, 3)]
    jump = [line(f"j{n}", day=D(2026, 4, 10 + n), fund=5000, amount=6000, person=f"q{n}") for n in range(4)]
    (finding,) = found(*steady, *jump, rule="billing_jump")
    assert finding.period == "2026-04" and finding.figures["ratio"] == 4.0 and finding.amount == 15000
    near = jump[:2]  # 10,000 against 5,000: twice, not more than twice
    assert found(*steady, *near, rule="billing_jump") == []
    # Only whole months of the window count, and a month is judged with its three months before inside it.
    claims = screening._claims(screening._with_line_fund(screening.lines_frame([*steady, *jump])))
    assert screening.billing_jump(claims, T, since=D(2026, 1, 1))
    assert screening.billing_jump(claims, T, since=D(2026, 1, 15)) == []  # January partial: April not judged


def _city(outlier: bool) -> list[tuple]:
    rng = random.Random(7)
    rows = []
    for i in range(40):
        for n in range(30):
            claim = f"c{i}-{n}"
            fund = rng.uniform(80, 120)
            rows.append(line(claim, institution=f"i{i:02d}", person=f"p{i}-{n % 20}", fund=fund, amount=fund * 1.25))
    if outlier:  # one institution: few patients, each billed often and heavily in drugs
        for n in range(60):
            fund = rng.uniform(1800, 2200)
            rows.append(
                line(f"x-{n}", institution="i99", person=f"x{n % 3}", code="C10AA05", fund=fund, amount=fund * 1.1)
            )
    return rows


def test_the_isolation_forest_flags_the_planted_institution_and_explains_it():
    rows = _city(outlier=True)
    findings = found(*rows, rule="outlier_institution")
    assert "i99" in {f.subject for f in findings}
    flagged = next(f for f in findings if f.subject == "i99")
    explanation = flagged.figures["explanation"]
    assert len(explanation) == 3 and all(abs(e["z"]) > 3 for e in explanation)
    assert {e["feature"] for e in explanation} <= set(outliers.FEATURES)
    assert flagged.score is not None and flagged.period == "2026-06"
    again = found(*rows, rule="outlier_institution")  # the same random state: the same answer
    assert [(f.subject, f.score) for f in again] == [(f.subject, f.score) for f in findings]


def test_the_screen_does_not_run_on_too_few_institutions():
    rows = [line(f"c{i}", institution=f"i{i}") for i in range(5)]
    lines = screening.lines_frame(rows)
    findings, info = outliers.outlier_institutions(
        outliers.institution_features(screening._with_line_fund(lines), DRUGS), T, "2026-06"
    )
    assert findings == [] and info["skipped"]


def test_robust_z_of_a_constant_column_is_nought():
    import numpy as np

    z, median = outliers.robust_z(np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 9.0]]))
    assert z[:, 0].tolist() == [0, 0, 0] and median.tolist() == [1.0, 2.0]
    assert z[2, 1] > 3


def test_an_empty_window_finds_nothing():
    findings, info = screening.evaluate(screening.lines_frame([]), ITEMS, DRUGS, T, on=ON)
    assert findings == [] and info["subjects"] == 0
    assert isinstance(screening.lines_frame([]), pl.DataFrame)


def test_a_screen_raises_at_most_its_cap_of_cases_the_most_anomalous_first():
    import dataclasses

    rows = _city(outlier=True)
    lines = screening._with_line_fund(screening.lines_frame(rows))
    features = outliers.institution_features(lines, DRUGS)
    wide = dataclasses.replace(T, forest_contamination=0.2)
    every, info = outliers.outlier_institutions(features, wide, "2026-06")
    assert info["outliers"] == len(every) > 2
    capped, info = outliers.outlier_institutions(features, dataclasses.replace(wide, forest_max_flags=2), "2026-06")
    assert info["outliers"] == len(every) and info["flagged"] == 2
    assert sorted(f.score for f in capped) == sorted(f.score for f in every)[-2:]
    assert "i99" in {f.subject for f in capped}


def test_the_screen_flags_what_scikit_learns_own_contamination_would():
    """The screen scores each subject once; its outliers and scores are those of an
    ``IsolationForest`` fitted with the contamination and asked to ``fit_predict``."""
    import dataclasses

    import numpy as np
    from sklearn.ensemble import IsolationForest

    lines = screening._with_line_fund(screening.lines_frame(_city(outlier=True)))
    features = outliers.institution_features(lines, DRUGS)
    t = dataclasses.replace(T, forest_contamination=0.1, forest_max_flags=1000)
    findings, _info = outliers.outlier_institutions(features, t, "2026-06")
    matrix = np.log1p(np.clip(features.select(outliers.FEATURES).to_numpy().astype(float), 0, None))
    model = IsolationForest(
        n_estimators=t.forest_trees, contamination=t.forest_contamination, random_state=t.forest_seed
    )
    labels = model.fit_predict(matrix)
    ids = features["institution_id"].to_list()
    assert {f.subject for f in findings} == {ids[i] for i in np.flatnonzero(labels == -1)} != set()
    scores = dict(zip(ids, -model.score_samples(matrix), strict=True))
    assert all(f.score == round(float(scores[f.subject]), 4) for f in findings)
