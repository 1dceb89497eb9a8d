"""Reads of employment services, each scoped to its caller.

A seeker reads their own registration, profile, matches and applications; an employer's
agent reads its employer's vacancies and their applicants (an audited read of personal
data: the applicant's profile only when they let employers see it); an open, unexpired
vacancy may be read by anyone signed in (it is a public notice), a closed or expired one
only by its employer.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hrss.codes.selectors import parameter_value
from hrss.core.audit import audit_record
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment import rules, search
from hrss.employment.agencies import agency_check, licence_staff
from hrss.employment.models import (
    AgencyLicence,
    JobApplication,
    JobSeekerProfile,
    PolicyPayment,
    PolicyRun,
    StartupLoan,
    UnemploymentRegistration,
    Vacancy,
)
from hrss.employment.policies import APPROVERS, RUNNERS

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
        _vacancies()
        .filter(employer_id=scope.employer_id)
        .annotate(applicant_count=Count("applications"))
        .order_by("-created_at", "id")[offset : offset + limit]
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


def nearby_km() -> float:
    """How far a district's centre may be from one wanted to count as nearby (dated parameter)."""
    return float(parameter_value("employment.match.nearby_km", on=timezone.localdate()))


def seeker_of(profile: JobSeekerProfile, *, km: float | None = None) -> rules.Seeker:
    """The profile as the matching rule reads it (``km``: ``nearby_km()``, read once by a
    caller that ranks many profiles)."""
    districts = frozenset(profile.districts)
    km = nearby_km() if km is None else km
    return rules.Seeker(
        occupations=frozenset(profile.occupations),
        districts=districts,
        wage_min=profile.wage_min,
        education=profile.education_id,
        skills=frozenset(profile.skills),
        nearby=_nearby(districts, km),
    )


@functools.lru_cache(maxsize=512)
def _nearby(districts: frozenset[str], km: float) -> frozenset[str]:
    return rules.nearby_districts(districts, km=km)


@dataclass(frozen=True)
class Ranked:
    vacancy: Vacancy
    match: rules.Match
    relevance: float | None = None  # the BM25 score of a search by words


def _offer_of(vacancy: Vacancy) -> rules.Offer:
    return rules.Offer(
        key=str(vacancy.pk),
        occupation=vacancy.occupation_id,
        district=vacancy.district_id,
        wage_min=vacancy.wage_min,
        wage_max=vacancy.wage_max,
        education=vacancy.education_id,
        skills=frozenset(vacancy.skills),
    )


# Hits are read in windows of this many rows until enough pass the seeker's filters.
SEARCH_WINDOW = 200
# With the seeker's filters applied inside the index, this many hits beyond those shown are
# asked first (a hit of the delta, or a vacancy closed since, may still fail them); when too
# few pass, the search is asked again for CANDIDATES.
SEARCH_SLACK = 20


def search_ranked(seeker: rules.Seeker | None, hits: list[tuple[Any, float]], *, limit: int) -> list[Ranked]:
    """The first ``limit`` of the ranked hits ((vacancy id, relevance), best first) that
    are open and meet the seeker's filters, each with its explained fit; the hits' rows are
    read a window at a time (set-based: one query per window, the rows shown among them)."""
    found: list[Ranked] = []
    for start in range(0, len(hits), SEARCH_WINDOW):
        window = hits[start : start + SEARCH_WINDOW]
        rows = _vacancies().in_bulk(
            [key for key, _score in window],
            field_name="pk",
        )
        for key, score in window:
            vacancy = rows.get(key)
            if vacancy is None or vacancy.status != Vacancy.Status.OPEN or vacancy.valid_until < timezone.localdate():
                continue
            if (fit := rules.search_match(seeker, _offer_of(vacancy))) is not None:
                found.append(Ranked(vacancy, fit, score))
                if len(found) == limit:
                    return found
    return found


