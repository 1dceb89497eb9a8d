"""The unemployment early warning's rules (E5), pure: no ORM.

The rule list is data (``RULES``: each rule's code, subject, name, basis and the policy
parameters it reads); the thresholds are dated policy parameters of codes
(``analytics.warning.*``, read by ``warning_policy.thresholds``). Evaluation is set-based:
the caller hands in the ledger's per (employer, month) rows and the registrations' per
(district, month) counts, and gets back every finding with the figures that made it fire.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hrss.core.months import month_start, share_drop

EMPLOYER = "employer"
DISTRICT = "district"

HEADCOUNT_DROP_MONTH = "headcount_drop_month"
HEADCOUNT_DROP_QUARTER = "headcount_drop_quarter"
CONTRIBUTIONS_MISSED = "contributions_missed"
BASE_DROP = "base_drop"
DISTRICT_REGISTRATIONS = "district_registrations"


@dataclass(frozen=True)
class WarningRule:
    code: str
    subject: str  # EMPLOYER or DISTRICT
    name: Any  # lazy translation
    basis: Any  # lazy translation: what it compares
    parameters: tuple[str, ...]  # the analytics.warning.* parameters it reads


RULES: dict[str, WarningRule] = {
    rule.code: rule
    for rule in (
        WarningRule(
            HEADCOUNT_DROP_MONTH,
            EMPLOYER,
            _("Insured headcount fell within a month"),
            _("The employer's insured headcount this month against last month's."),
            ("headcount_drop_month", "min_headcount"),
        ),
        WarningRule(
            HEADCOUNT_DROP_QUARTER,
            EMPLOYER,
            _("Insured headcount fell over three months"),
            _("The employer's insured headcount this month against three months before."),
            ("headcount_drop_quarter", "min_headcount"),
        ),
        WarningRule(
            CONTRIBUTIONS_MISSED,
            EMPLOYER,
            _("Contributions missed"),
            _("Months in a row, up to this one, with contributions due and not paid in full."),
            ("missed_months",),
        ),
        WarningRule(
            BASE_DROP,
            EMPLOYER,
            _("Average contribution base fell"),
            _("The employer's average contribution base this month against last month's."),
            ("base_drop", "min_headcount"),
        ),
        WarningRule(
            DISTRICT_REGISTRATIONS,
            DISTRICT,
            _("New unemployment registrations above the district's band"),
            _(
                "The district's new unemployment registrations this month against the mean and spread of the months before."
            ),
            ("registrations_band_months", "registrations_band_k", "registrations_min"),
        ),
    )
}


@dataclass(frozen=True)
class Thresholds:
    headcount_drop_month: Decimal
    headcount_drop_quarter: Decimal
    missed_months: int
    base_drop: Decimal
    min_headcount: int
    registrations_band_months: int
    registrations_band_k: Decimal
    registrations_min: int


@dataclass(frozen=True)
class Finding:
    rule: str
    subject: str
    key: Any  # the employer's id or the district's code
    figures: dict[str, Any]


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _ratio(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.001")))


def months_needed(thresholds: Thresholds) -> int:
    """How many months of the ledger, up to the month evaluated, the employer rules read."""
    return max(4, thresholds.missed_months)


def employer_findings(
    ledger: Mapping[Any, Mapping[dt.date, Mapping[str, int]]], *, period: dt.date, thresholds: Thresholds
) -> list[Finding]:
    """The findings of the employer rules for ``period`` (a first day of a month), given per
    employer its ledger rows by month (``heads``, ``base`` in fen, ``due`` and ``paid`` in
    fen; a month without a row is a month with nobody insured and nothing due)."""
    last, previous, quarter = period, month_start(period, 1), month_start(period, 3)
    findings: list[Finding] = []
    empty: Mapping[str, int] = {}
    for employer, months in ledger.items():
        now, before, earlier = months.get(last, empty), months.get(previous, empty), months.get(quarter, empty)
        heads_now, heads_before, heads_earlier = now.get("heads", 0), before.get("heads", 0), earlier.get("heads", 0)
        drop = share_drop(heads_before, heads_now)
        if heads_before >= thresholds.min_headcount and drop >= thresholds.headcount_drop_month:
            findings.append(
                Finding(
                    HEADCOUNT_DROP_MONTH,
                    EMPLOYER,
                    employer,
                    {
                        "from": _month(previous),
                        "heads_before": heads_before,
                        "heads_now": heads_now,
                        "drop": _ratio(drop),
                        "threshold": _ratio(thresholds.headcount_drop_month),
                    },
                )
            )
        drop = share_drop(heads_earlier, heads_now)
        if heads_earlier >= thresholds.min_headcount and drop >= thresholds.headcount_drop_quarter:
            findings.append(
                Finding(
                    HEADCOUNT_DROP_QUARTER,
                    EMPLOYER,
                    employer,
                    {
                        "from": _month(quarter),
                        "heads_before": heads_earlier,
                        "heads_now": heads_now,
                        "drop": _ratio(drop),
                        "threshold": _ratio(thresholds.headcount_drop_quarter),
                    },
                )
            )
        missed = []
        for back in range(thresholds.missed_months):
            row = months.get(month_start(period, back), empty)
            if row.get("due", 0) > 0 and row.get("paid", 0) < row["due"]:
                missed.append(
                    {"month": _month(month_start(period, back)), "due": row["due"], "paid": row.get("paid", 0)}
                )
        if thresholds.missed_months > 0 and len(missed) == thresholds.missed_months:
            findings.append(
                Finding(
                    CONTRIBUTIONS_MISSED,
                    EMPLOYER,
                    employer,
                    {"months": sorted(missed, key=lambda m: m["month"]), "threshold": thresholds.missed_months},
                )
            )
        base_before, base_now = before.get("base", 0), now.get("base", 0)
        drop = share_drop(base_before, base_now)
        if heads_before >= thresholds.min_headcount and heads_now > 0 and drop >= thresholds.base_drop:
            findings.append(
                Finding(
                    BASE_DROP,
                    EMPLOYER,
                    employer,
                    {
                        "from": _month(previous),
                        "base_before": base_before,
                        "base_now": base_now,
                        "drop": _ratio(drop),
                        "threshold": _ratio(thresholds.base_drop),
                    },
                )
            )
    return findings


def district_findings(
    counts: Mapping[tuple[str, dt.date], int], *, period: dt.date, thresholds: Thresholds
) -> list[Finding]:
    """The findings of the district rule for ``period``: a district whose new unemployment
    registrations this month are above the upper edge of its band — the mean plus k
    population standard deviations of the ``registrations_band_months`` months before (a
    month without registrations counts 0) — and at least ``registrations_min``."""
    window = [month_start(period, back) for back in range(1, thresholds.registrations_band_months + 1)]
    findings: list[Finding] = []
    for district in sorted({district for district, _month_ in counts}):
        now = counts.get((district, period), 0)
        if now < thresholds.registrations_min or not window:
            continue
        history = [Decimal(counts.get((district, month), 0)) for month in window]
        mean = statistics.mean(history)
        spread = statistics.pstdev(history)
        upper = mean + thresholds.registrations_band_k * spread
        if Decimal(now) > upper:
            findings.append(
                Finding(
                    DISTRICT_REGISTRATIONS,
                    DISTRICT,
                    district,
                    {
                        "registrations": now,
                        "from": _month(window[-1]),
                        "to": _month(window[0]),
                        "months": len(window),
                        "mean": str(mean.quantize(Decimal("0.1"))),
                        "stdev": str(spread.quantize(Decimal("0.1"))),
                        "k": f"{thresholds.registrations_band_k.normalize():f}",
                        "upper": str(upper.quantize(Decimal("0.1"))),
                    },
                )
            )
    return findings


def _percent(ratio: Any) -> str:
    return f"{Decimal(str(ratio)) * 100:.1f}%"


def _yuan(fen: Any) -> str:
    return f"{Decimal(int(fen)) / 100:,.2f}"


def explain(rule: str, figures: Mapping[str, Any]) -> str:
    """The warning's figures in a sentence for staff (in the active language); empty when
    the figures are not the rule's (never an error on a page)."""
    try:
        return _explain(rule, dict(figures))
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return ""


