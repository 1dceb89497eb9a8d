"""Reads of the medical app, each given the caller's Scope.

Public: the catalogue and the designated institutions (reference data). Citizens: their own
insurance and visits (就医一卡通). Institutions: their own settlements, audited (personal data
read by an agency). Fund supervisors and reviewers: the smart monitoring's runs and the cases
of their districts, a case's evidence audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.logging import mask_id_number, mask_name
from hrss.core.scope import Scope
from hrss.medical import access, clearing, policy, reconcile, reference
from hrss.medical.models import (
    AccountCredit,
    BankPayment,
    CatalogueItem,
    ChronicDisease,
    Claim,
    ClaimLine,
    DiseaseRecognition,
    Institution,
    Insured,
    MonitoringFlag,
    MonitoringRun,
    Pooling,
    SettlementDifference,
    SettlementReconciliation,
)
from hrss.medical.services import clearing as clearing_services
from hrss.medical.services import monitoring as monitoring_services
from hrss.medical.services import reconciliation as reconciliation_services
from hrss.medical.services.claims import institution_of
from hrss.registry.models import Person
from hrss.registry.selectors import person_queryset


def catalogue(*, q: str = "", klass: str = "", limit: int, offset: int) -> list[CatalogueItem]:
    today = timezone.localdate()
    rows = CatalogueItem.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today), valid_from__lte=today)
    if q:
        rows = rows.filter(Q(code__iexact=q) | Q(name__icontains=q))
    if klass:
        rows = rows.filter(klass=klass)
    return list(rows.order_by("code", "region")[offset : offset + limit])


def institutions(*, limit: int, offset: int) -> list[Institution]:
    return list(Institution.objects.order_by("code")[offset : offset + limit])


def _claims(person_id: Any) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(person_id=person_id)
        .select_related("institution", "original")
        .prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.order_by("line_no")))
        .order_by("-visit_date", "-created_at")
    )


def _citizen(scope: Scope) -> Any:
    if scope.person_id is None:
        raise PermissionDenied(_("This account is not bound to a person."), code="not_bound")
    return scope.person_id


def claims_mine(*, scope: Scope, limit: int = 50, offset: int = 0) -> list[Claim]:
    """The signed-in citizen's settlements, reversals and refunds, newest first, with their lines."""
    return list(_claims(_citizen(scope))[offset : offset + limit])


def account_credits_mine(*, scope: Scope, limit: int = 50, offset: int = 0) -> list[AccountCredit]:
    """The credits to the signed-in citizen's personal account (个人账户划入), newest month first."""
    rows = AccountCredit.objects.filter(person_id=_citizen(scope)).order_by("-period", "-revision")
    return list(rows[offset : offset + limit])


def insurance_mine(*, scope: Scope, on: dt.date | None = None) -> dict[str, Any] | None:
    """The citizen's medical insurance and this year's running totals per pooling (None: not insured)."""
    insured = Insured.objects.select_related("category").filter(person_id=_citizen(scope)).first()
    if insured is None:
        return None
    year = (on or timezone.localdate()).year
    totals = {p: policy.year_totals(person_id=insured.person_id, pooling=p, year=year) for p in Pooling.values}
    return {
        "category": insured.category.name,
        "has_account": insured.category.has_account,
        "region": insured.region,
        "account_balance": insured.account_balance,
        "since": insured.since,
        "year": year,
        "inpatient_fund_paid": totals[Pooling.INPATIENT].fund_paid,
        "outpatient_fund_paid": totals[Pooling.OUTPATIENT].fund_paid,
        "outpatient_deductible_used": totals[Pooling.OUTPATIENT].deductible_used,
    }


def claim_for_institution(*, scope: Scope, transaction_id: str) -> Claim:
    """One of the calling institution's claims, by its transaction id; audited."""
    institution = institution_of(scope)
    claim = (
        Claim.objects.filter(institution=institution, transaction_id=transaction_id)
        .select_related("institution", "original")
        .prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.order_by("line_no")))
        .first()
    )
    if claim is None:
        raise NotFound(_("No settlement of this institution has that transaction id."))
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="medical.claim.read",
        object_type="medical_claim",
        object_id=str(claim.pk),
        purpose="medical settlement",
    )
    return claim


# --- the smart monitoring (S6): fund supervisors, reviewers and administrators of a district ----


def monitoring_runs(*, scope: Scope, limit: int = 20, offset: int = 0) -> list[MonitoringRun]:
    """The latest monitoring runs (figures only: no personal data)."""
    access.require_monitor(scope)
    return list(MonitoringRun.objects.order_by("-created_at")[offset : offset + limit])