def vacancies_search(*, scope: Scope, q: str, limit: int) -> list[Ranked]:
    """Open vacancies for the seeker's words, most relevant first (BM25, ``search.py``);
    for a seeker with a profile, only those meeting its education and wage, each with the
    reasons of its structured fit (``rules.search_match``). The index drops its own
    vacancies that fail the seeker's filters before choosing the best, so a few more hits
    than shown usually suffice; when they do not, the search is asked for more."""
    profile = profile_mine(scope=scope)
    seeker = seeker_of(profile) if profile is not None else None
    filters = search.Filters(seeker.education, seeker.wage_min) if seeker is not None else None
    asked = limit + SEARCH_SLACK
    hits = search.search(q, limit=asked, filters=filters)
    ranked = search_ranked(seeker, [(hit.key, hit.score) for hit in hits], limit=limit)
    if len(ranked) < limit and len(hits) == asked:  # too many of the few failed: ask for more
        hits = search.search(q, limit=CANDIDATES, filters=filters)
        ranked = search_ranked(seeker, [(hit.key, hit.score) for hit in hits], limit=limit)
    return ranked


def matches_mine(*, scope: Scope, limit: int, q: str = "") -> list[Ranked]:
    """Open vacancies ranked for the signed-in seeker (rules.match says why each one); with
    words (``q``), the vacancies found by them instead (``vacancies_search``)."""
    if q.strip():
        _person(scope)
        return vacancies_search(scope=scope, q=q, limit=limit)
    profile = profile_mine(scope=scope)
    if profile is None:
        return []
    seeker = seeker_of(profile)
    groups = {rules.occupation_group(code) for code in seeker.occupations}
    wanted = Q(district_id__in=seeker.districts | seeker.nearby)
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


# --- applications --------------------------------------------------------------------------------


def _applications_mine(scope: Scope) -> QuerySet[JobApplication]:
    return JobApplication.objects.filter(person_id=_person(scope)).select_related(
        "vacancy__employer", "vacancy__occupation", "vacancy__district", "invitation"
    )


def applications_mine(*, scope: Scope, limit: int, offset: int = 0) -> list[JobApplication]:
    """The signed-in seeker's applications, newest first, each with its vacancy and any
    interview invitation."""
    return list(_applications_mine(scope).order_by("-created_at", "id")[offset : offset + limit])


def application_mine(*, scope: Scope, application_id: uuid.UUID) -> JobApplication:
    application = _applications_mine(scope).filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    return application


@dataclass(frozen=True)
class Applicant:
    application: JobApplication
    profile: JobSeekerProfile | None  # only when the seeker lets employers see it


def applicants_of_vacancy(*, scope: Scope, vacancy_id: uuid.UUID, limit: int, offset: int = 0) -> list[Applicant]:
    """The applicants of one of the caller's employer's vacancies (another employer's
    vacancy is not found). The read is audited: it shows people's names to an employer."""
    if scope.employer_id is None:
        raise PermissionDenied(code="not_employer")
    if not Vacancy.objects.filter(pk=vacancy_id, employer_id=scope.employer_id).exists():
        raise NotFound()
    applications = list(
        JobApplication.objects.filter(vacancy_id=vacancy_id)
        .select_related("person", "invitation")
        .order_by("created_at", "id")[offset : offset + limit]
    )
    profiles = {
        profile.person_id: profile
        for profile in JobSeekerProfile.objects.filter(
            person_id__in=[a.person_id for a in applications], visible_to_employers=True
        ).select_related("education")
    }
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="employment.applicants_read",
        object_type="vacancy",
        object_id=str(vacancy_id),
        purpose="recruitment",
        detail={"employer": str(scope.employer_id), "applications": [str(a.pk) for a in applications]},
    )
    return [Applicant(a, profiles.get(a.person_id)) for a in applications]


def vacancy_of_employer(*, scope: Scope, vacancy_id: uuid.UUID) -> Vacancy:
    if scope.employer_id is None:
        raise PermissionDenied(code="not_employer")
    vacancy = _vacancies().filter(pk=vacancy_id, employer_id=scope.employer_id).first()
    if vacancy is None:
        raise NotFound()
    return vacancy


