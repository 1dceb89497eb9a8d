import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_id_number_helper_valid():
    body = Client().get("/api/v1/codes/id-number/120107198001010010").json()
    assert body["birth_date"] == "1980-01-01"
    assert body["district_name"] == "塘沽区" and body["current_district_code"] == "120116"


def test_id_number_helper_legacy_and_lower_case():
    assert Client().get("/api/v1/codes/id-number/150102880730303").json()["value"] == "150102198807303035"
    assert Client().get("/api/v1/codes/id-number/11010519491231002x").json()["value"] == "11010519491231002X"


def test_id_number_helper_invalid():
    response = Client().get("/api/v1/codes/id-number/110105194912310021")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_id_number" and body["message"] and "id_number" in body["fields"]


def test_credit_code_helper():
    body = Client().get("/api/v1/codes/credit-code/91110000600037341L").json()
    assert body["registration_authority_code"] == "9" and body["category_code"] == "1"
    response = Client().get("/api/v1/codes/credit-code/91110000600037341X")
    assert response.status_code == 422 and response.json()["code"] == "invalid_credit_code"


def test_districts_and_parameters():
    districts = Client().get("/api/v1/codes/districts").json()
    assert len(districts) == 16 and districts[0] == {"code": "120101", "name": "和平区"}
    floor = Client().get("/api/v1/codes/parameters/contribution_base.floor?on=2025-07-01").json()
    assert floor["value"] == "5013.000000" or float(floor["value"]) == 5013
    missing = Client().get("/api/v1/codes/parameters/no.such.parameter")
    assert missing.status_code == 404 and missing.json()["code"] == "parameter_not_found"
    bad_date = Client().get("/api/v1/codes/parameters/contribution_base.floor?on=2025-13-01")
    assert bad_date.status_code == 422


def test_openapi_and_docs():
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/registry/persons/{id_number}" in schema["paths"]
    assert Client().get("/api/v1/docs").status_code == 200


def test_id_number_helper_names_districts_outside_the_city():
    body = Client().get("/api/v1/codes/id-number/11010519491231002X").json()
    assert body["district_name"] == "朝阳区" and body["current_district_code"] is None
