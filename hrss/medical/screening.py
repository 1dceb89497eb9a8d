"""The smart monitoring's rules and unsupervised screen (S6), pure: polars frames in, findings
out; no ORM. The service reads the claims of a window in one query and hands the rows here.

``lines`` has one row per bill line of a settlement still in force (reversed settlements and
refunded lines left out), with its claim, person and institution:

    claim_id, transaction_id, institution_id, district, region, person_id, sex, birth_date,
    death_date, visit_date, pooling, claim_fund, claim_total, code, klass, quantity, amount, doctor

``items`` has the monitoring data of the catalogue (``data/monitoring_items.csv``): code,
daily_dose, max_quantity, sex, min_age, max_age. Each rule is set-based (group, sort, shift,
join), so its cost grows with the rows, never with a query per claim.

A finding names its rule, subject (what it is about, stable across runs), period (YYYY-MM),
institution, person (if one), the claims involved, the amount at stake (违规金额: what was
billed for the items the finding is about; for a billing jump, the fund paid above the
average) and its figures.
The screen's findings carry an anomaly score and the explanation: the features furthest
from the median in robust z-score terms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

RULES = (
    "early_refill",
    "sex_age",
    "duplicate_billing",
    "readmission",
    "quantity_limit",
    "after_death",
    "two_places",
    "billing_jump",
    "outlier_institution",
    "outlier_doctor",
    "outlier_person",
)
ITEM_SCHEMA: dict[str, Any] = {
    "code": pl.Utf8,
    "daily_dose": pl.Float64,
    "max_quantity": pl.Float64,
    "limit_sex": pl.Utf8,
    "min_age": pl.Int64,
    "max_age": pl.Int64,
}


@dataclass(frozen=True)
class Thresholds:
    refill_grace_days: float = 7
    default_daily_dose: float = 1
    readmission_days: int = 15
    billing_jump_ratio: float = 2
    billing_jump_min_increase: float = 10000
    forest_contamination: float = 0.02
    forest_min_subjects: int = 20
    forest_trees: int = 200
    forest_seed: int = 2021
    # At most this many cases from each unsupervised screen a run, the highest scores.
    forest_max_flags: int = 100
    # A doctor with fewer settlements in the window is not profiled: a handful says nothing.
    doctor_min_claims: int = 10


@dataclass
class Finding:
    rule: str
    subject: str
    period: str
    institution_id: str
    district: str
    person_id: str | None
    claims: list[str]
    amount: float
    figures: dict[str, Any] = field(default_factory=dict)
    score: float | None = None


# What the service reads, in three queries, and ``lines_from`` joins into ``LINE_SCHEMA``: each
# claim once with its person and policy (not once per line), each line with only its own
# columns, and the institutions. About half the cells of one row per line with everything.
CLAIM_SCHEMA: dict[str, Any] = {
    "claim_id": pl.Utf8,
    "transaction_id": pl.Utf8,
    "institution_id": pl.Utf8,
    "person_id": pl.Utf8,
    "sex": pl.Utf8,
    "birth_date": pl.Date,
    "death_date": pl.Date,
    "visit_date": pl.Date,
    "pooling": pl.Utf8,
    "claim_fund": pl.Float64,
    "claim_total": pl.Float64,
    "doctor": pl.Utf8,
    "category": pl.Utf8,  # the policy's person category (crosschecks)
    "policy_region": pl.Utf8,  # the insuring region of the policy (crosschecks)
}
BILL_LINE_SCHEMA: dict[str, Any] = {
    "claim_id": pl.Utf8,
    "code": pl.Utf8,
    "klass": pl.Utf8,
    "quantity": pl.Float64,
    "amount": pl.Float64,
}
INSTITUTION_SCHEMA: dict[str, Any] = {"institution_id": pl.Utf8, "district": pl.Utf8, "region": pl.Utf8}
# The lines frame the rules read: one row per bill line with its claim, person and institution.
_TYPES = {**CLAIM_SCHEMA, **BILL_LINE_SCHEMA, **INSTITUTION_SCHEMA}
LINE_SCHEMA: dict[str, Any] = {
    name: _TYPES[name]
    for name in (
        "claim_id",
        "transaction_id",
        "institution_id",
        "district",
        "region",
        "person_id",
        "sex",
        "birth_date",
        "death_date",
        "visit_date",
        "pooling",
        "claim_fund",
        "claim_total",
        "code",
        "klass",
        "quantity",
        "amount",
        "doctor",  # the claim's practitioner code, empty or None where none was sent
    )
}


def typed_frame(rows: Iterable[tuple[Any, ...]], schema: dict[str, Any]) -> pl.DataFrame:
    """Rows as the database gives them (dates as ISO strings or dates, ids as text, numbers as
    numbers or decimals) as a frame of ``schema``, built column by column."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return pl.DataFrame(schema=schema)
    columns = []
    for (name, dtype), values in zip(schema.items(), zip(*rows, strict=True), strict=True):
        column = pl.Series(name, values, strict=False)
        if dtype == pl.Date and column.dtype in (pl.Utf8, pl.String):
            columns.append(column.str.slice(0, 10).str.to_date(strict=False))
        else:
            columns.append(column.cast(dtype, strict=False))
    return pl.DataFrame(columns)


