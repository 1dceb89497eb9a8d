"""The public pension calculator: no sign-in, exact parts, 422 naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from hrss.codes.models import PolicyParameter
from hrss.codes.selectors import codes_changed

pytestmark = pytest.mark.django_db
URL = "/api/v1/insurance/pension/estimate"


def post(body):
    return Client(HTTP_ACCEPT_LANGUAGE="en").post(URL, body, content_type="application/json")


def test_anonymous_estimate_returns_parts_and_total():
    response = post(
        {
            "average_wage": "12049",
            "average_index": "0.8",
            "contribution_months": 360,
            "account_balance": "138096.30",
            "retirement_age_years": 62,
            "retirement_age_months": 10,
        }
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["basic_pension"] == "3253.23"  # 12049 × 1.8 / 2 × 30 × 1%
    assert body["account_pension"] == "1167.34"  # 138096.30 / 118.3
    assert body["months_divisor"] == "118.3"
    assert body["transitional_pension"] is None
    assert Decimal(body["total"]) == Decimal("4420.57")
    assert body["contribution_years"] == "30.00"


def test_published_interpolation_through_the_api():
    body = post(
        {
            "average_wage": "8355",
            "average_index": "1",
            "contribution_months": 180,
            "account_balance": "0",
            "retirement_age_years": 60,
            "retirement_age_months": 1,
        }
    ).json()
    assert body["months_divisor"] == "138.4"
    assert body["basic_pension"] == "1253.25"  # 8355 × 2/2 × 15 × 1%


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("average_wage", "-5"),
        ("average_wage", "abc"),
        ("average_index", "-0.1"),
        ("contribution_months", -1),
        ("retirement_age_years", 71),
        ("retirement_age_months", 12),
        ("account_balance", "-1"),
    ],
)
def test_invalid_input_is_a_422_naming_the_field(field, value):
    body = {
        "average_wage": "8355",
        "average_index": "1",
        "contribution_months": 180,
        "account_balance": "0",
        "retirement_age_years": 60,
        "retirement_age_months": 0,
        field: value,
    }
    response = post(body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert field in response.json()["fields"]


def test_missing_field_is_named():
    response = post({"average_wage": "8355"})
    assert response.status_code == 422
    assert "average_index" in response.json()["fields"]


def test_seventy_with_months_has_no_divisor_and_says_so():
    response = post(
        {
            "average_wage": "8355",
            "average_index": "1",
            "contribution_months": 180,
            "account_balance": "1000",
            "retirement_age_years": 70,
            "retirement_age_months": 1,
        }
    )
    assert response.status_code == 422
    assert "retirement_age_years" in response.json()["fields"]


def test_transitional_part_only_where_the_coefficient_is_configured():
    body = {
        "average_wage": "12049",
        "average_index": "1",
        "contribution_months": 360,
        "account_balance": "0",
        "retirement_age_years": 60,
        "deemed_contribution_months": 36,
    }
    first = post(body).json()
    assert first["transitional_pension"] is None
    assert any("transitional" in note for note in first["notes"])
    PolicyParameter.objects.create(
        name="pension.transitional_coefficient",
        value=Decimal("0.01"),
        unit="ratio",
        valid_from="2006-01-01",
        region="120000",
        source="test",
        confidence="R",
    )
    codes_changed()
    second = post(body).json()
    assert second["transitional_pension"] == "361.47"  # 12049 × 1 × 3 × 1%
    assert Decimal(second["total"]) == Decimal(second["basic_pension"]) + Decimal("361.47")
