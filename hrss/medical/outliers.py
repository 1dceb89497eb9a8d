"""The smart monitoring's unsupervised screen (S6), pure: profiles over the window from the lines
frame of ``screening`` — each institution's (``FEATURES``), each doctor's at an institution
(``DOCTOR_FEATURES``, claims that name the practitioner code) and each insured person's
(``PERSON_FEATURES``) — an isolation forest over each set of profiles (scikit-learn, its random
state a dated parameter recorded with the run), and each outlier explained by the features
furthest from the median in robust z-scores."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl

from hrss.medical.screening import Finding, Thresholds

# The institution profile the isolation forest screens (each a column of ``institution_features``).
FEATURES = (
    "claims",
    "persons",
    "fund_total",
    "fund_per_claim",
    "claims_per_person",
    "lines_per_claim",
    "inpatient_share",
    "drug_share",
    "class_bc_share",
)
EXPLAIN = 3  # features named in a screen finding's explanation
# A doctor's profile: the institution's features over the claims that name the doctor.
DOCTOR_FEATURES = FEATURES
# A person's profile: how often, where and for how much they were treated.
PERSON_FEATURES = (
    "claims",
    "institutions",
    "visit_days",
    "fund_total",
    "fund_per_claim",
    "lines_per_claim",
    "inpatient_share",
    "drug_share",
    "class_bc_share",
)


def institution_features(lines: pl.DataFrame, drugs: set[str]) -> pl.DataFrame:
    """The profile of each institution over the window (one row each, columns ``FEATURES``)."""
    return _profiles(lines, drugs, ["institution_id"])


def doctor_features(lines: pl.DataFrame, drugs: set[str], min_claims: int = 1) -> pl.DataFrame:
    """The profile of each doctor (institution and practitioner code) over the claims naming one;
    doctors with fewer than ``min_claims`` settlements are left out."""
    named = lines.filter(pl.col("doctor").is_not_null() & (pl.col("doctor").str.strip_chars() != ""))
    return _profiles(named, drugs, ["institution_id", "doctor"]).filter(pl.col("claims") >= min_claims)


def person_features(lines: pl.DataFrame, drugs: set[str]) -> pl.DataFrame:
    """The profile of each insured person over the window (``PERSON_FEATURES``); their main
    institution (the largest fund share) is the one a finding is filed under."""
    main = (
        lines.group_by("person_id", "institution_id")
        .agg(pl.col("line_fund").sum().alias("share"), pl.col("district").first().alias("main_district"))
        .sort("person_id", "share", "institution_id", descending=[False, True, False])
        .group_by("person_id", maintain_order=True)
        .first()
        .select("person_id", pl.col("institution_id").alias("main_institution"), "main_district")
    )
    return _profiles(lines, drugs, ["person_id"]).join(main, on="person_id", how="left")


def _profiles(lines: pl.DataFrame, drugs: set[str], keys: list[str]) -> pl.DataFrame:
    return (
        lines.group_by(*keys)
        .agg(
            pl.col("claim_id").n_unique().alias("claims"),
            pl.col("institution_id").n_unique().alias("institutions"),
            pl.col("visit_date").n_unique().alias("visit_days"),
            pl.col("person_id").n_unique().alias("persons"),
            pl.col("line_fund").sum().alias("fund_total"),
            pl.len().alias("line_rows"),
            pl.col("amount").sum().alias("amount_total"),
            pl.col("amount").filter(pl.col("pooling") == "inpatient").sum().alias("inpatient_amount"),
            pl.col("amount").filter(pl.col("code").is_in(sorted(drugs))).sum().alias("drug_amount"),
            pl.col("amount").filter(pl.col("klass").is_in(["B", "C"])).sum().alias("bc_amount"),
            pl.col("district").first(),
        )
        .with_columns(
            (pl.col("fund_total") / pl.col("claims")).alias("fund_per_claim"),
            (pl.col("claims") / pl.col("persons")).alias("claims_per_person"),
            (pl.col("line_rows") / pl.col("claims")).alias("lines_per_claim"),
            *(
                pl.when(pl.col("amount_total") > 0)
                .then(pl.col(part) / pl.col("amount_total"))
                .otherwise(0.0)
                .alias(name)
                for part, name in (
                    ("inpatient_amount", "inpatient_share"),
                    ("drug_amount", "drug_share"),
                    ("bc_amount", "class_bc_share"),
                )
            ),
        )
        .sort(*keys)
    )


def robust_z(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value's distance from its column's median in robust standard deviations (1.4826 x
    MAD; the mean absolute deviation x 1.2533 where the MAD is nought; 0 where both are)."""
    median = np.median(matrix, axis=0)
    deviation = np.abs(matrix - median)
    scale = 1.4826 * np.median(deviation, axis=0)
    fallback = 1.2533 * deviation.mean(axis=0)
    scale = np.where(scale > 0, scale, fallback)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(scale > 0, (matrix - median) / scale, 0.0)
    return z, median


