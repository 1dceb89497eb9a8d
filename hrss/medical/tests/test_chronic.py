"""门诊慢特病 (门特): a dated recognition staff record, and an outpatient visit flagged for the
recognised disease settling under the 门特 figures in force (its own deductible, bands and cap,
its running totals kept apart); refused without a recognition in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.medical import rules, services
from hrss.medical.models import ChronicDisease, Policy
from hrss.medical.tests.builders import HOSPITAL, PIN, hospital_scope, insured, lines

pytestmark = pytest.mark.django_db
CLERK = Scope(actor="clerk", roles=frozenset({roles.COUNTER_CLERK}), districts=None)
HYPERTENSION = "M03900"
BILL = (("110200001", "1", "50"), ("C10AA05", "28", "50"))  # 1,450 in all, 140 class B paid first


def settle(card, transaction_id: str, *, disease: str = "", pooling: str = "outpatient", rows=BILL):
    return services.claim_settle(
        scope=hospital_scope(HOSPITAL),
        transaction_id=transaction_id,
        card_number=card.number,
        card_pin=PIN,
        visit=services.Visit(pooling=pooling, lines=lines(*rows), use_account=False, disease=disease),
    )


def recognise(person, *, days_ago: int = 30, until: dt.date | None = None, disease: str = HYPERTENSION):
    today = timezone.localdate()
    return services.disease_recognise(
        scope=CLERK,
        person_id=person.pk,
        disease=disease,
        valid_from=today - dt.timedelta(days=days_ago),
        valid_to=until,
        diagnosed_by="天津医科大学总医院",
    )


def test_the_list_and_the_figures_are_data_with_their_source():
    assert ChronicDisease.objects.filter(code=HYPERTENSION).exists()
    for category in ("employee", "retiree", "resident"):
        figures = Policy.objects.get(region="120100", category_id=category, pooling="chronic", level="")
        assert figures.source and not figures.verified  # no official Tianjin figure found: marked so


def test_a_recognised_disease_settles_under_the_chronic_figures_with_totals_of_their_own(tmp_path):
    person, card = insured(tmp_path)
    recognise(person)
    assert AuditEntry.objects.filter(action="medical.disease_recognise").exists()
    figures = Policy.objects.get(region="120100", category_id="employee", pooling="chronic", level="")

    first = settle(card, "MT-1", disease=HYPERTENSION)
    expected = rules.settle(
        total=Decimal("1450"),
        out_of_catalogue=Decimal("0"),
        class_b_self_pay=Decimal("140"),
        deductible=figures.deductible,
        bands=figures.bands,
        cap_remaining=figures.annual_cap,
    )
    assert (first.pooling, first.disease, first.policy_id) == ("chronic", HYPERTENSION, figures.pk)
    assert first.fund == expected.fund and first.deductible_applied == figures.deductible

    # the same bill without the flag: the outpatient pool, whose deductible is still whole
    plain = settle(card, "OP-1")
    assert plain.pooling == "outpatient" and plain.policy.pooling == "outpatient"
    assert plain.deductible_applied == min(plain.scope, plain.policy.deductible)
    # a second 门特 visit: the 门特 deductible is used up
    second = settle(card, "MT-2", disease=HYPERTENSION)
    assert second.deductible_applied == 0 and second.fund == rules.money(second.scope * Decimal(figures.bands[0][1]))


def test_no_chronic_settlement_without_a_recognition_in_force(tmp_path):
    person, card = insured(tmp_path)
    with pytest.raises(Conflict) as refused:
        settle(card, "MT-1", disease=HYPERTENSION)
    assert refused.value.code == "medical_disease_not_recognised"
    recognise(person, days_ago=60, until=timezone.localdate() - dt.timedelta(days=1))  # ended yesterday
    with pytest.raises(Conflict):
        settle(card, "MT-2", disease=HYPERTENSION)
    with pytest.raises(InvalidInput):  # 门特 is an outpatient benefit
        settle(card, "MT-3", disease=HYPERTENSION, pooling="inpatient")


def test_recognition_is_staff_work_on_the_list_without_overlaps(tmp_path):
    person, _card = insured(tmp_path)
    citizen = Scope(actor="someone", roles=frozenset({roles.CITIZEN}), districts=None)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.disease_recognise(scope=citizen, person_id=person.pk, disease=HYPERTENSION, valid_from=today)
    with pytest.raises(InvalidInput):
        recognise(person, disease="X99999")
    recognise(person)
    with pytest.raises(Conflict) as overlap:
        recognise(person, days_ago=5)
    assert overlap.value.code == "medical_disease_recognised"
    recognise(person, disease="M01600")  # another disease: fine


def test_a_clerk_records_a_recognition_on_the_page_for_persons_of_their_districts_only(tmp_path):
    from django.test import Client

    from hrss.portal.tests.test_language import english_in
    from hrss.testing import make_user, sign_in

    person, _card = insured(tmp_path)  # lives in 120101
    clerk = sign_in(Client(), make_user("mt-clerk", "counter_clerk", districts=["120101"]))
    page = clerk.get("/medical/diseases/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and english_in(page.content.decode()) == []
    form = {
        "id_number": person.id_number,
        "disease": HYPERTENSION,
        "valid_from": timezone.localdate().isoformat(),
        "diagnosed_by": "天津医科大学总医院",
    }
    done = clerk.post("/medical/diseases/", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert done.status_code == 302
    from hrss.medical.models import DiseaseRecognition

    recognition = DiseaseRecognition.objects.get(person=person)
    assert (recognition.disease_id, recognition.recognised_by) == (HYPERTENSION, "mt-clerk")
    listed = clerk.get("/medical/diseases/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "天津医科大学总医院" in listed and person.name in listed
    assert AuditEntry.objects.filter(action="medical.disease_recognitions.read", actor="mt-clerk").exists()
    # the same disease again overlaps: the form says so and records nothing
    again = clerk.post("/medical/diseases/", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again.status_code == 422 and DiseaseRecognition.objects.count() == 1
    assert english_in(again.content.decode()) == []
    bad = clerk.post("/medical/diseases/", {**form, "id_number": "123"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 422
    # a clerk of another district neither sees nor recognises this person
    other = sign_in(Client(), make_user("mt-other", "counter_clerk", districts=["120102"]))
    assert person.name not in other.get("/medical/diseases/").content.decode()
    refused = other.post("/medical/diseases/", {**form, "disease": "M01600"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 422 and DiseaseRecognition.objects.count() == 1
    far = Scope(actor="far", roles=frozenset({roles.COUNTER_CLERK}), districts=frozenset({"120102"}))
    with pytest.raises(NotFound):
        services.disease_recognise(scope=far, person_id=person.pk, disease="M01600", valid_from=timezone.localdate())
    citizen = sign_in(Client(), make_user("mt-citizen", "citizen", person=person))
    assert citizen.get("/medical/diseases/").status_code == 403
