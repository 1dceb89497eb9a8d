"""The medical app's part of the dossier (A4): the person's insurance and cross-region filings,
and the settlements institutions made for them, the latest first, in a few queries however
many visits the person has had."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from hrss.medical import dossier, services
from hrss.medical.tests.builders import BILL, PIN, SYSTEM, hospital_scope, insured, lines
from hrss.testing import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def settle(hospital, card, transaction_id, *, days_ago=0, pooling="outpatient"):
    visit = services.Visit(
        pooling=pooling, lines=lines(*BILL), visit_date=timezone.localdate() - dt.timedelta(days=days_ago)
    )
    return services.claim_settle(
        scope=hospital, transaction_id=transaction_id, card_number=card.number, card_pin=PIN, visit=visit
    )


def file(person, reference, *, start, end=None, kind="long_term", region="110100"):
    return services.filing_record(
        scope=SYSTEM,
        person_id=person.pk,
        kind=kind,
        region=region,
        valid_from=start,
        valid_to=end,
        reference=reference,
    )


def sections(person, limit=20):
    return {s.key: s for s in dossier.person_sections(person.pk, on=timezone.localdate(), limit=limit)}


def test_region_names_read_the_national_codes():
    assert dossier.region_name("110100") == "北京市"
    assert dossier.region_name("130100") == "河北省石家庄市"
    assert dossier.region_name("990000") == "990000"


def test_the_insured_sees_their_insurance_and_filings_newest_first(tmp_path):
    person, _card = insured(tmp_path)
    file(person, "YB-T-1", start=dt.date(2025, 3, 1), end=dt.date(2025, 9, 30))
    file(person, "YB-T-2", start=dt.date(2026, 1, 5), kind="referral", region="130100")

    section = sections(person)["medical.insurance"]
    assert (section.title, section.total, section.order) == ("基本医疗保险", 3, 40)
    latest, earlier, insurance = section.entries
    assert latest.title == "异地就医备案：转诊转院" and latest.reference == "YB-T-2"
    assert latest.detail == "河北省石家庄市，2026-01-05 至 长期"
    assert earlier.detail == "北京市，2025-03-01 至 2025-09-30" and earlier.on == dt.date(2025, 3, 1)
    assert insurance.title == "基本医疗保险：在职职工" and insurance.on == dt.date(2015, 1, 1)
    assert insurance.status == "参保中" and insurance.link == "/medical/"


def test_settlements_come_newest_first_with_the_amounts_and_reversals_said(tmp_path):
    person, card = insured(tmp_path)
    hospital = hospital_scope()
    older = settle(hospital, card, "T-OLD", days_ago=3)
    newer = settle(hospital, card, "T-NEW", days_ago=1)
    services.claim_reverse(scope=hospital, transaction_id="T-REV", original_transaction_id="T-NEW")

    section = sections(person)["medical.claims"]
    assert (section.title, section.total) == ("医疗费用结算", 3)
    # the reversal carries the visit's day and comes after the settlement it undoes
    assert [e.reference for e in section.entries] == ["T-REV", "T-NEW", "T-OLD"]
    assert section.entries[0].on == newer.visit_date
    by_ref = {e.reference: e for e in section.entries}
    entry = by_ref["T-OLD"]
    assert entry.on == older.visit_date and entry.status == "" and entry.link == "/medical/"
    assert entry.title.endswith(" · 结算")
    assert entry.detail == (
        f"门诊统筹；总费用 {older.total:.2f} 元，基金支付 {older.fund:.2f} 元，"
        f"个人账户支付 {older.account:.2f} 元，现金支付 {older.cash:.2f} 元"
    )
    assert older.total == Decimal("250.00")
    assert by_ref["T-NEW"].status == "已冲正" and by_ref["T-REV"].title.endswith(" · 冲正")


def test_a_person_without_medical_records_gets_no_section():
    assert dossier.person_sections(make_person(name="未参保").pk, on=timezone.localdate(), limit=20) == []


def test_the_limit_and_the_queries_stay_small_however_many_visits(tmp_path, django_assert_max_num_queries):
    person, card = insured(tmp_path)
    hospital = hospital_scope()
    for n in range(8):
        settle(hospital, card, f"T-{n}", days_ago=n)
        file(person, f"YB-Q-{n}", start=dt.date(2025, 1, 1) + dt.timedelta(days=30 * n), end=None)
    with django_assert_max_num_queries(5):
        found = sections(person, limit=3)
    claims = found["medical.claims"]
    assert claims.total == 8 and [e.reference for e in claims.entries] == ["T-0", "T-1", "T-2"]
    insurance = found["medical.insurance"]
    assert insurance.total == 9 and [e.reference for e in insurance.entries] == ["YB-Q-7", "YB-Q-6", "YB-Q-5"]
