"""The register's API and pages (L2, #20): petitions, fraud cases, the person's view, transfers
with receipts, merging; 422 on bad input, 403 for others than the rights-protection staff,
404 outside the caller's districts; pages in zh-hans; the demo's petition and transfer."""

import pytest
from django.test import Client

from hrss.core.models import AuditEntry
from hrss.labor.models import Petition, Transfer
from hrss.labor.tests.builders import petition, register_unit
from hrss.servicehall.tests.builders import bearer, sign_in
from hrss.testing import make_user

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def inspector(db):
    return make_user("inspector_hp", "inspector", districts=["120101"])


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_petition_and_fraud_case_through_the_api(city, inspector):
    api = bearer(inspector)
    body = {
        "channel": "visit",
        "subject": "反映拖欠工资",
        "id_number": city.person.id_number,
        "credit_code": city.employer.credit_code,
        "idempotency_key": "a1",
    }
    answer = post(api, "/api/v1/labor/petitions", body)
    assert answer.status_code == 200, answer.content
    item = answer.json()
    reference = item["entry"]["reference"]
    assert item["entry"]["kind"] == "petition" and item["entry"]["due_on"] and item["events"][0]["action"] == "file"
    assert post(api, "/api/v1/labor/petitions", body).json()["entry"]["reference"] == reference  # retried
    assert post(api, "/api/v1/labor/petitions", {**body, "idempotency_key": "a2", "channel": "x"}).status_code == 422
    assert post(api, "/api/v1/labor/petitions", {**body, "idempotency_key": "a3", "id_number": "1"}).status_code == 422
    assert post(api, "/api/v1/labor/petitions", {"channel": "visit"}).status_code == 422
    assert post(bearer(city.citizen), "/api/v1/labor/petitions", {**body, "idempotency_key": "a4"}).status_code == 403
    decided = post(api, f"/api/v1/labor/petitions/{reference}/decision", {"accept": True})
    assert decided.status_code == 200 and decided.json()["entry"]["status"] == "accepted"
    assert post(api, f"/api/v1/labor/petitions/{reference}/close", {}).status_code == 409
    assert post(api, "/api/v1/labor/petitions/XF0/answer", {"answer": "x"}).status_code == 404
    hexi = bearer(make_user("inspector_hx", "inspector", districts=["120103"]))
    assert hexi.get(f"/api/v1/labor/register/petition/{reference}").status_code == 404

    fraud = {
        "kind": "false_enrolment",
        "found_by": "inspection",
        "amount": "5000.00",
        "description": "虚构劳动关系参保",
        "credit_code": city.employer.credit_code,
        "idempotency_key": "f1",
    }
    opened = post(api, "/api/v1/labor/fraud-cases", fraud)
    assert opened.status_code == 200, opened.content
    assert post(api, "/api/v1/labor/fraud-cases", {**fraud, "amount": "-3", "idempotency_key": "f2"}).status_code == 422
    assert (
        post(api, "/api/v1/labor/fraud-cases", {**fraud, "amount": "1.234", "idempotency_key": "f3"}).status_code == 422
    )
    fraud_ref = opened.json()["entry"]["reference"]
    recovery = post(
        api,
        f"/api/v1/labor/fraud-cases/{fraud_ref}/recovery",
        {"recovery_case": "3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c"},
    )
    assert recovery.status_code == 422  # no such recovery case

    queue = api.get("/api/v1/labor/register")
    assert queue.status_code == 200 and {e["reference"] for e in queue.json()} == {reference, fraud_ref}
    assert api.get("/api/v1/labor/register?kind=nope").status_code == 422
    assert bearer(city.clerk).get("/api/v1/labor/register").status_code == 403

    person = api.get(f"/api/v1/labor/persons/{city.person.pk}/register")
    assert person.status_code == 200 and [e["reference"] for e in person.json()["entries"]] == [reference]
    assert hexi.get(f"/api/v1/labor/persons/{city.person.pk}/register").status_code == 404
    assert api.get("/api/v1/labor/persons/not-an-id/register").status_code == 404
    linked = api.get(f"/api/v1/labor/employers/{city.employer.credit_code}/linked").json()
    assert {e["reference"] for e in linked["register_items"]} == {reference, fraud_ref}