def monitoring_flags(
    *, scope: Scope, status: str = "", rule: str = "", limit: int = 50, offset: int = 0
) -> list[MonitoringFlag]:
    """The cases of institutions in the caller's districts, open ones first, then the latest;
    what the queue shows is the rule, institution, period and amounts (no personal data)."""
    rows = access.flags_in_scope(scope).select_related("institution")
    if status:
        rows = rows.filter(status=status)
    if rule:
        rows = rows.filter(rule=rule)
    return list(rows.order_by("-amount", "-created_at", "pk")[offset : offset + limit])


def monitoring_flag(*, scope: Scope, flag_id: Any) -> dict[str, Any]:
    """One case with its evidence: the claims involved with their lines, the person (named in
    full only to roles that see personal data), the rule's basis, and the recovery's status.
    Audited: staff read a person's medical visits."""
    flag = access.flag_for(scope, flag_id)
    claims = list(
        Claim.objects.filter(pk__in=flag.evidence.get("claims") or [])
        .select_related("institution")
        .prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.order_by("line_no")))
        .order_by("visit_date", "created_at")
    )
    person = Person.objects.filter(pk=flag.person_id).first() if flag.person_id else None
    recovery_status = ""
    if flag.recovery_case is not None:
        module = monitoring_services.recovery.get()
        recovery_status = module.recovery_statuses([flag.recovery_case]).get(flag.recovery_case, "")
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="medical.monitor.flag.read",
        object_type="person" if flag.person_id else "medical_monitoring_flag",
        object_id=str(flag.person_id or flag.pk),
        purpose="medical fund supervision",
        detail={"flag": str(flag.pk), "rule": flag.rule},
    )
    rule = reference.monitoring_rules().get(flag.rule, {})
    return {
        "flag": flag,
        "rule_name": rule.get("name", flag.rule),
        "basis": rule.get("basis", ""),
        "claims": claims,
        "person_name": (person.name if scope.sees_personal_data else mask_name(person.name)) if person else "",
        "person_id_number": (
            (person.id_number if scope.sees_personal_data else mask_id_number(person.id_number)) if person else ""
        ),
        "recovery_status": recovery_status,
    }


# --- reconciliation (S4) and business against finance (S7) ---------------------------------------


def settlement_file(*, scope: Scope, day: dt.date) -> tuple[bytes, str]:
    """The calling institution's settlement file of a day (CSV with the header and the totals
    line) and its SHA-256; audited (the institution reads its settlements of insured persons)."""
    institution = institution_of(scope)
    if day > timezone.localdate():
        raise InvalidInput(fields={"date": _("not in the future")})
    data = reconcile.settlement_file(reconciliation_services.day_lines(institution, day))
    digest = hashlib.sha256(data).hexdigest()
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="medical.settlement_file.read",
        object_type="medical_institution",
        object_id=str(institution.pk),
        purpose="medical settlement",
        detail={"day": day.isoformat(), "sha256": digest},
    )
    return data, digest


def _reconciliations_in_scope(scope: Scope) -> QuerySet[SettlementReconciliation]:
    access.require_monitor(scope)
    rows = SettlementReconciliation.objects.select_related("institution")
    if scope.districts is not None:
        rows = rows.filter(institution__district__in=scope.districts)
    return rows


def reconciliations(
    *, scope: Scope, with_differences: bool = False, limit: int = 50, offset: int = 0
) -> list[SettlementReconciliation]:
    """The institutions' reconciled days in the caller's districts, newest day first, each with
    its number of differences (no personal data: transaction ids and amounts)."""
    rows = _reconciliations_in_scope(scope).annotate(difference_count=Count("differences"))
    if with_differences:
        rows = rows.filter(difference_count__gt=0)
    return list(rows.order_by("-day", "institution__code")[offset : offset + limit])


def reconciliation(*, scope: Scope, reconciliation_id: Any) -> SettlementReconciliation:
    """A reconciliation with its differences; out of scope is the same 404 as none."""
    record = (
        _reconciliations_in_scope(scope)
        .prefetch_related(Prefetch("differences", queryset=SettlementDifference.objects.order_by("kind", "pk")))
        .filter(pk=reconciliation_id)
        .first()
    )
    if record is None:
        raise NotFound(_("No such reconciliation within your scope."))
    return record


def reconciliation_for_institution(*, scope: Scope, day: dt.date) -> SettlementReconciliation:
    """The calling institution's reconciliation of a day."""
    institution = institution_of(scope)
    record = (
        SettlementReconciliation.objects.select_related("institution")
        .prefetch_related(Prefetch("differences", queryset=SettlementDifference.objects.order_by("kind", "pk")))
        .filter(institution=institution, day=day)
        .first()
    )
    if record is None:
        raise NotFound(_("This day is not reconciled yet."))
    return record


