"""Reads of employment services, each scoped to its caller.

A seeker reads their own registration, profile and matches; an employer's agent reads its
employer's vacancies; an open, unexpired vacancy may be read by anyone signed in (it is a
public notice), a closed or expired one only by its employer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment import rules
from hrss.employment.models import JobSeekerProfile, UnemploymentRegistration, Vacancy

# How many open vacancies of the seeker's groups and districts are ranked (newest first).
CANDIDATES = 2000


def _person(scope: Scope) -> uuid.UUID:
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    return scope.person_id


def registration_mine(*, scope: Scope) -> UnemploymentRegistration | None:
    return UnemploymentRegistration.objects.filter(person_id=_person(scope)).order_by("-created_at").first()


def profile_mine(*, scope: Scope) -> JobSeekerProfile | None:
    return JobSeekerProfile.objects.filter(person_id=_person(scope)).select_related("education").first()


def _vacancies() -> QuerySet[Vacancy]:
    return Vacancy.objects.select_related("employer", "occupation", "district", "education")


def vacancies_of_employer(*, scope: Scope, limit: int, offset: int = 0) -> list[Vacancy]:
    if scope.employer_id is None:
        raise PermissionDenied(code="not_employer")
    return list(
        _vacancies().filter(employer_id=scope.employer_id).order_by("-created_at", "id")[offset : offset + limit]
    )


def vacancy_get(*, scope: Scope, vacancy_id: uuid.UUID) -> Vacancy:
    today = timezone.localdate()
    visible = Q(status=Vacancy.Status.OPEN, valid_until__gte=today)
    if scope.employer_id is not None:
        visible |= Q(employer_id=scope.employer_id)
    vacancy = _vacancies().filter(visible, pk=vacancy_id).first()
    if vacancy is None:
        raise NotFound()
    return vacancy


def seeker_of(profile: JobSeekerProfile) -> rules.Seeker:
    return rules.Seeker(
        occupations=frozenset(profile.occupations),
        districts=frozenset(profile.districts),
        wage_min=profile.wage_min,
        education=profile.education_id,
        skills=frozenset(profile.skills),
    )


@dataclass(frozen=True)
class Ranked:
    vacancy: Vacancy
    match: rules.Match


def matches_mine(*, scope: Scope, limit: int) -> list[Ranked]:
    """Open vacancies ranked for the signed-in seeker (rules.match says why each one)."""
    profile = profile_mine(scope=scope)
    if profile is None:
        return []
    seeker = seeker_of(profile)
    groups = {rules.occupation_group(code) for code in seeker.occupations}
    wanted = Q(district_id__in=seeker.districts)
    for group in groups:
        wanted |= Q(occupation__code__startswith=f"{group}-")
    if not seeker.districts and not groups:
        return []
    candidates = list(
        Vacancy.objects.filter(wanted, status=Vacancy.Status.OPEN, valid_until__gte=timezone.localdate())
        .order_by("-created_at")
        .values("id", "occupation_id", "district_id", "wage_min", "wage_max", "education_id", "skills")[:CANDIDATES]
    )
    offers = [
        rules.Offer(
            key=str(row["id"]),
            occupation=row["occupation_id"],
            district=row["district_id"],
            wage_min=row["wage_min"],
            wage_max=row["wage_max"],
            education=row["education_id"],
            skills=frozenset(row["skills"]),
        )
        for row in candidates
    ]
    ranked = rules.rank(seeker, offers, limit=limit)
    vacancies = _vacancies().in_bulk([uuid.UUID(m.key) for m in ranked])
    return [Ranked(vacancies[uuid.UUID(m.key)], m) for m in ranked]
