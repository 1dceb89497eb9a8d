"""Reads of benefits: a person's awards and payments, open overpayment cases."""

from __future__ import annotations

import uuid

from django.db.models import Q

from hrss.core.errors import PermissionDenied
from hrss.core.scope import Scope
from hrss.insurance import access
from hrss.insurance.models import BenefitAward, BenefitPayment, RecoveryCase
from hrss.registry import selectors as registry_selectors


def person_awards(*, scope: Scope, person_id: uuid.UUID) -> list[BenefitAward]:
    person = access.person_for(scope, person_id)
    if scope.employer_id and not scope.is_staff and scope.person_id != person.pk:
        raise PermissionDenied()
    return list(BenefitAward.objects.filter(person=person).order_by("-start_month"))


def person_benefit_payments(*, scope: Scope, person_id: uuid.UUID, limit: int = 120) -> list[BenefitPayment]:
    person = access.person_for(scope, person_id)
    if scope.employer_id and not scope.is_staff and scope.person_id != person.pk:
        raise PermissionDenied()
    return list(BenefitPayment.objects.filter(person=person).order_by("-period", "id")[:limit])


def recovery_cases(*, scope: Scope, status: str = RecoveryCase.Status.OPEN, limit: int = 200) -> list[RecoveryCase]:
    """Overpayment cases of persons in the caller's districts, and those of institutions in
    them (opened by the medical monitoring), newest first."""
    access.require_caseworker(scope)
    visible = registry_selectors.person_queryset(scope=scope).values("pk")
    institutions = Q(person__isnull=True)
    if scope.districts is not None:
        institutions &= Q(district__in=scope.districts)
    return list(
        RecoveryCase.objects.filter(Q(person_id__in=visible) | institutions, status=status)
        .select_related("person", "award")
        .order_by("-created_at")[:limit]
    )