def lines_frame(rows: Iterable[tuple[Any, ...]]) -> pl.DataFrame:
    """Rows in ``LINE_SCHEMA`` order as a typed frame; rows without the trailing columns
    (``doctor``) get None."""
    width = len(LINE_SCHEMA)
    return typed_frame([tuple(row) + (None,) * (width - len(row)) for row in rows], LINE_SCHEMA)


def lines_from(claims: pl.DataFrame, lines: pl.DataFrame, institutions: pl.DataFrame) -> pl.DataFrame:
    """The lines frame (``LINE_SCHEMA``) from the three reads: each bill line with its claim and
    the claim's institution; a claim without lines in force has no row, as before."""
    joined = lines.join(claims, on="claim_id", how="inner").join(institutions, on="institution_id", how="left")
    return joined.select(list(LINE_SCHEMA))


def items_frame(rows: Iterable[dict[str, str]]) -> pl.DataFrame:
    def number(value: str) -> float | None:
        return float(value) if value not in ("", None) else None

    def whole(value: str) -> int | None:
        return int(value) if value not in ("", None) else None

    data = [
        (
            row["code"],
            number(row["daily_dose"]),
            number(row["max_quantity"]),
            row["sex"] or None,
            whole(row["min_age"]),
            whole(row["max_age"]),
        )
        for row in rows
    ]
    return pl.DataFrame(data, schema=ITEM_SCHEMA, orient="row")