def test_transfer_receipt_and_merge_through_the_api(city, inspector):
    api = bearer(inspector)
    first = petition(city, inspector, key="m1")
    second = petition(city, inspector, key="m2")
    unit = register_unit()
    sent = post(
        api,
        f"/api/v1/labor/register/petition/{first.reference}/transfers",
        {"to_unit": unit.code, "reason": "属地办理", "idempotency_key": "t1"},
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["transfers"][0]["to_unit"] == unit.name and sent.json()["entry"]["unit"] == unit.name
    bad = post(
        api,
        f"/api/v1/labor/register/petition/{first.reference}/transfers",
        {"to_unit": "x", "reason": "y", "idempotency_key": "t2"},
    )
    assert bad.status_code == 422
    pending = api.get("/api/v1/labor/transfers")
    assert pending.status_code == 200 and [t["item_reference"] for t in pending.json()] == [first.reference]
    transfer_id = pending.json()[0]["id"]
    assert post(bearer(city.citizen), f"/api/v1/labor/transfers/{transfer_id}/receipt", {}).status_code == 403
    assert post(api, "/api/v1/labor/transfers/999999/receipt", {}).status_code == 404
    received = post(api, f"/api/v1/labor/transfers/{transfer_id}/receipt", {})
    assert received.status_code == 200 and received.json()["received_by"] == "inspector_hp"

    duplicates = api.get("/api/v1/labor/register/duplicates?kind=petition")
    assert duplicates.status_code == 200
    assert [(d["reference"], d["candidate_of"]) for d in duplicates.json()] == [(second.reference, first.reference)]
    assert api.get("/api/v1/labor/register/duplicates?kind=zzz").status_code == 422
    merged = post(api, f"/api/v1/labor/register/petition/{second.reference}/merge", {"into": first.reference})
    assert merged.status_code == 200 and merged.json()["merged_from"] == [second.reference]
    assert post(api, f"/api/v1/labor/register/petition/{second.reference}/merge", {"into": "XF0"}).status_code == 404
    assert Petition.objects.get(pk=second.pk).status == "merged"
    assert AuditEntry.objects.filter(action="labor.register.receive").count() == 1


def test_pages_in_chinese(city, inspector):
    row = petition(city, inspector)
    browser = sign_in(Client(), inspector)
    page = browser.get("/labor/register/", **ZH)
    assert page.status_code == 200 and row.reference in page.content.decode()
    assert "/labor/register/" in browser.get("/my/", **ZH).content.decode()  # in the menu
    detail = browser.get(f"/labor/register/petition/{row.reference}/", **ZH)
    assert detail.status_code == 200 and city.person.name in detail.content.decode()
    done = browser.post(f"/labor/register/petition/{row.reference}/accept/", **ZH)
    assert done.status_code == 302
    assert Petition.objects.get(pk=row.pk).status == "accepted"
    assert browser.post(f"/labor/register/petition/{row.reference}/nope/", **ZH).status_code == 404
    moved = browser.post(
        f"/labor/register/petition/{row.reference}/transfer/",
        {"to_unit": register_unit().code, "reason": "属地", "idempotency_key": "pg"},
        **ZH,
    )
    assert moved.status_code == 302 and Transfer.objects.count() == 1
    assert browser.post(f"/labor/transfers/{Transfer.objects.get().pk}/receipt/", **ZH).status_code == 302
    person = browser.get(f"/labor/persons/{city.person.pk}/", **ZH)
    assert person.status_code == 200 and row.reference in person.content.decode()
    refused = browser.post(
        "/labor/register/petitions/", {"channel": "letter", "subject": "", "idempotency_key": "k"}, **ZH
    )
    assert refused.status_code == 422
    recorded = browser.post(
        "/labor/register/fraud-cases/",
        {
            "fraud_kind": "impersonation",
            "found_by": "report",
            "amount": "100",
            "description": "冒领",
            "id_number": city.person.id_number,
            "idempotency_key": "pf",
        },
        **ZH,
    )
    assert recorded.status_code == 302
    assert sign_in(Client(), city.clerk).get("/labor/register/", **ZH).status_code == 403
    employer = browser.get(f"/labor/employers/{city.employer.credit_code}/", **ZH)
    assert row.reference in employer.content.decode()
    # an arbitrator reaches the person's view from the arbitration case
    from hrss.labor.tests.builders import accepted, make_arbitrator

    case = accepted(city)
    arbitrator = sign_in(Client(), make_arbitrator())
    page = arbitrator.get(f"/labor/cases/{case.reference}/", **ZH).content.decode()
    assert f"/labor/persons/{city.person.pk}/" in page


def test_demo_petition_and_transfer_are_idempotent(db):
    from hrss.codes import examples
    from hrss.labor.demo import demo_register
    from hrss.testing import make_employer, make_person

    make_person(id_number=examples.ID_NUMBER, name=examples.PERSON_NAME)
    make_employer(credit_code=examples.CREDIT_CODE, name="天津示范科技有限公司")
    make_person(name="合成人")  # someone else in the registry, never picked up
    first = demo_register()
    assert demo_register() == first and len(first) == 1
    assert Petition.objects.count() == 1 and Transfer.objects.get().received_at is None
