"""Professional titles (职称, R1): recorded by the title office for people of its districts,
revoked with a reason; what the holder sees among their certificates, what a department's
system verifies through the exchange and what the green card's title route counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.exchange import selectors as exchange_selectors
from hrss.exchange import services as exchange
from hrss.talent import selectors, services
from hrss.talent.models import TitleStatus
from hrss.talent.tests import builders
from hrss.talent.tests.builders import scope
from hrss.testing import make_person, make_user, sign_in

pytestmark = pytest.mark.django_db

AWARD = {
    "series": "工程",
    "speciality": "土木工程",
    "title": "高级工程师",
    "level": "deputy_senior",
    "committee": "天津市工程系列高级职称评审委员会",
    "issued_on": dt.date(2025, 12, 20),
}


def office(name: str = "title-office", **kw: object) -> Scope:
    return scope(make_user(name, roles.APPROVER, **kw))


def record(scope_: Scope, person, number: str = "ZC2025GC000123", **changes: object):
    values = {**AWARD, **changes}
    return services.title_record(
        scope=scope_,
        id_number=person.id_number,
        name=person.name,
        number=number,
        **values,  # type: ignore[arg-type]
    )


def test_the_office_records_a_title_once_and_a_number_belongs_to_one_holder():
    person = make_person(name="王建国")
    clerk = office(city_wide=True)
    row = record(clerk, person)
    assert row.person == person and row.status == TitleStatus.VALID and row.number == "ZC2025GC000123"
    assert record(clerk, person, number=" zc2025gc000123 ").pk == row.pk  # a retry answers the same
    other = make_person(name="李冒用")
    with pytest.raises(Conflict) as taken:
        record(clerk, other)
    assert taken.value.code == "title_number_taken"
    with pytest.raises(NotFound):  # the name must match the ID number
        services.title_record(scope=clerk, id_number=person.id_number, name="王建", number="ZC1", **AWARD)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as bad:
        record(clerk, person, number="ZC2", level="professor", issued_on=dt.date.today() + dt.timedelta(days=1))
    assert "level" in bad.value.fields
    with pytest.raises(InvalidInput) as late:
        record(clerk, person, number="ZC2", issued_on=dt.date.today() + dt.timedelta(days=1))
    assert "issued_on" in late.value.fields
    with pytest.raises(PermissionDenied):  # a reviewer is not the title office
        record(scope(make_user("reviewer-t", roles.REVIEWER, city_wide=True)), person, number="ZC3")
    with pytest.raises(NotFound):  # a person outside the office's districts is not found
        record(office("office-hexi", districts=["120103"]), person, number="ZC4")
    assert AuditEntry.objects.filter(action="talent.title_record", object_id=str(row.pk)).count() == 1


def test_the_holder_sees_it_and_a_department_verifies_it_until_it_is_revoked():
    person = make_person(name="王建国")
    citizen = scope(make_user("holder-t", roles.CITIZEN, person=person))
    clerk = office(city_wide=True)
    row = record(clerk, person)
    assert [t.number for t in selectors.titles_mine(scope=citizen)] == [row.number]
    shown = exchange_selectors.certificates_mine(scope=citizen)
    assert [(c["kind"], c["number"], c["valid"]) for c in shown] == [("professional_title", row.number, True)]

    system = Scope(
        actor="市卫健委人才系统", roles=frozenset({roles.AGENCY_CLIENT}), districts=None,
        grants=frozenset({exchange.CERTIFICATE_GRANT}),
    )  # fmt: skip
    answer = exchange.certificate(
        scope=system, kind="professional_title", number=row.number, id_number=person.id_number, purpose="人才引进核验"
    )["answer"]
    assert answer["valid"] and answer["holder_matches"] and answer["title"] == "工程 高级工程师"

    with pytest.raises(InvalidInput):
        services.title_revoke(scope=clerk, title_id=row.pk, reason=" ")
    services.title_revoke(scope=clerk, title_id=row.pk, reason="申报论文系伪造")
    assert services.title_revoke(scope=clerk, title_id=row.pk, reason="again").revoked_reason == "申报论文系伪造"
    answer = exchange.certificate(
        scope=system, kind="professional_title", number=row.number, id_number=person.id_number, purpose="人才引进核验"
    )["answer"]
    assert answer["found"] and not answer["valid"] and answer["status"] == "revoked"
    assert exchange_selectors.certificates_mine(scope=citizen)[0]["valid"] is False
    with pytest.raises(PermissionDenied):
        selectors.titles_mine(scope=clerk)


def test_the_green_card_counts_a_recorded_title_as_verified():
    citizen = builders.green_card_applicant(wage="3000")  # the wage alone qualifies for nothing
    person = citizen.person
    declared = selectors.green_card_check(
        person_id=person.pk, category="c", degree="none", title="deputy_senior", award="none", on=dt.date.today()
    )[1]
    assert declared["registered_title"] == "" and "title" in declared["to_verify"]
    record(office(city_wide=True), person)
    checked = selectors.green_card_check(
        person_id=person.pk, category="c", degree="none", title="none", award="none", on=dt.date.today()
    )[1]
    assert checked["registered_title"] == "高级工程师 ZC2025GC000123"
    assert "title" in checked["routes_met"] and "title" not in checked["to_verify"]
    assert checked["declared"]["title"] == "none"


def test_the_titles_page_keeps_what_was_typed_when_refused_and_the_api_records():
    person = make_person(name="王建国")
    approver = make_user("title-page", roles.APPROVER, city_wide=True)
    client = sign_in(Client(), approver)
    assert client.get("/talent/titles/").status_code == 200
    refused = client.post(
        "/talent/titles/",
        {**AWARD, "issued_on": "2025-13-01", "id_number": person.id_number, "name": person.name, "number": "ZC9"},
    )
    assert refused.status_code == 422
    assert 'value="ZC9"' in refused.content.decode() and 'aria-invalid="true"' in refused.content.decode()
    api = client.post(
        "/api/v1/talent/titles",
        {**AWARD, "issued_on": "2025-12-20", "id_number": person.id_number, "name": person.name, "number": "ZC10"},
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    assert api.json()["level_label"] and api.json()["holder"] == "王建国"
    listed = client.get("/talent/titles/", {"id_number": person.id_number}).content.decode()
    assert "ZC10" in listed
    revoked = client.post(f"/api/v1/talent/titles/{api.json()['id']}/revoke", {"reason": "撤销"}, "application/json")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"

    citizen = sign_in(Client(), make_user("title-citizen", roles.CITIZEN, person=person))
    assert citizen.get("/talent/titles/").status_code == 403
    mine = citizen.get("/api/v1/talent/titles/mine").json()
    assert [row["number"] for row in mine] == ["ZC10"]
    page = citizen.get("/exchange/certificates/").content.decode()
    assert "ZC10" in page and "职称证书" in page
    assert citizen.get("/api/v1/exchange/certificates/mine").json()[0]["kind"] == "professional_title"


def test_a_citizen_without_a_card_sees_what_the_registry_already_meets():
    citizen = builders.green_card_applicant(wage="9800")
    page = sign_in(Client(), citizen).get("/talent/green-card/").content.decode()
    assert "117600.00" in page and "100000.00" in page  # the registered wage a year, category C's threshold
    assert page.count("可申请该类别") == 1  # C only, on the wage
    caller = scope(citizen)
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.green_card_outlook(scope=caller, on=dt.date.today())
    outlook = {row["category"]: row for row in rows}
    assert outlook["c"]["eligible"] and not outlook["a"]["eligible"]
    # The registry is read once for all categories (the title, the employment spell), not
    # once per category; the dated thresholds come from the shared cache.
    reads = [q["sql"] for q in queries.captured_queries if "hrss_cache" not in q["sql"]]
    assert len(reads) == 2, reads