def _month(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%Y-%m")


def _with_line_fund(lines: pl.DataFrame) -> pl.DataFrame:
    """Each line's share of its claim's fund payment (by amount)."""
    return lines.with_columns(
        pl.when(pl.col("claim_total") > 0)
        .then(pl.col("claim_fund") * pl.col("amount") / pl.col("claim_total"))
        .otherwise(0.0)
        .alias("line_fund")
    )


def _claims(lines: pl.DataFrame) -> pl.DataFrame:
    """One row per claim."""
    return lines.group_by("claim_id").agg(
        pl.col(
            "transaction_id",
            "institution_id",
            "district",
            "region",
            "person_id",
            "death_date",
            "visit_date",
            "pooling",
            "claim_fund",
            "claim_total",
        ).first()
    )


def early_refill(lines: pl.DataFrame, items: pl.DataFrame, drugs: set[str], t: Thresholds) -> list[Finding]:
    """A drug settled again for the same person while more than ``refill_grace_days`` of the
    last supply (quantity / daily dose) remain."""
    rows = (
        lines.filter(pl.col("code").is_in(sorted(drugs)))
        .join(items.select("code", "daily_dose"), on="code", how="left")
        .with_columns(pl.col("daily_dose").fill_null(t.default_daily_dose))
        .group_by("person_id", "code", "visit_date", "claim_id")
        .agg(
            pl.col("quantity").sum(),
            pl.col("amount").sum(),
            pl.col("daily_dose").first(),
            pl.col("institution_id", "district", "transaction_id").first(),
        )
        .filter(pl.col("quantity") > 0)
        .sort("person_id", "code", "visit_date", "claim_id")
        .with_columns((pl.col("quantity") / pl.col("daily_dose")).alias("days"))
        .with_columns(
            pl.col("visit_date").shift(1).over("person_id", "code").alias("prev_date"),
            pl.col("days").shift(1).over("person_id", "code").alias("prev_days"),
            pl.col("claim_id").shift(1).over("person_id", "code").alias("prev_claim"),
        )
        .filter(pl.col("prev_date").is_not_null() & (pl.col("visit_date") > pl.col("prev_date")))
        .with_columns(
            (pl.col("prev_days") - (pl.col("visit_date") - pl.col("prev_date")).dt.total_days()).alias("remaining")
        )
        .filter(pl.col("remaining") > t.refill_grace_days)
    )
    return [
        Finding(
            rule="early_refill",
            subject=f"{r['person_id']}|{r['code']}|{r['visit_date']}",
            period=f"{r['visit_date']:%Y-%m}",
            institution_id=r["institution_id"],
            district=r["district"],
            person_id=r["person_id"],
            claims=[r["prev_claim"], r["claim_id"]],
            amount=r["amount"],
            figures={
                "code": r["code"],
                "previous_visit": r["prev_date"].isoformat(),
                "visit": r["visit_date"].isoformat(),
                "days_supplied_before": round(r["prev_days"], 1),
                "days_remaining": round(r["remaining"], 1),
                "grace_days": t.refill_grace_days,
                "daily_dose": r["daily_dose"],
            },
        )
        for r in rows.iter_rows(named=True)
    ]


def _age(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Whole years of age on a date."""
    before_birthday = (on.dt.month() < birth.dt.month()) | (
        (on.dt.month() == birth.dt.month()) & (on.dt.day() < birth.dt.day())
    )
    return on.dt.year() - birth.dt.year() - before_birthday.cast(pl.Int32)


def sex_age(lines: pl.DataFrame, items: pl.DataFrame) -> list[Finding]:
    """An item the catalogue limits to one sex or an age band, billed for someone outside it."""
    limited = items.filter(
        pl.col("limit_sex").is_not_null() | pl.col("min_age").is_not_null() | pl.col("max_age").is_not_null()
    )
    rows = (
        lines.join(limited.select("code", "limit_sex", "min_age", "max_age"), on="code", how="inner")
        .with_columns(_age(pl.col("birth_date"), pl.col("visit_date")).alias("age"))
        .filter(
            (pl.col("limit_sex").is_not_null() & (pl.col("limit_sex") != pl.col("sex")))
            | (pl.col("min_age").is_not_null() & (pl.col("age") < pl.col("min_age")))
            | (pl.col("max_age").is_not_null() & (pl.col("age") > pl.col("max_age")))
        )
    )
    return [
        Finding(
            rule="sex_age",
            subject=f"{r['claim_id']}|{r['code']}",
            period=f"{r['visit_date']:%Y-%m}",
            institution_id=r["institution_id"],
            district=r["district"],
            person_id=r["person_id"],
            claims=[r["claim_id"]],
            amount=r["amount"],
            figures={
                "code": r["code"],
                "sex": r["sex"],
                "age": r["age"],
                "limit_sex": r["limit_sex"] or "",
                "min_age": r["min_age"],
                "max_age": r["max_age"],
            },
        )
        for r in rows.iter_rows(named=True)
    ]


def duplicate_billing(lines: pl.DataFrame) -> list[Finding]:
    """The same item for the same person at the same institution on the same day, in two or more settlements."""
    rows = (
        lines.filter(pl.col("quantity") > 0)
        .group_by("person_id", "institution_id", "code", "visit_date")
        .agg(
            pl.col("claim_id").unique(maintain_order=True).alias("claims"),
            pl.col("amount").sum().alias("billed"),
            pl.col("amount").min().alias("billed_min"),
            pl.col("district").first(),
        )
        .filter(pl.col("claims").list.len() > 1)
    )
    return [
        Finding(
            rule="duplicate_billing",
            subject=f"{r['person_id']}|{r['institution_id']}|{r['code']}|{r['visit_date']}",
            period=f"{r['visit_date']:%Y-%m}",
            institution_id=r["institution_id"],
            district=r["district"],
            person_id=r["person_id"],
            claims=sorted(r["claims"]),
            amount=r["billed"] - r["billed_min"],
            figures={"code": r["code"], "visit": r["visit_date"].isoformat(), "settlements": len(r["claims"])},
        )
        for r in rows.iter_rows(named=True)
    ]


def readmission(claims: pl.DataFrame, t: Thresholds) -> list[Finding]:
    """An inpatient settlement at the institution that settled the person's last one, within ``readmission_days``."""
    rows = (
        claims.filter(pl.col("pooling") == "inpatient")
        .sort("person_id", "institution_id", "visit_date", "claim_id")
        .with_columns(
            pl.col("visit_date").shift(1).over("person_id", "institution_id").alias("prev_date"),
            pl.col("claim_id").shift(1).over("person_id", "institution_id").alias("prev_claim"),
        )
        .filter(pl.col("prev_date").is_not_null())
        .with_columns((pl.col("visit_date") - pl.col("prev_date")).dt.total_days().alias("gap"))
        .filter(pl.col("gap") <= t.readmission_days)
    )
    return [
        Finding(
            rule="readmission",
            subject=f"{r['person_id']}|{r['institution_id']}|{r['visit_date']}",
            period=f"{r['visit_date']:%Y-%m}",
            institution_id=r["institution_id"],
            district=r["district"],
            person_id=r["person_id"],
            claims=[r["prev_claim"], r["claim_id"]],
            amount=r["claim_total"],
            figures={
                "previous_settlement": r["prev_date"].isoformat(),
                "settlement": r["visit_date"].isoformat(),
                "days_between": r["gap"],
                "limit_days": t.readmission_days,
            },
        )
        for r in rows.iter_rows(named=True)
    ]


def quantity_limit(lines: pl.DataFrame, items: pl.DataFrame) -> list[Finding]:
    """A line whose quantity is above the item's limit for one bill."""
    rows = lines.join(
        items.filter(pl.col("max_quantity").is_not_null()).select("code", "max_quantity"), on="code", how="inner"
    ).filter(pl.col("quantity") > pl.col("max_quantity"))
    return [
        Finding(
            rule="quantity_limit",
            subject=f"{r['claim_id']}|{r['code']}",
            period=f"{r['visit_date']:%Y-%m}",
            institution_id=r["institution_id"],
            district=r["district"],
            person_id=r["person_id"],
            claims=[r["claim_id"]],
            amount=r["amount"] * (r["quantity"] - r["max_quantity"]) / r["quantity"],
            figures={"code": r["code"], "quantity": r["quantity"], "limit": r["max_quantity"]},
        )
        for r in rows.iter_rows(named=True)
    ]


def after_death(claims: pl.DataFrame) -> list[Finding]:
    """A settlement dated after the holder's death in the registry."""
    rows = claims.filter(pl.col("death_date").is_not_null() & (pl.col("visit_date") > pl.col("death_date")))
    return [
        Finding(
            rule="after_death",
            subject=r["claim_id"],
            period=f"{r['visit_date']:%Y-%m}",
            institution_id=r["institution_id"],
            district=r["district"],
            person_id=r["person_id"],
            claims=[r["claim_id"]],
            amount=r["claim_total"],
            figures={"death_date": r["death_date"].isoformat(), "visit": r["visit_date"].isoformat()},
        )
        for r in rows.iter_rows(named=True)
    ]


def two_places(claims: pl.DataFrame) -> list[Finding]:
    """One person's settlements on the same day at institutions of two pooling regions (cities)."""
    rows = (
        claims.group_by("person_id", "visit_date")
        .agg(
            pl.col("region").n_unique().alias("regions"),
            pl.col("claim_id"),
            pl.col("institution_id"),
            pl.col("district"),
            pl.col("claim_total"),
            pl.col("region").alias("region_list"),
        )
        .filter(pl.col("regions") > 1)
    )
    findings = []
    for r in rows.iter_rows(named=True):
        order = sorted(range(len(r["claim_id"])), key=lambda i: r["claim_id"][i])
        last = order[-1]
        findings.append(
            Finding(
                rule="two_places",
                subject=f"{r['person_id']}|{r['visit_date']}",
                period=f"{r['visit_date']:%Y-%m}",
                institution_id=r["institution_id"][last],
                district=r["district"][last],
                person_id=r["person_id"],
                claims=[r["claim_id"][i] for i in order],
                amount=min(r["claim_total"]),
                figures={"visit": r["visit_date"].isoformat(), "regions": sorted(set(r["region_list"]))},
            )
        )
    return findings


def billing_jump(claims: pl.DataFrame, t: Thresholds, since: dt.date | None = None) -> list[Finding]:
    """An institution's fund payments in a month above ``billing_jump_ratio`` times its average of
    the three months before (months without claims count as nothing), and at least
    ``billing_jump_min_increase`` more. With the window's first day ``since``, only whole months
    of the window count, and a month is judged only with its three months before inside it."""
    frame = claims.with_columns(pl.col("visit_date").dt.truncate("1mo").alias("month"))
    judged_from = None
    if since is not None:
        first = since if since.day == 1 else (since.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        frame = frame.filter(pl.col("month") >= first)
        judged_from = (first.replace(day=1) + dt.timedelta(days=31 * 3)).replace(day=1)
    monthly = frame.group_by("institution_id", "month").agg(
        pl.col("claim_fund").sum().alias("fund"), pl.col("district").first()
    )
    before = [
        monthly.select(
            "institution_id",
            pl.col("month").dt.offset_by(f"{k}mo").alias("month"),
            pl.col("fund").alias(f"fund_{k}"),
        )
        for k in (1, 2, 3)
    ]
    joined = monthly
    for k, frame in zip((1, 2, 3), before, strict=True):
        joined = joined.join(frame, on=("institution_id", "month"), how="left").with_columns(
            pl.col(f"fund_{k}").fill_null(0.0)
        )
    if judged_from is not None:
        joined = joined.filter(pl.col("month") >= judged_from)
    rows = (
        joined.with_columns(((pl.col("fund_1") + pl.col("fund_2") + pl.col("fund_3")) / 3).alias("average"))
        .filter(pl.col("average") > 0)
        .filter(
            (pl.col("fund") > t.billing_jump_ratio * pl.col("average"))
            & (pl.col("fund") - pl.col("average") >= t.billing_jump_min_increase)
        )
    )
    return [
        Finding(
            rule="billing_jump",
            subject=r["institution_id"],
            period=f"{r['month']:%Y-%m}",
            institution_id=r["institution_id"],
            district=r["district"],
            person_id=None,
            claims=[],
            amount=r["fund"] - r["average"],
            figures={
                "fund": round(r["fund"], 2),
                "average_of_three_months_before": round(r["average"], 2),
                "ratio": round(r["fund"] / r["average"], 2),
                "limit_ratio": t.billing_jump_ratio,
            },
        )
        for r in rows.iter_rows(named=True)
    ]


def evaluate(
    lines: pl.DataFrame,
    items: pl.DataFrame,
    drugs: set[str],
    t: Thresholds,
    *,
    on: dt.date,
    since: dt.date | None = None,
) -> tuple[list[Finding], dict[str, Any]]:
    """Every rule and the screen over the window ``since``..``on``; (findings, what the screen did)."""
    lines = _with_line_fund(lines)
    claims = _claims(lines)
    findings = [
        *early_refill(lines, items, drugs, t),
        *sex_age(lines, items),
        *duplicate_billing(lines),
        *readmission(claims, t),
        *quantity_limit(lines, items),
        *after_death(claims),
        *two_places(claims),
        *billing_jump(claims, t, since),
    ]
    from hrss.medical import outliers  # the unsupervised screen (scikit-learn, imported when run)

    period = f"{on:%Y-%m}"
    screened, info = outliers.outlier_institutions(outliers.institution_features(lines, drugs), t, period)
    doctors, info["doctors"] = outliers.outlier_doctors(
        outliers.doctor_features(lines, drugs, t.doctor_min_claims), t, period
    )
    persons, info["persons"] = outliers.outlier_persons(outliers.person_features(lines, drugs), t, period)
    return findings + screened + doctors + persons, info
