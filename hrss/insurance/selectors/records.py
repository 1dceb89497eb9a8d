"""Reads of enrolments, benefits, runs and recovery cases, scoped by the caller."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import QuerySet

from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.insurance import access
from hrss.insurance.models import AssessmentRun, BenefitAward, BenefitPayment, Enrolment, RecoveryCase
from hrss.registry import selectors as registry_selectors


def person_enrolments(*, scope: Scope, person_id: uuid.UUID) -> list[Enrolment]:
    """Insured status per insurance over time (参保状态), oldest first."""
    person = access.person_for(scope, person_id)
    spells = Enrolment.objects.filter(person=person).order_by("insurance_type", "start_month")
    if scope.employer_id and not scope.is_staff and scope.person_id != person.pk:
        spells = spells.filter(employer_id=scope.employer_id)
    return list(spells)


def employer_enrolments(*, scope: Scope, employer_id: uuid.UUID, current_only: bool = True) -> QuerySet[Enrolment]:
    employer = access.employer_for(scope, employer_id)
    spells = Enrolment.objects.filter(employer=employer).select_related("person")
    if current_only:
        spells = spells.filter(end_month__isnull=True)
    return spells.order_by("person__name", "person_id", "insurance_type")


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


def assessment_runs(*, scope: Scope, limit: int = 24) -> list[AssessmentRun]:
    if not scope.is_staff:
        raise PermissionDenied()
    return list(AssessmentRun.objects.order_by("-period")[:limit])


def assessment_run(*, scope: Scope, period: dt.date) -> AssessmentRun:
    if not scope.is_staff:
        raise PermissionDenied()
    run = AssessmentRun.objects.filter(period=period).first()
    if run is None:
        raise NotFound()
    return run


def recovery_cases(*, scope: Scope, status: str = RecoveryCase.Status.OPEN, limit: int = 200) -> list[RecoveryCase]:
    """Overpayment cases of persons in the caller's districts, newest first."""
    access.require_caseworker(scope)
    visible = registry_selectors.person_queryset(scope=scope).values("pk")
    return list(
        RecoveryCase.objects.filter(status=status, person_id__in=visible)
        .select_related("person", "award")
        .order_by("-created_at")[:limit]
    )
