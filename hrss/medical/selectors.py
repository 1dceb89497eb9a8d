"""Reads of the medical app, each given the caller's Scope.

Public: the catalogue and the designated institutions (reference data). Citizens: their own
insurance and visits (就医一卡通). Institutions: their own settlements, audited (personal data
read by an agency). Fund supervisors and reviewers: the smart monitoring's runs and the cases
of their districts, a case's evidence audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.logging import mask_id_number, mask_name
from hrss.core.scope import Scope
from hrss.medical import access, policy, reference
from hrss.medical.models import (
    CatalogueItem,
    Claim,
    ClaimLine,
    Institution,
    Insured,
    MonitoringFlag,
    MonitoringRun,
    Pooling,
)
from hrss.medical.services import monitoring as monitoring_services
from hrss.medical.services.claims import institution_of
from hrss.registry.models import Person


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


def insurance_mine(*, scope: Scope, on: dt.date | None = None) -> dict[str, Any] | None:
    """The citizen's medical insurance and this year's running totals per pooling (None: not insured)."""
    insured = Insured.objects.select_related("category").filter(person_id=_citizen(scope)).first()
    if insured is None:
        return None
    year = (on or timezone.localdate()).year
    totals = {p: policy.year_totals(person_id=insured.person_id, pooling=p, year=year) for p in Pooling.values}
    return {
        "category": insured.category.name,
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