def _explain(rule: str, f: dict[str, Any]) -> str:
    if rule in (HEADCOUNT_DROP_MONTH, HEADCOUNT_DROP_QUARTER):
        return gettext(
            "Insured persons fell from %(before)s in %(from)s to %(now)s, down %(drop)s (threshold %(threshold)s)."
        ) % {
            "before": f["heads_before"],
            "from": f["from"],
            "now": f["heads_now"],
            "drop": _percent(f["drop"]),
            "threshold": _percent(f["threshold"]),
        }
    if rule == CONTRIBUTIONS_MISSED:
        months = "; ".join(
            gettext("%(month)s: %(paid)s of %(due)s yuan paid")
            % {"month": m["month"], "paid": _yuan(m["paid"]), "due": _yuan(m["due"])}
            for m in f["months"]
        )
        return gettext("Contributions not paid in full for %(count)s months in a row (%(months)s).") % {
            "count": len(f["months"]),
            "months": months,
        }
    if rule == BASE_DROP:
        return gettext(
            "The average contribution base fell from %(before)s yuan in %(from)s to %(now)s yuan, "
            "down %(drop)s (threshold %(threshold)s)."
        ) % {
            "before": _yuan(f["base_before"]),
            "from": f["from"],
            "now": _yuan(f["base_now"]),
            "drop": _percent(f["drop"]),
            "threshold": _percent(f["threshold"]),
        }
    if rule == DISTRICT_REGISTRATIONS:
        return gettext(
            "%(count)s new unemployment registrations, above the band's upper edge %(upper)s "
            "(mean %(mean)s + %(k)s × standard deviation %(stdev)s of %(from)s to %(to)s)."
        ) % {
            "count": f["registrations"],
            "upper": f["upper"],
            "mean": f["mean"],
            "k": f["k"],
            "stdev": f["stdev"],
            "from": f["from"],
            "to": f["to"],
        }
    return ""
