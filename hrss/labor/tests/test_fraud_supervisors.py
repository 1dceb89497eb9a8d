"""Fund supervisors (基金监督) read the social insurance fraud cases of their districts in the
rights-protection register: the list and each case, never to act on them, never other kinds."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.labor import register
from hrss.labor.models import FraudCase, Petition
from hrss.labor.services import register as services
from hrss.labor.tests.test_plan_pages import make_user
from hrss.registry.models import Employer
from hrss.servicehall.tests.builders import bearer
from hrss.synth.identifiers import credit_code
from hrss.testing import sign_in

pytestmark = pytest.mark.django_db
INSPECTOR = Scope(actor="fraud-insp", roles=frozenset({"inspector"}), districts=frozenset({"120101", "120103"}))
SUPERVISOR = Scope(actor="fund-hp", roles=frozenset({"fund_supervisor"}), districts=frozenset({"120101"}))


@pytest.fixture
def cases() -> dict[str, Any]:
    """A fraud case and a petition about an employer of 和平区, a fraud case in 河西区."""
    found: dict[str, Any] = {}
    for n, district in enumerate(("120101", "120103")):
        employer = Employer.objects.create(
            credit_code=credit_code("9", "1", district, f"{60_000 + n:08d}"), name=f"欺诈企业{n}", district_id=district
        )
        found[district] = services.fraud_open(
            scope=INSPECTOR,
            kind="benefit_fraud",
            found_by="report",
            amount="3000",
            description="虚构劳动关系骗取待遇",
            idempotency_key=f"fs-{n}",
            credit_code=employer.credit_code,
        )
    found["petition"] = services.petition_record(
        scope=INSPECTOR,
        channel="letter",
        subject="拖欠工资",
        idempotency_key="fs-p",
        petitioner_name="王某",
        petitioner_phone="13800000000",
        credit_code=found["120101"].employer.credit_code,
    )
    return found


def test_a_fund_supervisor_lists_and_reads_the_fraud_cases_of_the_district(cases):
    hp, hx = cases["120101"], cases["120103"]
    assert isinstance(hp, FraudCase) and isinstance(hx, FraudCase)
    rows = register.queue(scope=SUPERVISOR, limit=50, offset=0)
    assert [e.reference for e in rows] == [hp.reference]  # no petition, nothing of 河西区
    assert [e.reference for e in register.queue(scope=SUPERVISOR, kind="fraud", limit=50, offset=0)] == [hp.reference]
    detail = register.item_detail(scope=SUPERVISOR, kind="fraud", reference=hp.reference)
    assert detail["entry"].reference == hp.reference
    assert AuditEntry.objects.filter(actor="fund-hp", action="labor.register.read", object_id=hp.reference).exists()
    with pytest.raises(NotFound):
        register.item_detail(scope=SUPERVISOR, kind="fraud", reference=hx.reference)


def test_a_fund_supervisor_reads_no_other_kind_and_acts_on_nothing(cases):
    petition = cases["petition"]
    assert isinstance(petition, Petition)
    with pytest.raises(PermissionDenied):
        register.queue(scope=SUPERVISOR, kind="petition", limit=50, offset=0)
    with pytest.raises(PermissionDenied):
        register.item_detail(scope=SUPERVISOR, kind="petition", reference=petition.reference)
    with pytest.raises(PermissionDenied):
        services.fraud_status(scope=SUPERVISOR, reference=cases["120101"].reference, status="confirmed")
    with pytest.raises(PermissionDenied):
        register.duplicate_candidates(scope=SUPERVISOR, kind="fraud")
    analyst = Scope(actor="an", roles=frozenset({"analyst"}), districts=None)
    with pytest.raises(PermissionDenied):
        register.queue(scope=analyst, limit=50, offset=0)


def test_the_pages_and_the_api_for_fund_supervisors(cases):
    hp = cases["120101"]
    assert isinstance(hp, FraudCase)
    user = make_user("fund-page", "fund_supervisor", districts=["120101"])
    client = sign_in(Client(), user)
    page = client.get("/labor/fraud-cases/")
    text = page.content.decode()
    assert page.status_code == 200 and f"/labor/register/fraud/{hp.reference}/" in text
    assert 'href="/labor/fraud-cases/"' in text  # in the menu
    item = client.get(f"/labor/register/fraud/{hp.reference}/")
    assert item.status_code == 200 and f"/labor/register/fraud/{hp.reference}/status/" not in item.content.decode()
    assert client.post(f"/labor/register/fraud/{hp.reference}/status/", {"status": "confirmed"}).status_code == 403
    assert client.get("/labor/register/").status_code == 403  # the staff's workbench is not theirs
    api = bearer(user)
    listed = api.get("/api/v1/labor/register")
    assert listed.status_code == 200 and [e["reference"] for e in listed.json()] == [hp.reference]
    assert api.get("/api/v1/labor/register?kind=petition").status_code == 403
    assert api.get(f"/api/v1/labor/register/fraud/{hp.reference}").status_code == 200
    citizen = sign_in(Client(), make_user("fund-citizen", "citizen"))
    assert citizen.get("/labor/fraud-cases/").status_code == 403


def test_a_fund_supervisor_sees_the_person_masked(cases):
    from hrss.testing import make_person

    person = make_person(name="张三丰")
    case = services.fraud_open(
        scope=INSPECTOR,
        kind="impersonation",
        found_by="cross_check",
        amount="12000",
        description="冒领养老金，联系电话13812345678",
        idempotency_key="fs-person",
        person_id=person.pk,
    )
    entry = next(e for e in register.queue(scope=SUPERVISOR, limit=50, offset=0) if e.reference == case.reference)
    assert (entry.person_name, entry.person_id) == ("张**", None)
    assert "13812345678" not in entry.subject and "138****5678" in entry.subject
    detail = register.item_detail(scope=SUPERVISOR, kind="fraud", reference=case.reference)
    assert detail["entry"].person_name == "张**"
    staff = register.item_detail(scope=INSPECTOR, kind="fraud", reference=case.reference)
    assert staff["entry"].person_name == "张三丰" and staff["entry"].person_id == person.pk
    client = sign_in(Client(), make_user("fund-mask", "fund_supervisor", districts=["120101"]))
    text = client.get(f"/labor/register/fraud/{case.reference}/").content.decode()
    assert "张三丰" not in text and "13812345678" not in text and f"/labor/persons/{person.pk}/" not in text


def test_the_staff_still_act_on_the_case_from_its_page(cases):
    hp = cases["120101"]
    assert isinstance(hp, FraudCase)
    client = sign_in(Client(), make_user("fraud-staff", "inspector", districts=["120101"]))
    text = client.get(f"/labor/register/fraud/{hp.reference}/").content.decode()
    assert f"/labor/register/fraud/{hp.reference}/status/" in text