def outlier_institutions(features: pl.DataFrame, t: Thresholds, period: str) -> tuple[list[Finding], dict[str, Any]]:
    """The isolation forest over the institutions' profiles (log1p of each feature); each
    outlier explained by the ``EXPLAIN`` features furthest from the median (robust z)."""
    ids = features["institution_id"].to_list() if len(features) else []
    districts = features["district"].to_list() if len(features) else []

    def finding(i: int, figures: dict[str, Any], score: float) -> Finding:
        return Finding("outlier_institution", ids[i], period, ids[i], districts[i], None, [], 0.0, figures, score)

    return _screen(features, FEATURES, t, finding, "too few institutions")


def outlier_doctors(features: pl.DataFrame, t: Thresholds, period: str) -> tuple[list[Finding], dict[str, Any]]:
    """The isolation forest over the doctors' profiles; a finding is about the doctor at the
    institution (subject ``institution|doctor``) and filed under the institution."""
    rows = features.select("institution_id", "doctor", "district").rows() if len(features) else []

    def finding(i: int, figures: dict[str, Any], score: float) -> Finding:
        institution, doctor, district = rows[i]
        figures = {"doctor": doctor, **figures}
        return Finding(
            "outlier_doctor", f"{institution}|{doctor}", period, institution, district, None, [], 0.0, figures, score
        )

    return _screen(features, DOCTOR_FEATURES, t, finding, "too few doctors")


def outlier_persons(features: pl.DataFrame, t: Thresholds, period: str) -> tuple[list[Finding], dict[str, Any]]:
    """The isolation forest over the insured persons' profiles; a finding is about the person,
    filed under the institution that was paid most for them."""
    rows = features.select("person_id", "main_institution", "main_district").rows() if len(features) else []

    def finding(i: int, figures: dict[str, Any], score: float) -> Finding:
        person, institution, district = rows[i]
        return Finding("outlier_person", person, period, institution, district, person, [], 0.0, figures, score)

    return _screen(features, PERSON_FEATURES, t, finding, "too few persons")


def _screen(
    features: pl.DataFrame, columns: tuple[str, ...], t: Thresholds, finding: Any, few: str
) -> tuple[list[Finding], dict[str, Any]]:
    from sklearn.ensemble import IsolationForest

    info: dict[str, Any] = {"subjects": len(features), "random_state": t.forest_seed}
    if len(features) < t.forest_min_subjects:
        info["skipped"] = few
        return [], info
    raw = features.select(columns).to_numpy().astype(float)
    # Fitted without a contamination ("auto"), which builds the same trees without scoring every
    # subject; the subjects are then scored once, and the outliers are the share
    # ``forest_contamination`` with the lowest normality, as scikit-learn's own fit_predict
    # would find them after scoring them twice more (a third of the run at a million claims).
    model = IsolationForest(n_estimators=t.forest_trees, contamination="auto", random_state=t.forest_seed)
    transformed = np.log1p(np.clip(raw, 0, None))
    normality = model.fit(transformed).score_samples(transformed)
    offset = np.percentile(normality, 100.0 * t.forest_contamination)
    labels = np.where(normality - offset < 0, -1, 1)
    scores = -normality  # higher: more anomalous
    z, median = robust_z(transformed)
    fund = features["fund_total"].to_list()
    flagged = np.flatnonzero(labels == -1)
    info["outliers"] = len(flagged)
    if len(flagged) > t.forest_max_flags:  # a queue reviewers can work: the most anomalous first
        flagged = np.sort(flagged[np.argsort(-scores[flagged], kind="stable")[: t.forest_max_flags]])
    findings = []
    for i in flagged:
        top = sorted(range(len(columns)), key=lambda j: (-abs(z[i, j]), j))[:EXPLAIN]
        explanation = [
            {
                "feature": columns[j],
                "value": _round(raw[i, j]),
                "median": _round(math.expm1(median[j])),
                "z": round(float(z[i, j]), 2),
            }
            for j in top
        ]
        figures = {"explanation": explanation, "fund_total": _round(fund[i])}
        findings.append(finding(int(i), figures, round(float(scores[i]), 4)))
    info["flagged"] = len(findings)
    return findings, info


def _round(value: float) -> float:
    return round(float(value), 2)
