"""What the live API fuzz (tools/fuzz_live.py: schemathesis against a running server, signed
in as each demo account) found, kept as regressions: each was a 5xx, each is now a 4xx in the
one error shape naming the field."""

from __future__ import annotations

import pytest
from django.test import Client

from hrss.core.paging import MAX_OFFSET
from hrss.identity.auth import token_create
from hrss.testing import make_employer, make_person, make_user

pytestmark = pytest.mark.django_db
HUGE = 130187331257643823207022592  # an offset from the fuzz: too large for a database integer


def bearer(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("citizen", "/api/v1/servicehall/applications"),
        ("citizen", "/api/v1/card/me/uses"),
        ("clerk", "/api/v1/insurance/universal/persons"),
        ("clerk", "/api/v1/registry/persons"),
    ],
)
def test_a_page_offset_or_limit_out_of_range_is_a_422_naming_it(role, path):
    user = (
        make_user("c", "citizen", person=make_person())
        if role == "citizen"
        else make_user("k", "counter_clerk", city_wide=True)
    )
    client = bearer(user)
    for query, field in ((f"offset={HUGE}", "offset"), (f"offset={MAX_OFFSET + 1}", "offset"), ("limit=0", "limit")):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, (path, query, response.content[:200])
        assert response.json()["code"] == "invalid_input" and field in str(response.json()["fields"])
    assert client.get(f"{path}?offset={MAX_OFFSET}&limit=1").status_code in (200, 404)


def test_a_base_declaration_for_a_year_without_policy_figures_is_a_422_on_the_year():
    firm = make_employer()
    agent = bearer(make_user("hr", "employer_agent", employer=firm))
    response = agent.post(
        f"/api/v1/insurance/employers/{firm.credit_code}/declarations",
        {"year": 2099, "lines": []},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["fields"] == {"year": "2099"}
