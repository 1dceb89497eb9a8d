"""The smart monitoring's unsupervised screen (S6), pure: each institution's profile over the
window (``FEATURES``) from the lines frame of ``screening``, an isolation forest over them
(scikit-learn, its random state a dated parameter recorded with the run), and each outlier
explained by the features furthest from the median in robust z-scores."""

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


def institution_features(lines: pl.DataFrame, drugs: set[str]) -> pl.DataFrame:
    """The profile of each institution over the window (one row each, columns ``FEATURES``)."""
    return (
        lines.group_by("institution_id")
        .agg(
            pl.col("claim_id").n_unique().alias("claims"),
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
        .sort("institution_id")
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
    from sklearn.ensemble import IsolationForest

    info: dict[str, Any] = {"subjects": len(features), "random_state": t.forest_seed}
    if len(features) < t.forest_min_subjects:
        info["skipped"] = "too few institutions"
        return [], info
    raw = features.select(FEATURES).to_numpy().astype(float)
    model = IsolationForest(
        n_estimators=t.forest_trees,
        contamination=t.forest_contamination,
        random_state=t.forest_seed,
    )
    transformed = np.log1p(np.clip(raw, 0, None))
    labels = model.fit_predict(transformed)
    scores = -model.score_samples(transformed)  # higher: more anomalous
    z, median = robust_z(transformed)
    findings = []
    ids = features["institution_id"].to_list()
    districts = features["district"].to_list()
    fund = features["fund_total"].to_list()
    for i in np.flatnonzero(labels == -1):
        top = sorted(range(len(FEATURES)), key=lambda j: (-abs(z[i, j]), j))[:EXPLAIN]
        explanation = [
            {
                "feature": FEATURES[j],
                "value": _round(raw[i, j]),
                "median": _round(math.expm1(median[j])),
                "z": round(float(z[i, j]), 2),
            }
            for j in top
        ]
        findings.append(
            Finding(
                rule="outlier_institution",
                subject=ids[i],
                period=period,
                institution_id=ids[i],
                district=districts[i],
                person_id=None,
                claims=[],
                amount=0.0,
                figures={"explanation": explanation, "fund_total": _round(fund[i])},
                score=round(float(scores[i]), 4),
            )
        )
    info["flagged"] = len(findings)
    return findings, info


def _round(value: float) -> float:
    return round(float(value), 2)
