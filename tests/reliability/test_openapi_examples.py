"""Every request body in OpenAPI carries a valid example (the house rule).

The examples are what a newcomer copies from ``/api/v1/docs`` and what schemathesis's
``examples`` phase sends (``make fuzz-live``); schemathesis silently drops an example that
does not match its schema, so these tests are where a wrong one shows:

* every operation with a request body has an example for each of its media types, and each
  example validates against that media type's own JSON schema;
* identifiers and code values in the examples are real: ID numbers with their GB 11643 check
  digit, credit codes that pass GB 32100 and GB 11714, code-table and catalogue values;
* sent as an authorised caller, the examples of representative operations are taken (2xx) or
  refused for a documented reason of the domain, never as invalid input (422).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import jsonschema_rs
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hrss.api import api
from hrss.card import rules as card_rules
from hrss.card.models import CardApplication
from hrss.codes import examples
from hrss.codes.identifiers import parse_credit_code, parse_id_number
from hrss.codes.models import District, InsuranceType
from hrss.identity.auth import token_create
from hrss.servicehall.models import ServiceItem
from hrss.testing import make_employer, make_employment, make_person, make_user

WRITE_METHODS = ("post", "put", "patch", "delete")


def _document() -> dict[str, Any]:
    return copy.deepcopy(api.get_openapi_schema())


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def request_examples(document: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    """The examples one media type of a request body carries, where OpenAPI 3.1 lets them sit:
    the media type's ``example`` or named ``examples``, or its (referenced) schema's ``examples``."""
    found: list[Any] = []
    if "example" in media:
        found.append(media["example"])
    found += [named["value"] for named in media.get("examples", {}).values() if "value" in named]
    schema = _resolve(document, media.get("schema", {}))
    found += list(schema.get("examples", []))
    if "example" in schema:
        found.append(schema["example"])
    return found


def _bodies(document: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, path, media type, media object) of every request body in the document."""
    bodies = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in WRITE_METHODS and "requestBody" in operation:
                for media_type, media in operation["requestBody"]["content"].items():
                    bodies.append((method, path, media_type, media))
    return bodies


DOCUMENT = _document()
BODIES = _bodies(DOCUMENT)


def test_the_document_has_request_bodies():
    # The checks below pass vacuously on a document without bodies: keep them honest.
    assert len(BODIES) >= 25
    assert {media_type for _m, _p, media_type, _media in BODIES} == {"application/json", "multipart/form-data"}


def test_every_request_body_carries_an_example():
    missing = [
        f"{method.upper()} {path} ({media_type})"
        for method, path, media_type, media in BODIES
        if not request_examples(DOCUMENT, media)
    ]
    assert not missing, f"request bodies without an example: {missing}"


@pytest.mark.parametrize(
    ("method", "path", "media_type", "media"), BODIES, ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_example_validates_against_its_own_schema(method, path, media_type, media):
    # The schema as the document states it, its references resolved in the document itself.
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **media["schema"],
        "components": DOCUMENT["components"],
    }
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    for example in request_examples(DOCUMENT, media):
        errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(example)]
        assert not errors, f"{method.upper()} {path}: example {example!r} is invalid: {errors}"


# --- the values are real ----------------------------------------------------------------------


def _check_id_number(value: str) -> None:
    parse_id_number(value)


def _check_credit_code(value: str) -> None:
    parse_credit_code(value)


def _check_card_number(value: str) -> None:
    assert card_rules.card_number_valid(value), f"{value} fails its ISO 7064 MOD 37,36 check"


def _check_district(value: str) -> None:
    assert District.objects.filter(code=value).exists(), f"{value} is not in GB/T 2260"


def _check_insurance_type(value: str) -> None:
    assert InsuranceType.objects.filter(code=value).exists(), f"{value} is not an insurance type"


def _check_item_code(value: str) -> None:
    assert ServiceItem.objects.filter(code=value).exists(), f"{value} is not in the service catalogue"


def _check_card_application(value: str) -> None:
    assert CardApplication.objects.filter(code=value).exists(), f"{value} is not in the card application catalogue"


CHECKS = {
    "id_number": _check_id_number,
    "credit_code": _check_credit_code,
    "card_number": _check_card_number,
    "district": _check_district,
    "insurance_type": _check_insurance_type,
    "insurance_types": _check_insurance_type,
    "item_code": _check_item_code,
    "application": _check_card_application,
}


def _values(example: Any) -> list[tuple[str, Any]]:
    """(key, value) of every field in an example, nested objects, lists and CSV files included."""
    found: list[tuple[str, Any]] = []
    if isinstance(example, dict):
        for key, value in example.items():
            if isinstance(value, list):
                found += [(key, item) for item in value if not isinstance(item, (dict, list))]
            elif isinstance(value, str) and key == "file" and "," in value.partition("\n")[0]:
                found += _values(list(csv.DictReader(io.StringIO(value))))  # a CSV upload: its columns
            elif not isinstance(value, (dict, list)):
                found.append((key, value))
            found += _values(value) if isinstance(value, (dict, list)) else []
    elif isinstance(example, list):
        for item in example:
            found += _values(item)
    return found


@pytest.mark.django_db
def test_identifiers_and_codes_in_examples_are_real():
    checked: set[str] = set()
    problems = []
    for method, path, _media_type, media in BODIES:
        for example in request_examples(DOCUMENT, media):
            for key, value in _values(example):
                if key in CHECKS and value not in (None, ""):
                    try:
                        CHECKS[key](value)
                    except Exception as error:  # collect every problem, report them together
                        problems.append(f"{method.upper()} {path}: {key}={value!r}: {error}")
                    checked.add(key)
    assert not problems, problems
    # The walk reached every kind of value it knows (so a renamed field cannot hide from it).
    assert checked == set(CHECKS), f"never checked: {set(CHECKS) - checked}"