@dataclass(frozen=True)
class FinanceLine:
    """What the fund owed one institution for a month (the fund share of its settlements,
    reversals and refunds) against what the bank paid it for that month; ``days`` are the days
    that differ when the institution is paid day by day (日结)."""

    institution: Institution
    month: str
    owed: Decimal
    paid: Decimal
    paid_daily: bool
    days: list[reconcile.FinanceRow]

    @property
    def difference(self) -> Decimal:
        return self.owed - self.paid


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """``YYYY-MM`` → its first day and the first day of the next month; InvalidInput otherwise."""
    try:
        first = dt.date.fromisoformat(month + "-01")
    except ValueError:
        raise InvalidInput(fields={"month": _("a month as YYYY-MM")}) from None
    return first, (first + dt.timedelta(days=32)).replace(day=1)


def finance(*, scope: Scope, month: str, differences_only: bool = False) -> list[FinanceLine]:
    """Business against finance (业财对账) for a month, per institution of the caller's
    districts: three queries whatever the number of settlements."""
    access.require_finance(scope)
    first, after = month_bounds(month)
    start, end = reconciliation_services.day_bounds(first)[0], reconciliation_services.day_bounds(after)[0]
    claims = Claim.objects.filter(created_at__gte=start, created_at__lt=end)
    payments = BankPayment.objects.filter(period__startswith=month)
    institutions = Institution.objects.all()
    if scope.districts is not None:
        claims = claims.filter(institution__district__in=scope.districts)
        payments = payments.filter(institution__district__in=scope.districts)
        institutions = institutions.filter(district__in=scope.districts)
    owed_days = {
        (row["institution_id"], row["day"].isoformat()): row["fund"]
        for row in claims.annotate(day=TruncDate("created_at"))
        .values("institution_id", "day")
        .annotate(fund=Sum("fund"))
        .order_by()
    }
    paid_periods = {
        (row["institution_id"], row["period"]): row["paid"]
        for row in payments.values("institution_id", "period").annotate(paid=Sum("amount")).order_by()
    }
    owed_month: dict[Any, Decimal] = {}
    for (institution_id, _day), fund in owed_days.items():
        owed_month[institution_id] = owed_month.get(institution_id, reconcile.ZERO) + fund
    paid_month: dict[Any, Decimal] = {}
    for (institution_id, _period), paid in paid_periods.items():
        paid_month[institution_id] = paid_month.get(institution_id, reconcile.ZERO) + paid
    daily_paid = {institution_id for institution_id, period in paid_periods if len(period) == 10}
    wanted = owed_month.keys() | paid_month.keys()
    lines: list[FinanceLine] = []
    for institution in institutions.filter(pk__in=wanted).order_by("code"):
        days: list[reconcile.FinanceRow] = []
        if institution.pk in daily_paid:
            days = [
                row
                for row in reconcile.finance_compare(
                    {key: value for key, value in owed_days.items() if key[0] == institution.pk},
                    {
                        key: value
                        for key, value in paid_periods.items()
                        if key[0] == institution.pk and len(key[1]) == 10
                    },
                )
                if row.difference
            ]
        line = FinanceLine(
            institution=institution,
            month=month,
            owed=reconcile.money(owed_month.get(institution.pk, reconcile.ZERO)),
            paid=reconcile.money(paid_month.get(institution.pk, reconcile.ZERO)),
            paid_daily=institution.pk in daily_paid,
            days=days,
        )
        if not differences_only or line.difference or line.days:
            lines.append(line)
    return lines


def clearing_statements(*, scope: Scope, month: str) -> list[clearing.Statement]:
    """The month's cross-region clearing statements, one per other region (figures only)."""
    access.require_finance(scope)
    return clearing_services.clearing_statements_build(month)


# --- chronic and special disease recognitions (门特认定) -------------------------------------------


def chronic_diseases(*, on: dt.date | None = None) -> list[ChronicDisease]:
    """The chronic and special diseases of the list in force on ``on`` (today by default)."""
    return list(ChronicDisease.objects.filter(policy.in_force(on or timezone.localdate())))


def disease_recognitions(*, scope: Scope, limit: int = 50, offset: int = 0) -> list[DiseaseRecognition]:
    """The recognitions of persons in the caller's districts, latest recorded first, each with
    the person named in full only to roles that see personal data (``person_name`` and
    ``person_id_number`` set on each row). Audited: staff read whose disease is recognised."""
    access.require_recognise(scope)
    rows = list(
        DiseaseRecognition.objects.filter(person__in=person_queryset(scope=scope))
        .select_related("person", "disease")
        .order_by("-created_at", "pk")[offset : offset + limit]
    )
    full = scope.sees_personal_data
    for row in rows:
        person = row.person
        row.person_name = person.name if full else mask_name(person.name)  # type: ignore[attr-defined]
        row.person_id_number = person.id_number if full else mask_id_number(person.id_number)  # type: ignore[attr-defined]
    if rows:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="medical.disease_recognitions.read",
            object_type="person",
            object_id=str(rows[0].person_id) if len(rows) == 1 else "",
            purpose="medical settlement",
            detail={"ids": sorted({str(row.person_id) for row in rows})} if len(rows) > 1 else {},
        )
    return rows
