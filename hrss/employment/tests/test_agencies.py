"""Licensed HR agencies (E1): an agency posts vacancies for employers only under a licence
in force that covers the district, lists and closes only its own, and everything is audited;
administrators record and revoke licences (pages and API)."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.employment import agencies, selectors
from hrss.employment.models import AgencyLicence, Vacancy
from hrss.employment.tests import builders
from hrss.identity.auth import agency_scope
from hrss.testing import make_user, sign_in

pytestmark = pytest.mark.django_db

AGENCY = "和平人力资源服务系统"


def agency(name: str = AGENCY, grants=(agencies.GRANT,)):
    return agency_scope(name=name, scopes=list(grants))


def employer():
    return builders.agent(name="委托招聘单位").employer


def post(scope, credit_code, **overrides):
    values = builders.vacancy_values(**overrides)
    return agencies.agency_vacancy_post(scope=scope, credit_code=credit_code, values=values)


def test_a_licensed_agency_posts_for_an_employer_in_a_district_its_licence_covers():
    licence = builders.licence()
    unit = employer()
    vacancy = post(agency(), unit.credit_code, title="仓库管理员")
    assert (vacancy.employer_id, vacancy.agency_client, vacancy.licence_id) == (unit.pk, AGENCY, licence.pk)
    entry = AuditEntry.objects.get(action="employment.vacancy_post")
    assert entry.actor == AGENCY and entry.detail["licence"] == licence.licence_number
    # the employer's own agents see it among their vacancies
    agent = make_user("agent-of-unit", roles.EMPLOYER_AGENT, employer=unit)
    assert [v.pk for v in selectors.vacancies_of_employer(scope=builders.scope(agent), limit=10)] == [vacancy.pk]


def test_no_licence_an_uncovered_district_an_expired_or_revoked_licence_or_no_grant_are_refused():
    unit = employer()
    with pytest.raises(PermissionDenied) as refused:
        post(agency(), unit.credit_code)
    assert refused.value.code == "agency_unlicensed"
    licence = builders.licence(districts=("120103",))
    with pytest.raises(PermissionDenied) as refused:
        post(agency(), unit.credit_code, district="120101")
    assert refused.value.code == "licence_not_in_force"
    AgencyLicence.objects.filter(pk=licence.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        post(agency(), unit.credit_code, district="120103")
    AgencyLicence.objects.filter(pk=licence.pk).update(valid_until=timezone.localdate() + dt.timedelta(days=9))
    assert post(agency(), unit.credit_code, district="120103").licence_id == licence.pk
    agencies.licence_revoke(scope=Scope.system("t"), licence_id=licence.pk, reason="违规收费")
    with pytest.raises(PermissionDenied):
        post(agency(), unit.credit_code, district="120103")
    with pytest.raises(PermissionDenied) as refused:
        post(agency(grants=("registry:read",)), unit.credit_code, district="120103")
    assert refused.value.code == "agency_grant_missing"
    with pytest.raises(PermissionDenied):
        post(builders.scope(builders.agent()), unit.credit_code)
    assert Vacancy.objects.count() == 1


def test_a_bad_or_unknown_credit_code_and_a_discriminatory_post_are_refused():
    builders.licence()
    with pytest.raises(InvalidInput) as bad:
        post(agency(), "91120101MA05K1230X")
    assert bad.value.code == "invalid_credit_code"
    with pytest.raises(NotFound):
        post(agency(), "91120101MA05K1230Y")  # valid, not in this registry
    with pytest.raises(InvalidInput) as refused:
        post(agency(), employer().credit_code, description="限男性，35岁以下")
    assert refused.value.code == "discriminatory_requirement"


def test_an_agency_lists_and_closes_only_its_own_vacancies_and_each_read_is_audited():
    builders.licence()
    builders.licence(client_name="另一家机构")
    unit = employer()
    mine = post(agency(), unit.credit_code, title="本机构岗位")
    theirs = post(agency("另一家机构"), unit.credit_code, title="他机构岗位")
    own = builders.vacancy(builders.agent(), title="单位自招")
    assert [v.pk for v in selectors.agency_vacancies(scope=agency(), limit=10)] == [mine.pk]
    assert AuditEntry.objects.filter(action="employment.agency_vacancies_read", actor=AGENCY).count() == 1
    for other in (theirs, own):
        with pytest.raises(NotFound):
            agencies.agency_vacancy_close(scope=agency(), vacancy_id=other.pk)
    closed = agencies.agency_vacancy_close(scope=agency(), vacancy_id=mine.pk)
    assert closed.status == Vacancy.Status.CLOSED
    assert agencies.agency_vacancy_close(scope=agency(), vacancy_id=mine.pk).status == "closed"
    assert AuditEntry.objects.filter(action="employment.vacancy_close", actor=AGENCY).count() == 1


def test_a_retry_with_the_same_key_answers_with_the_first_vacancy_but_another_posters_key_conflicts():
    builders.licence()
    unit = employer()
    values = builders.vacancy_values()
    first = agencies.agency_vacancy_post(
        scope=agency(), credit_code=unit.credit_code, values=values, idempotency_key="k1"
    )
    again = agencies.agency_vacancy_post(
        scope=agency(), credit_code=unit.credit_code, values=values, idempotency_key="k1"
    )
    assert again.pk == first.pk
    builders.licence(client_name="另一家机构")
    with pytest.raises(Conflict):
        agencies.agency_vacancy_post(
            scope=agency("另一家机构"), credit_code=unit.credit_code, values=values, idempotency_key="k1"
        )


def test_licences_are_recorded_and_revoked_by_administrators_only():
    clerk = builders.scope(make_user("licence-clerk", roles.COUNTER_CLERK))
    with pytest.raises(PermissionDenied):
        agencies.licence_record(
            scope=clerk,
            licence_number="X1",
            agency_name="A",
            client_name="B",
            districts=["120101"],
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate(),
        )
    with pytest.raises(InvalidInput) as bad:
        agencies.licence_record(
            scope=Scope.system("t"),
            licence_number=" ",
            agency_name="A",
            client_name="B",
            districts=["999999"],
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() - dt.timedelta(days=1),
        )
    assert set(bad.value.fields) == {"licence_number", "districts", "valid_until"}
    licence = builders.licence(licence_number="津人服证字〔2026〕第1号")
    with pytest.raises(Conflict):
        builders.licence(licence_number="津人服证字〔2026〕第1号")
    with pytest.raises(InvalidInput):
        agencies.licence_revoke(scope=Scope.system("t"), licence_id=licence.pk, reason=" ")
    with pytest.raises(NotFound):
        agencies.licence_revoke(scope=Scope.system("t"), licence_id=uuid.uuid4(), reason="x")
    revoked = agencies.licence_revoke(scope=Scope.system("t"), licence_id=licence.pk, reason="违规")
    assert revoked.revoked_at is not None
    assert {e.action for e in AuditEntry.objects.filter(object_type="agency_licence")} == {
        "employment.licence_record",
        "employment.licence_revoke",
    }


# --- API -----------------------------------------------------------------------------------------


def test_the_agency_api_posts_lists_reads_and_closes_and_refuses_others():
    builders.licence()
    unit = employer()
    client = builders.agency_client()
    body = {
        "credit_code": unit.credit_code,
        "title": "门店销售专员",
        "description": "负责门店商品销售。",
        "occupation": "4-01",
        "district": "120101",
        "wage_min": "4500",
        "wage_max": "6500",
        "headcount": 3,
        "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    created = client.post("/api/v1/employment/agency/vacancies", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["employer_credit_code"] == unit.credit_code and data["licence_number"].startswith("津人服证字")
    listed = client.get("/api/v1/employment/agency/vacancies")
    assert [v["id"] for v in listed.json()] == [data["id"]]
    assert client.get(f"/api/v1/employment/agency/vacancies/{data['id']}").status_code == 200
    closed = client.post(f"/api/v1/employment/agency/vacancies/{data['id']}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    # 422: bad input; 404: unknown employer or another's vacancy; 403: uncovered district, no grant
    assert (
        client.post(
            "/api/v1/employment/agency/vacancies", {**body, "credit_code": "X"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/employment/agency/vacancies", {**body, "headcount": 0}, content_type="application/json"
        ).status_code
        == 422
    )
    unknown = client.post(
        "/api/v1/employment/agency/vacancies",
        {**body, "credit_code": "91120101MA05K1230Y"},
        content_type="application/json",
    )
    assert unknown.status_code == 404
    uncovered = client.post(
        "/api/v1/employment/agency/vacancies", {**body, "district": "120103"}, content_type="application/json"
    )
    assert uncovered.status_code == 403 and uncovered.json()["code"] == "licence_not_in_force"
    assert client.get(f"/api/v1/employment/agency/vacancies/{uuid.uuid4()}").status_code == 404
    other = builders.agency_client(name="无授权机构", scopes=("registry:read",))
    assert other.get("/api/v1/employment/agency/vacancies").status_code == 403
    assert client.get("/api/v1/employment/agency/vacancies?limit=0").status_code == 422


def test_the_licence_api_for_administrators():
    admin = make_user("licence-admin", roles.ADMINISTRATOR)
    from hrss.identity.auth import token_create

    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=admin)}")
    body = {
        "licence_number": "津人服证字〔2026〕第0101000123号",
        "agency_name": "天津和平人力资源服务有限公司",
        "client_name": AGENCY,
        "districts": ["120101"],
        "valid_from": "2026-01-01",
        "valid_until": "2030-12-31",
    }
    created = api.post("/api/v1/employment/agency-licences", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["in_force"] is (timezone.localdate() >= dt.date(2026, 1, 1))
    assert api.post("/api/v1/employment/agency-licences", body, content_type="application/json").status_code == 409
    assert (
        api.post(
            "/api/v1/employment/agency-licences", {**body, "districts": []}, content_type="application/json"
        ).status_code
        == 422
    )
    assert [x["licence_number"] for x in api.get("/api/v1/employment/agency-licences").json()] == [
        body["licence_number"]
    ]
    revoke = api.post(
        f"/api/v1/employment/agency-licences/{created.json()['id']}/revoke",
        {"reason": "违规"},
        content_type="application/json",
    )
    assert revoke.status_code == 200 and revoke.json()["in_force"] is False
    assert (
        api.post(
            f"/api/v1/employment/agency-licences/{uuid.uuid4()}/revoke",
            {"reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    citizen = builders.seeker()
    other = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=citizen)}")
    assert other.get("/api/v1/employment/agency-licences").status_code == 403


# --- pages ---------------------------------------------------------------------------------------


def test_the_licence_page_records_and_revokes_in_chinese():
    admin = make_user("licence-page-admin", roles.ADMINISTRATOR)
    client = sign_in(Client(), admin)
    page = client.get("/employment/agencies/")
    assert page.status_code == 200
    form = {
        "licence_number": "津人服证字〔2026〕第77号",
        "agency_name": "和平人力资源服务有限公司",
        "client_name": AGENCY,
        "districts": ["120101", "120103"],
        "valid_from": "2026-01-01",
        "valid_until": "2030-12-31",
    }
    assert client.post("/employment/agencies/", form).status_code == 302
    licence = AgencyLicence.objects.get()
    assert licence.districts == ["120101", "120103"]
    assert client.post("/employment/agencies/", {**form, "valid_until": ""}).status_code == 422
    assert client.post(f"/employment/agencies/{licence.pk}/revoke/", {"reason": ""}).status_code == 422
    assert client.post(f"/employment/agencies/{licence.pk}/revoke/", {"reason": "违规"}).status_code == 302
    page = client.get("/employment/agencies/")
    assert "违规" in page.content.decode()
    citizen = sign_in(Client(), builders.seeker())
    assert citizen.get("/employment/agencies/").status_code == 403


def test_the_demo_agency_posts_once_for_the_demo_employer():
    from hrss.employment import demo

    unit = employer()
    first = demo.demo_agency_vacancy(employer_id=unit.pk)
    again = demo.demo_agency_vacancy(employer_id=unit.pk)
    assert again.pk == first.pk and first.agency_client == demo.AGENCY_CLIENT
    assert AgencyLicence.objects.filter(licence_number=demo.AGENCY_LICENCE).count() == 1