def test_the_examples_name_the_demo_records():
    """`hrss demo` builds its citizen and employer from hrss.codes.examples, so the examples
    find them on `make run`; both pass the national checks on their own."""
    from stdnum.cn import ric, uscc

    assert ric.is_valid(examples.ID_NUMBER)
    assert uscc.is_valid(examples.CREDIT_CODE)
    assert parse_id_number(examples.ID_NUMBER).address_code == examples.DISTRICT


# --- sent as an authorised caller --------------------------------------------------------------


@pytest.fixture
def callers(db, settings) -> dict[str, dict[str, str]]:
    """The demo's citizen and employer (the records the examples name), an agent of the
    employer, a counter clerk of 和平区 and an administrator, each with a bearer token."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    person = make_person(id_number=examples.ID_NUMBER, name=examples.PERSON_NAME, phone="13800138000")
    employer = make_employer(credit_code=examples.CREDIT_CODE, name="天津示范科技有限公司")
    make_employment(person, employer, start=dt.date(2014, 7, 1), occupation="2-02", wage=Decimal("9800.00"))
    users = {
        "citizen": make_user("ex_citizen", "citizen", person=person),
        "employer_agent": make_user("ex_agent", "employer_agent", employer=employer),
        "clerk": make_user("ex_clerk", "counter_clerk", districts=[examples.DISTRICT]),
        "administrator": make_user("ex_admin", "administrator", city_wide=True),
    }
    headers = {role: {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"} for role, user in users.items()}
    return {"anonymous": {}, **headers}


def _send(client: Client, method: str, path: str, media_type: str, media: dict[str, Any], example: Any, headers):
    if media_type == "application/json":
        return client.generic(method.upper(), path, json.dumps(example), content_type=media_type, **headers)
    schema = _resolve(DOCUMENT, media["schema"])
    data = {
        key: SimpleUploadedFile(f"example-{key}", value.encode())
        if schema["properties"].get(key, {}).get("format") == "binary"
        else value
        for key, value in example.items()
    }
    return client.post(path, data=data, **headers)  # multipart/form-data


def _vacancy() -> dict[str, str]:
    from hrss.employment.models import Vacancy

    return {"vacancy_id": str(Vacancy.objects.get().pk)}


def _job_application() -> dict[str, str]:
    from hrss.employment.models import JobApplication

    return {"application_id": str(JobApplication.objects.get().pk)}


# (operation, caller, path parameters or a function giving them, the expected status of each of
# its examples, in order).
# An operation earlier in the list has run when a later one runs: the declaration is of the
# employee the enrolment example enrolled.
SCENARIO = [
    ("POST /api/v1/insurance/pension/estimate", "anonymous", {}, [200, 200]),
    ("POST /api/v1/registry/imports", "administrator", {}, [201]),
    ("POST /api/v1/servicehall/applications", "citizen", {}, [201]),
    ("POST /api/v1/servicehall/processes", "administrator", {}, [201]),
    ("POST /api/v1/card/me/applications", "citizen", {}, [201, 409]),
    ("POST /api/v1/card/payments", "citizen", {}, [201, 409]),
    (
        "POST /api/v1/insurance/employers/{credit_code}/enrolments",
        "employer_agent",
        {"credit_code": examples.CREDIT_CODE},
        [201],
    ),
    (
        "POST /api/v1/insurance/employers/{credit_code}/declarations",
        "employer_agent",
        {"credit_code": examples.CREDIT_CODE},
        [200],
    ),
    (
        "POST /api/v1/insurance/employers/{credit_code}/enrolments/stop",
        "employer_agent",
        {"credit_code": examples.CREDIT_CODE},
        [200],
    ),
    ("POST /api/v1/identity/biometric-checks", "clerk", {}, [403]),
    ("PUT /api/v1/employment/me/profile", "citizen", {}, [200]),
    ("POST /api/v1/employment/vacancies", "employer_agent", {}, [201]),
    # the vacancy the example above posted, and the application the example below makes
    ("POST /api/v1/employment/vacancies/{vacancy_id}/applications", "citizen", _vacancy, [201]),
    ("POST /api/v1/employment/applications/{application_id}/decision", "employer_agent", _job_application, [200]),
    ("POST /api/v1/employment/applications/{application_id}/invitation", "employer_agent", _job_application, [201]),
    ("POST /api/v1/employment/policy-runs", "administrator", {}, [201]),
    ("POST /api/v1/employment/agency-licences", "administrator", {}, [201]),
]


def test_representative_examples_are_taken_or_refused_for_a_domain_reason(callers):
    client = Client()
    operations = {
        f"{method.upper()} {path}": (method, path, media_type, media) for method, path, media_type, media in BODIES
    }
    for name, caller, parameters, expected in SCENARIO:
        method, path, media_type, media = operations[name]
        responses = {str(status) for status in DOCUMENT["paths"][path][method]["responses"]}
        url = path.format(**(parameters() if callable(parameters) else parameters))
        statuses = []
        for example in request_examples(DOCUMENT, media):
            response = _send(client, method, url, media_type, media, example, callers[caller])
            body = response.json()
            assert response.status_code != 422, f"{name}: the example {example!r} was refused as invalid: {body}"
            assert str(response.status_code) in responses, f"{name}: {response.status_code} is not documented"
            statuses.append(response.status_code)
        assert statuses == expected, f"{name} as {caller}: {statuses} (last answer {body})"
