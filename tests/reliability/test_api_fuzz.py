"""API fuzzing (X1): schemathesis generates requests from /api/v1/openapi.json for every
operation, signed in as each role, and checks that nothing answers 5xx and that every
status, content type and body matches what the schema documents (422 included).

Bounded for CI: ``HRSS_FUZZ_EXAMPLES`` examples per operation and role (default 10).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks as generic_checks
from schemathesis.specs.openapi import checks as openapi_checks

from hrss.identity.auth import token_create
from hrss.testing import make_employer, make_employment, make_person, make_user

EXAMPLES = int(os.environ.get("HRSS_FUZZ_EXAMPLES", "10"))
CHECKS = [
    generic_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
ROLES = ["anonymous", "citizen", "employer_agent", "clerk", "analyst", "administrator"]


def _load_schema() -> schemathesis.schemas.BaseSchema:
    from hrss.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight into the WSGI app, whose request_finished signal would close the
    database connection inside the test's transaction (on PostgreSQL); Django's own test
    client disconnects the same handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def role_headers(db):
    """One signed-in caller per role; every generated request is sent as each of them."""
    person = make_person(district="120101", name="模糊测试")
    employer = make_employer(district="120101")
    make_employment(person, employer)
    users = {
        "citizen": lambda: make_user("fz_citizen", "citizen", person=person),
        "employer_agent": lambda: make_user("fz_agent", "employer_agent", employer=employer),
        "clerk": lambda: make_user("fz_clerk", "counter_clerk", districts=["120101"]),
        "analyst": lambda: make_user("fz_analyst", "analyst", city_wide=True),
        "administrator": lambda: make_user("fz_admin", "administrator", city_wide=True),
    }
    headers = {"anonymous": {}}
    for role, make in users.items():
        headers[role] = {"Authorization": f"Bearer {token_create(user=make())}"}
    return headers


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
def test_api_never_fails_and_matches_its_schema(case, role_headers):
    for role in ROLES:
        case.call_and_validate(headers=role_headers[role], checks=CHECKS)
