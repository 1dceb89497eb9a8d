"""Reads from the registry, always filtered by the caller's scope and audited for staff and agencies."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hrss.codes.identifiers import parse_id_number
from hrss.core.audit import audit_record
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.prepared import PreparedQuery
from hrss.core.scope import AGENCY_CLIENT, CITIZEN, EMPLOYER_AGENT, Scope
from hrss.registry.models import Employer, Employment, Person
from hrss.registry.services import id_number_index

REGISTRY_READ_GRANT = "registry:read"


def _audited(scope: Scope) -> bool:
    return scope.is_staff or scope.has_role(AGENCY_CLIENT)


def person_queryset(*, scope: Scope) -> QuerySet[Person]:
    """Every person the caller may see, and no one else."""
    persons = Person.objects.all()
    if scope.is_staff:
        if scope.city_wide:
            return persons
        districts = list(scope.districts or ())
        return persons.filter(Q(residence_district_id__in=districts) | Q(household_district_id__in=districts))
    if scope.has_role(AGENCY_CLIENT) and REGISTRY_READ_GRANT in scope.grants:
        return persons
    if scope.has_role(EMPLOYER_AGENT) and scope.employer_id:
        return persons.filter(employments__employer_id=scope.employer_id).distinct()
    if scope.has_role(CITIZEN) and scope.person_id:
        return persons.filter(pk=scope.person_id)
    return persons.none()


# The hottest audited read (counter look-ups, agency queries, card checks): compiled once
# per scope and thread instead of on every request (hrss.core.prepared).
_PERSON_BY_INDEX: PreparedQuery[Person] = PreparedQuery(
    lambda scope, index: (
        person_queryset(scope=scope)
        .select_related("household_district", "residence_district", "education")
        .filter(id_number_index=index)
        .order_by()
    )
)


def employer_queryset(*, scope: Scope) -> QuerySet[Employer]:
    employers = Employer.objects.select_related("industry", "district")
    if scope.is_staff:
        return employers if scope.city_wide else employers.filter(district_id__in=list(scope.districts or ()))
    if scope.has_role(AGENCY_CLIENT) and REGISTRY_READ_GRANT in scope.grants:
        return employers
    if scope.has_role(EMPLOYER_AGENT) and scope.employer_id:
        return employers.filter(pk=scope.employer_id)
    return employers.none()


def _audit_read(
    scope: Scope, *, action: str, object_type: str, object_ids: list[str], purpose: str, **detail: Any
) -> None:
    if _audited(scope):
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action=action,
            object_type=object_type,
            object_id=object_ids[0] if len(object_ids) == 1 else "",
            purpose=purpose,
            detail={"ids": object_ids, **detail} if len(object_ids) != 1 else detail,
        )


def person_get_by_id_number(*, scope: Scope, id_number: str, purpose: str = "") -> Person:
    """One person by ID number, if the caller may see them.

    Out-of-scope and unknown numbers give the same answer, so guessing a number tells
    nothing about whether that person is registered.
    """
    value = parse_id_number(id_number).value
    person = _PERSON_BY_INDEX.first(scope, id_number_index(value))
    if person is None:
        raise NotFound(_("No person with this ID number was found within your scope."))
    _audit_read(
        scope, action="registry.person.read", object_type="person", object_ids=[str(person.pk)], purpose=purpose
    )
    return person


def person_search(
    *,
    scope: Scope,
    name: str | None = None,
    district: str | None = None,
    birth_year: int | None = None,
    limit: int = 50,
    offset: int = 0,
    purpose: str = "",
) -> list[Person]:
    if not scope.is_staff and not scope.has_role(AGENCY_CLIENT, EMPLOYER_AGENT):
        raise PermissionDenied()
    persons = person_queryset(scope=scope).select_related("household_district", "residence_district")
    if name:
        persons = persons.filter(name__startswith=name.strip())
    if district:
        persons = persons.filter(Q(residence_district_id=district) | Q(household_district_id=district))
    if birth_year:
        persons = persons.filter(birth_date__year=birth_year)
    found = list(persons.order_by("name", "id")[offset : offset + limit])
    if found:
        _audit_read(
            scope,
            action="registry.person.search",
            object_type="person",
            object_ids=[str(p.pk) for p in found],
            purpose=purpose,
            query={"name": name or "", "district": district or "", "birth_year": birth_year},
        )
    return found


def person_employments(*, scope: Scope, id_number: str, purpose: str = "") -> tuple[Person, list[Employment]]:
    person = person_get_by_id_number(scope=scope, id_number=id_number, purpose=purpose)
    spells = Employment.objects.filter(person=person).select_related("employer", "occupation").order_by("-start_date")
    if scope.has_role(EMPLOYER_AGENT) and not scope.is_staff and scope.employer_id:
        spells = spells.filter(employer_id=scope.employer_id)
    return person, list(spells)


def employer_get(*, scope: Scope, credit_code: str) -> Employer:
    employer = employer_queryset(scope=scope).filter(credit_code=credit_code.strip().upper()).first()
    if employer is None:
        raise NotFound(_("No employer with this credit code was found within your scope."))
    return employer


def employer_search(
    *,
    scope: Scope,
    name: str | None = None,
    district: str | None = None,
    industry: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Employer]:
    employers = employer_queryset(scope=scope)
    if name:
        employers = employers.filter(name__contains=name.strip())
    if district:
        employers = employers.filter(district_id=district)
    if industry:
        employers = employers.filter(Q(industry_id=industry) | Q(industry__parent_id=industry))
    return list(employers.order_by("name", "id")[offset : offset + limit])