def vacancy_of_application(*, scope: Scope, application_id: uuid.UUID) -> uuid.UUID:
    """The vacancy an application of the caller's employer is for (another employer's is not found)."""
    if scope.employer_id is None:
        raise PermissionDenied(code="not_employer")
    vacancy_id = (
        JobApplication.objects.filter(pk=application_id, vacancy__employer_id=scope.employer_id)
        .values_list("vacancy_id", flat=True)
        .first()
    )
    if vacancy_id is None:
        raise NotFound()
    return vacancy_id


# --- policy runs (staff) -------------------------------------------------------------------------


def _policy_staff(scope: Scope) -> None:
    if not scope.has_role(*(RUNNERS | APPROVERS)):
        raise PermissionDenied()


def policy_runs(*, scope: Scope, limit: int, offset: int = 0) -> list[PolicyRun]:
    _policy_staff(scope)
    return list(PolicyRun.objects.order_by("-created_at", "id")[offset : offset + limit])


def policy_run_get(*, scope: Scope, run_id: uuid.UUID) -> PolicyRun:
    _policy_staff(scope)
    run = PolicyRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    return run


def policy_payments(*, scope: Scope, run_id: uuid.UUID, limit: int, offset: int = 0) -> list[PolicyPayment]:
    """The payments a run proposed, with their beneficiaries (an audited read)."""
    run = policy_run_get(scope=scope, run_id=run_id)
    payments = list(
        PolicyPayment.objects.filter(run=run)
        .select_related("employer", "person")
        .order_by("created_at", "id")[offset : offset + limit]
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="employment.policy_payments_read",
        object_type="policy_run",
        object_id=str(run.pk),
        purpose="policy",
        detail={"payments": len(payments)},
    )
    return payments


# --- start-up loans (staff) ---------------------------------------------------------------------


def startup_loans(*, scope: Scope, limit: int, offset: int = 0) -> list[StartupLoan]:
    """The start-up loans approved, newest first, with their borrowers (an audited read)."""
    _policy_staff(scope)
    loans = list(
        StartupLoan.objects.select_related("person").order_by("-decided_on", "-created_at", "id")[
            offset : offset + limit
        ]
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="employment.startup_loans_read",
        object_type="startup_loan",
        object_id="",
        purpose="loan supervision",
        detail={"loans": [str(loan.pk) for loan in loans]},
    )
    return loans


# --- licensed HR agencies ------------------------------------------------------------------------


def licences(*, scope: Scope, limit: int, offset: int = 0) -> list[AgencyLicence]:
    """The HR service licences recorded, newest first (administrators)."""
    licence_staff(scope)
    return list(AgencyLicence.objects.order_by("-created_at", "id")[offset : offset + limit])


def licence_get(*, scope: Scope, licence_id: uuid.UUID) -> AgencyLicence:
    licence_staff(scope)
    licence = AgencyLicence.objects.filter(pk=licence_id).first()
    if licence is None:
        raise NotFound()
    return licence


def _agency_vacancies(scope: Scope) -> QuerySet[Vacancy]:
    agency_check(scope)
    return _vacancies().select_related("licence").filter(agency_client=scope.actor)


def agency_vacancies(*, scope: Scope, limit: int, offset: int = 0) -> list[Vacancy]:
    """The vacancies this agency posted (none of any other poster), newest first; audited."""
    found = list(_agency_vacancies(scope).order_by("-created_at", "id")[offset : offset + limit])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="employment.agency_vacancies_read",
        object_type="vacancy",
        object_id="",
        purpose="recruitment",
        detail={"vacancies": [str(v.pk) for v in found]},
    )
    return found


def agency_vacancy_get(*, scope: Scope, vacancy_id: uuid.UUID) -> Vacancy:
    """One vacancy this agency posted (another's is not found); audited."""
    vacancy = _agency_vacancies(scope).filter(pk=vacancy_id).first()
    if vacancy is None:
        raise NotFound()
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="employment.agency_vacancy_read",
        object_type="vacancy",
        object_id=str(vacancy.pk),
        purpose="recruitment",
        detail={"employer": str(vacancy.employer_id)},
    )
    return vacancy


