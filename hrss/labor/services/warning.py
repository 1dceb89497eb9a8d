"""The wage-arrears early warning (欠薪预警, L3): a risk score per employer, explained.

Set-based: one grouped query over the contribution ledger (what was due per employer and
month, the insured headcount and the average base), one over the payments received, and
one each over complaints and arbitration cases, and the construction projects' wage flags
(roster workers unpaid in a month, wage accounts that received nothing); then a weighted sum of rules read from
``data/wage_warning.json`` (each rule: its feature, weight and threshold). Every score comes
with the rules that drove it, and a score at or above the data's ``open_lead_at`` opens the
employer's inspection lead (joined, not duplicated, when complaints opened it already).

The score reads only the ledger, payments, complaints and cases: never a label of which
employer is in distress (the synthetic city keeps that in its report, the tests in the test).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hrss.core.audit import audit_record
from hrss.core.declarations import DeclaredModule
from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.core.months import month_start, share_drop
from hrss.core.scope import Scope
from hrss.labor.models import ArbitrationCase, Complaint
from hrss.labor.services.complaints import is_rights_staff, lead_join
from hrss.registry.models import Employer

DATA = Path(__file__).resolve().parent.parent / "data" / "wage_warning.json"


@dataclass(frozen=True)
class Rule:
    feature: str
    weight: Decimal
    threshold: Decimal
    note: str


@dataclass(frozen=True)
class Model:
    valid_from: dt.date
    source: str
    window_months: int
    open_lead_at: Decimal
    rules: tuple[Rule, ...]


@cache
def model() -> Model:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return Model(
        valid_from=dt.date.fromisoformat(raw["valid_from"]),
        source=raw["source"],
        window_months=int(raw["window_months"]),
        open_lead_at=Decimal(str(raw["open_lead_at"])),
        rules=tuple(
            Rule(r["feature"], Decimal(str(r["weight"])), Decimal(str(r["threshold"])), r["note"]) for r in raw["rules"]
        ),
    )


@dataclass
class EmployerRisk:
    employer_id: Any
    features: dict[str, Decimal]
    score: Decimal = Decimal(0)
    reasons: list[dict[str, Any]] = field(default_factory=list)
    credit_code: str = ""
    name: str = ""
    district_id: str | None = None


def score_features(features: dict[str, Decimal], rules: tuple[Rule, ...]) -> tuple[Decimal, list[dict[str, Any]]]:
    """The score (0–100 when the weights add up to 100) and the rules that gave points,
    most points first. Pure."""
    reasons = []
    total = Decimal(0)
    for rule in rules:
        value = features.get(rule.feature, Decimal(0))
        if value <= 0 or rule.threshold <= 0:
            continue
        points = (rule.weight * min(value / rule.threshold, Decimal(1))).quantize(Decimal("0.1"))
        total += points
        reasons.append(
            {
                "feature": rule.feature,
                "value": value.quantize(Decimal("0.001")),
                "threshold": rule.threshold,
                "weight": rule.weight,
                "points": points,
            }
        )
    reasons.sort(key=lambda r: (-Decimal(str(r["points"])), str(r["feature"])))
    return total, reasons


# The contribution ledger's facts module (``InsuranceConfig.ledger_facts``), found once in
# the app's ready() (every process): the layers keep this app from importing insurance.
ledger = DeclaredModule(
    "ledger_facts", missing=_("The contribution ledger is not available."), code="ledger_unavailable"
)


def _ledger() -> ModuleType:
    return ledger.get()


def latest_period() -> dt.date | None:
    return _ledger().employer_latest_period()


def _employers_in(scope: Scope) -> Q:
    if scope.city_wide:
        return Q()
    return Q(employer__district_id__in=list(scope.districts or ()))


def compute(*, scope: Scope, period: dt.date) -> list[EmployerRisk]:
    """Every employer in the caller's districts with contributions in the window ending at
    ``period`` (a month), scored and ranked, highest first. Five grouped queries, and two
    more over construction projects when there are any."""
    if not is_rights_staff(scope):
        raise PermissionDenied()
    rules = model()
    last = month_start(period)
    first = month_start(last, rules.window_months - 1)
    window_end = month_start(last, -1) - dt.timedelta(days=1)
    in_scope = _employers_in(scope)

    ledger = _ledger().employer_months(
        first=first, last=last, districts=None if scope.city_wide else list(scope.districts or ())
    )
    months: dict[Any, dict[dt.date, dict[str, int]]] = defaultdict(dict)
    for (employer_id, month), row in ledger.items():
        months[employer_id][month] = row
    complaints = _counts(Complaint.objects.filter(in_scope, received_on__gte=first, received_on__lte=window_end))
    cases = _counts(ArbitrationCase.objects.filter(in_scope, received_on__gte=first, received_on__lte=window_end))
    # construction projects' wage flags, per general contractor (two queries; none without projects)
    from hrss.labor.project_selectors import contractor_flag_counts

    project_flags = contractor_flag_counts(
        first=first, last=last, districts=None if scope.city_wide else list(scope.districts or ())
    )

    risks = []
    for employer_id, by_month in months.items():
        due_total = paid_total = 0
        unpaid = 0
        for row in by_month.values():
            due, got = row["due"], row["paid"]
            due_total += due
            paid_total += min(got, due)
            if due > 0 and got < due:
                unpaid += 1
        ordered = sorted(by_month)
        start, end = by_month[ordered[0]], by_month[ordered[-1]]
        # an employer whose last month is before the window's end stopped declaring: all gone
        end_heads = end["heads"] if ordered[-1] == last else 0
        features = {
            "unpaid_months": Decimal(unpaid),
            "arrears_ratio": Decimal(due_total - paid_total) / Decimal(due_total) if due_total else Decimal(0),
            "headcount_drop": share_drop(start["heads"], end_heads),
            "base_drop": share_drop(start["base"], end["base"]),
            "complaints": Decimal(complaints.get(employer_id, 0)),
            "arbitration_cases": Decimal(cases.get(employer_id, 0)),
            "project_wage_flags": Decimal(project_flags.get(employer_id, 0)),
        }
        risk = EmployerRisk(employer_id=employer_id, features=features)
        risk.score, risk.reasons = score_features(features, rules.rules)
        risks.append(risk)
    risks.sort(key=lambda r: (-r.score, str(r.employer_id)))
    return risks


def _counts(queryset: QuerySet[Any]) -> dict[Any, int]:
    return {row["employer_id"]: row["n"] for row in queryset.values("employer_id").annotate(n=Count("id"))}


def parse_period(text: str | None) -> dt.date:
    """``YYYY-MM`` (or empty: the ledger's latest month)."""
    if not text:
        latest = latest_period()
        if latest is None:
            raise Conflict(_("No contributions have been assessed yet."), code="labor_warning_no_ledger")
        return latest
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise InvalidInput(_("Enter the month as YYYY-MM."), fields={"period": text}) from None


def ranking(*, scope: Scope, period: dt.date, limit: int = 50) -> list[EmployerRisk]:
    """The top ``limit`` employers by risk, with their names (one more query), audited."""
    top = compute(scope=scope, period=period)[:limit]
    employers = Employer.objects.in_bulk([r.employer_id for r in top])
    for risk in top:
        employer = employers[risk.employer_id]
        risk.credit_code, risk.name, risk.district_id = employer.credit_code, employer.name, employer.district_id
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="labor.warning.list",
        object_type="registry.Employer",
        object_id="",
        purpose="labour_inspection",
        detail={"period": period.isoformat(), "employers": [r.credit_code for r in top]},
    )
    return top


@transaction.atomic
def open_leads(*, scope: Scope, period: dt.date, on: dt.date) -> list[EmployerRisk]:
    """Open (or join) the inspection lead of every employer scoring at or above the model's
    ``open_lead_at`` for ``period``; idempotent per employer and period."""
    rules = model()
    flagged = [r for r in compute(scope=scope, period=period) if r.score >= rules.open_lead_at]
    employers = Employer.objects.in_bulk([r.employer_id for r in flagged])
    stamp = f"{period:%Y-%m}"
    for risk in flagged:
        employer = employers[risk.employer_id]
        risk.credit_code, risk.name, risk.district_id = employer.credit_code, employer.name, employer.district_id
        lead = employer.inspection_leads.filter(status="open").first()  # type: ignore[attr-defined]
        if lead and any(r.get("source") == "warning" and r.get("period") == stamp for r in lead.reasons):
            continue
        lead_join(
            employer,
            on=on,
            reason={
                "source": "warning",
                "on": on.isoformat(),
                "period": stamp,
                "score": str(risk.score),
                "rules": [r["feature"] for r in risk.reasons],
            },
        )
    return flagged
