"""hrss.core.prepared on the registry's hottest read: prepared querysets give what the queryset gives, in one query, for every scope shape."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrss.core.prepared import PreparedQuery
from hrss.core.scope import AGENCY_CLIENT, APPROVER, CITIZEN, COUNTER_CLERK, EMPLOYER_AGENT, REVIEWER, Scope
from hrss.registry.models import Person
from hrss.registry.selectors import REGISTRY_READ_GRANT, person_queryset
from hrss.testing import make_employer, make_employment, make_person, staff_scope

pytestmark = pytest.mark.django_db

FIELDS = ("id", "id_number", "name", "sex", "birth_date", "phone", "status", "sources", "education_id")


def _by_index() -> PreparedQuery[Person]:
    return PreparedQuery(
        lambda scope, index: (
            person_queryset(scope=scope)
            .select_related("household_district", "residence_district", "education")
            .filter(id_number_index=index)
            .order_by()
        )
    )


@pytest.fixture
def city() -> dict[str, Person]:
    employer = make_employer(district="120101")
    inner = make_person(district="120101", name="和平区人", phone="13800138000", sources={"tax": "2024-01-01"})
    outer = make_person(district="120102", name="河东区人")
    make_employment(inner, employer)
    return {"inner": inner, "outer": outer, "employer": employer}


def _scopes(city: dict[str, Person]) -> list[Scope]:
    return [
        staff_scope(),
        staff_scope(districts=["120101"]),
        staff_scope(districts=["120102", "120103"]),
        staff_scope(districts=[]),
        Scope(actor="agency", roles=frozenset({AGENCY_CLIENT}), grants=frozenset({REGISTRY_READ_GRANT})),
        Scope(actor="agency-no-grant", roles=frozenset({AGENCY_CLIENT})),
        Scope(actor="citizen", roles=frozenset({CITIZEN}), person_id=city["inner"].pk),
        Scope(actor="agent", roles=frozenset({EMPLOYER_AGENT}), employer_id=city["employer"].pk),
        Scope(actor="agent-other", roles=frozenset({EMPLOYER_AGENT}), employer_id=uuid.uuid4()),
        Scope.anonymous(),
    ]


def test_every_scope_sees_through_the_prepared_query_what_the_queryset_shows(city):
    prepared = _by_index()
    for scope in _scopes(city):
        for person in (city["inner"], city["outer"]):
            expected = (
                person_queryset(scope=scope)
                .select_related("household_district", "residence_district", "education")
                .filter(id_number_index=person.id_number_index)
                .first()
            )
            for _attempt in range(2):  # compiled, then from the cache
                found = prepared.first(scope, person.id_number_index)
                assert (found is None) == (expected is None), (scope, person.name)
                if expected is not None:
                    assert found is not None
                    assert {f: getattr(found, f) for f in FIELDS} == {f: getattr(expected, f) for f in FIELDS}
                    assert found.household_district.name == expected.household_district.name
                    assert found.residence_district.code == expected.residence_district.code


def test_a_prepared_lookup_is_one_query_with_its_districts_loaded(city):
    prepared = _by_index()
    scope = staff_scope(districts=["120101"])
    prepared.first(scope, city["outer"].id_number_index)  # compile this shape
    with CaptureQueriesContext(connection) as queries:
        person = prepared.first(scope, city["inner"].id_number_index)
        assert person is not None
        assert person.household_district.name  # from the join, no second query
        assert person.id_number == city["inner"].id_number  # decrypted by the field's converter
    assert len(queries) == 1


def test_values_are_parameters_not_sql(city):
    prepared = _by_index()
    assert prepared.first(staff_scope(), "' OR 1=1 --") is None
    assert prepared.first(staff_scope(), city["inner"].id_number_index).pk == city["inner"].pk


def test_a_value_the_orm_would_transform_is_refused():
    prepared: PreparedQuery[Person] = PreparedQuery(lambda name: Person.objects.filter(name__contains=name))
    with pytest.raises(ValueError, match="one SQL parameter"):
        prepared.all("张")


def test_compiled_shapes_are_bounded_and_per_thread(city):
    prepared: PreparedQuery[Person] = PreparedQuery(
        lambda role, index: person_queryset(scope=staff_scope(role=role)).filter(id_number_index=index), size=2
    )
    for role in (COUNTER_CLERK, REVIEWER, APPROVER):
        assert prepared.first(role, city["inner"].id_number_index).pk == city["inner"].pk
    assert len(prepared._local.cache) == 2
    assert COUNTER_CLERK not in {shape[0] for shape in prepared._local.cache}

    seen: list[bool] = []
    thread = threading.Thread(target=lambda: seen.append(hasattr(prepared._local, "cache")))
    thread.start()
    thread.join()
    assert seen == [False]