# --- seekers for a vacancy (E4): the structured ranking reversed ---------------------------------

# How many profiles of seekers who let employers see them are ranked for one vacancy.
SEEKER_CANDIDATES = 2000


@dataclass(frozen=True)
class SeekerFit:
    profile: JobSeekerProfile
    name: str
    match: rules.Match
    applied: bool


def offer_of(vacancy: Vacancy) -> rules.Offer:
    return rules.Offer(
        key=str(vacancy.pk),
        occupation=vacancy.occupation_id,
        district=vacancy.district_id,
        wage_min=vacancy.wage_min,
        wage_max=vacancy.wage_max,
        education=vacancy.education_id,
        skills=frozenset(vacancy.skills),
    )


def seekers_for_vacancy(*, scope: Scope, vacancy_id: uuid.UUID, limit: int) -> list[SeekerFit]:
    """Seekers who let employers see their profile, ranked for one of the caller's employer's
    own vacancies (another employer's is not found) by the same rule that ranks vacancies for
    a seeker (``rules.match``), each with its reasons. Set-based: one query narrows the
    profiles to the vacancy's occupation group or district and its wage, one reads the names
    of those shown, one which of them applied already. The read is audited: it shows people
    to an employer."""
    from hrss.registry.models import Person

    vacancy = vacancy_of_employer(scope=scope, vacancy_id=vacancy_id)
    offer = offer_of(vacancy)
    group = rules.occupation_group(offer.occupation)
    # JSON lists matched as text ('"2-' in ["2-02"], '"120101"' in ["120101"]): a coarse,
    # portable narrowing; rules.match decides.
    near = Q(occupations__icontains=f'"{group}-')
    km = nearby_km()
    for district in sorted({offer.district} | _nearby(frozenset({offer.district}), km)):  # wanted, or near one wanted
        near |= Q(districts__icontains=f'"{district}"')
    affordable = Q(wage_min__isnull=True) | Q(wage_min__lte=offer.wage_max)
    rows = list(
        JobSeekerProfile.objects.filter(near, affordable, visible_to_employers=True)
        .select_related("education")
        .order_by("-updated_at", "id")[:SEEKER_CANDIDATES]
    )
    fits = [(profile, fit) for profile in rows if (fit := rules.match(seeker_of(profile, km=km), offer)) is not None]
    fits.sort(key=lambda pair: (-pair[1].points, str(pair[0].person_id)))
    fits = fits[:limit]
    people = [profile.person_id for profile, _fit in fits]
    names = dict(Person.objects.filter(pk__in=people).values_list("pk", "name"))
    applied = set(
        JobApplication.objects.filter(vacancy_id=vacancy.pk, person_id__in=people).values_list("person_id", flat=True)
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="employment.seekers_read",
        object_type="vacancy",
        object_id=str(vacancy.pk),
        purpose="recruitment",
        detail={"employer": str(scope.employer_id), "persons": [str(pk) for pk in people]},
    )
    return [
        SeekerFit(profile, names.get(profile.person_id, ""), fit, profile.person_id in applied) for profile, fit in fits
    ]


# --- a registration as staff see it ---------------------------------------------------------------


def registration_for_staff(*, scope: Scope, registration_id: uuid.UUID) -> UnemploymentRegistration:
    """An unemployment registration for staff who may see personal data, of a person living in
    their districts (another district's is not found); an audited read."""
    if not scope.sees_personal_data:
        raise PermissionDenied()
    registration = (
        UnemploymentRegistration.objects.select_related("person", "person__residence_district")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not scope.covers_district(registration.person.residence_district_id):
        raise NotFound()
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="employment.registration_read",
        object_type="unemployment_registration",
        object_id=str(registration.pk),
        purpose="employment services",
        detail={"person": str(registration.person_id)},
    )
    return registration
