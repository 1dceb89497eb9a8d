"""Registry API: scoped, audited, masked, one error shape."""

import pytest
from django.test import Client

from hrss.core.models import AuditEntry
from hrss.identity.auth import token_create
from hrss.testing import make_employer, make_employment, make_id_number, make_person, make_user

pytestmark = pytest.mark.django_db


def bearer(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


@pytest.fixture
def city():
    heping = make_person(district="120101", name="和平居民", phone="13800000011")
    hexi = make_person(district="120103", name="河西居民", phone="13800000022")
    employer = make_employer(district="120101")
    make_employment(heping, employer)
    return {"heping": heping, "hexi": hexi, "employer": employer}


def test_anonymous_is_refused(city):
    response = Client().get(f"/api/v1/registry/persons/{city['heping'].id_number}")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_required"


def test_clerk_reads_own_district_and_the_read_is_audited(city):
    clerk = make_user("clerk_hp", "counter_clerk", districts=["120101"])
    response = bearer(clerk).get(f"/api/v1/registry/persons/{city['heping'].id_number}?purpose=counter")
    assert response.status_code == 200
    body = response.json()
    assert body["id_number"] == city["heping"].id_number and body["phone"] == "13800000011"
    assert body["residence_district"] == {"code": "120101", "name": "和平区"}
    entry = AuditEntry.objects.get(action="registry.person.read")
    assert (entry.actor, entry.object_id, entry.purpose) == ("clerk_hp", str(city["heping"].pk), "counter")


def test_clerk_cannot_read_another_district_by_guessing_the_number(city):
    clerk = make_user("clerk_hp", "counter_clerk", districts=["120101"])
    client = bearer(clerk)
    other = client.get(f"/api/v1/registry/persons/{city['hexi'].id_number}")
    unknown = client.get(f"/api/v1/registry/persons/{make_id_number('120103')}")
    # the same answer whether the person exists elsewhere or not at all
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json()
    assert not AuditEntry.objects.filter(action="registry.person.read").exists()
    names = [p["name"] for p in client.get("/api/v1/registry/persons?limit=100").json()]
    assert names == ["和平居民"]


def test_city_wide_scope_sees_everyone(city):
    reviewer = make_user("rev", "reviewer", city_wide=True)
    assert bearer(reviewer).get(f"/api/v1/registry/persons/{city['hexi'].id_number}").status_code == 200


def test_analyst_sees_masked_personal_data(city):
    analyst = make_user("ana", "analyst", city_wide=True)
    body = bearer(analyst).get(f"/api/v1/registry/persons/{city['hexi'].id_number}").json()
    assert body["id_number"].startswith(city["hexi"].id_number[:4]) and "*" in body["id_number"]
    assert body["phone"] == "138****0022"


def test_citizen_sees_only_themself(city):
    citizen = make_user("cit", "citizen", person=city["heping"])
    client = bearer(citizen)
    assert client.get("/api/v1/registry/persons/me").json()["name"] == "和平居民"
    assert client.get(f"/api/v1/registry/persons/{city['heping'].id_number}").status_code == 200
    assert client.get(f"/api/v1/registry/persons/{city['hexi'].id_number}").status_code == 404
    assert client.get("/api/v1/registry/persons").status_code == 403
    assert not AuditEntry.objects.exists()  # a citizen reading their own record is not a staff access


def test_employer_agent_sees_only_its_employer_and_staff(city):
    other_employer = make_employer(district="120103", name="别家单位")
    agent = make_user("agent", "employer_agent", employer=city["employer"])
    client = bearer(agent)
    assert client.get(f"/api/v1/registry/employers/{city['employer'].credit_code}").status_code == 200
    assert client.get(f"/api/v1/registry/employers/{other_employer.credit_code}").status_code == 404
    assert [p["name"] for p in client.get("/api/v1/registry/persons").json()] == ["和平居民"]
    history = client.get(f"/api/v1/registry/persons/{city['heping'].id_number}/employments").json()
    assert [e["employer_credit_code"] for e in history["employments"]] == [city["employer"].credit_code]


def test_invalid_id_number_in_path_gets_422_with_the_error_shape(city):
    clerk = make_user("clerk_hp", "counter_clerk", districts=["120101"])
    response = bearer(clerk).get("/api/v1/registry/persons/12345")
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message", "fields"} and body["code"] == "invalid_id_number"


def test_bad_query_parameter_gets_422(city):
    clerk = make_user("clerk_hp", "counter_clerk", districts=["120101"])
    response = bearer(clerk).get("/api/v1/registry/persons?birth_year=abc")
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert "birth_year" in response.json()["fields"]


def test_revoked_or_unknown_token_is_refused(city):
    assert Client(HTTP_AUTHORIZATION="Bearer hrss_nope").get("/api/v1/registry/persons").status_code == 401


def test_import_through_the_api_needs_an_administrator(city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    number = make_id_number("120102")
    upload = lambda: SimpleUploadedFile("p.csv", f"id_number,name\n{number},新人\n".encode())
    clerk = make_user("clerk_hp", "counter_clerk", districts=["120101"])
    assert (
        bearer(clerk)
        .post("/api/v1/registry/imports", {"kind": "persons", "source": "tax", "file": upload()})
        .status_code
        == 403
    )
    admin = make_user("root", "administrator", city_wide=True)
    response = bearer(admin).post(
        "/api/v1/registry/imports", {"kind": "persons", "source": "public_security", "file": upload()}
    )
    assert response.status_code == 201 and response.json()["rows_created"] == 1
    batch_id = response.json()["id"]
    assert bearer(admin).get(f"/api/v1/registry/imports/{batch_id}").json()["rows_total"] == 1
    assert bearer(admin).get("/api/v1/registry/imports/not-a-uuid").status_code == 422
