"""Settlement by a designated institution through the services: figures, running totals,
idempotency (the database backstop included), reversal, refund, cross-region terms, refusals."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.medical import policy, services
from hrss.medical.models import Claim, Insured
from hrss.medical.services import claims as claims_module
from hrss.medical.tests.builders import BEIJING, BILL, COMMUNITY, PIN, ecard_code, hospital_scope, insured, lines
from hrss.testing import make_person

D = Decimal
# An admission at a level-3 hospital: beds (A), a CT (B, 10 %), a drug (B, 10 %), a special ward (C),
# a stent (B, 30 %). Total 11,240; outside 800; class B share 30 + 14 + 2,400 = 2,444; in scope 7,996.
ADMISSION = (
    ("120100001", "20", "100"),
    ("210300001", "1", "300"),
    ("C10AA05", "28", "5"),
    ("120100015", "2", "400"),
    ("HC-C-0201", "1", "8000"),
)


def inpatient(use_account: bool = True) -> services.Visit:
    return services.Visit(pooling="inpatient", lines=lines(*ADMISSION), use_account=use_account)


def test_settlement_splits_the_bill_into_fund_account_and_cash(db, tmp_path):
    person, card = insured(tmp_path)
    hospital = hospital_scope()
    claim = services.claim_settle(
        scope=hospital, transaction_id="T1", ecard_code=ecard_code(person, card), visit=inpatient()
    )
    # Employee, level 3, inpatient: deductible 1,700 per admission, 85 % up to 10,000 (policies.csv).
    assert (claim.total, claim.out_of_catalogue, claim.class_b_self_pay, claim.scope) == (
        D("11240.00"),
        D("800.00"),
        D("2444.00"),
        D("7996.00"),
    )
    assert claim.fund == D("5351.60")  # (7,996 − 1,700) × 0.85
    assert (claim.patient, claim.account, claim.cash) == (D("5888.40"), D("500.00"), D("5388.40"))
    assert claim.lines.count() == 5
    assert Insured.objects.get(person=person).account_balance == D("0.00")
    assert AuditEntry.objects.filter(action="medical.settle", actor=hospital.actor, object_id=str(claim.pk)).exists()


def test_presettlement_writes_nothing_but_the_audit_entry(db, tmp_path):
    person, card = insured(tmp_path)
    hospital = hospital_scope()
    quote = services.claim_presettle(scope=hospital, card_number=card.number, card_pin=PIN, visit=inpatient())
    assert quote.fund == D("5351.60") and quote.pk is not None and not Claim.objects.exists()
    assert len(quote.pending_lines) == 5
    assert AuditEntry.objects.filter(action="medical.presettle", object_id=str(person.pk)).exists()
    assert Insured.objects.get(person=person).account_balance == D("500.00")


def test_the_same_transaction_settles_once(db, tmp_path):
    person, card = insured(tmp_path)
    hospital = hospital_scope()
    first = services.claim_settle(
        scope=hospital, transaction_id="T1", card_number=card.number, card_pin=PIN, visit=inpatient()
    )
    again = services.claim_settle(
        scope=hospital, transaction_id="T1", card_number=card.number, card_pin=PIN, visit=inpatient()
    )
    assert again.pk == first.pk and Claim.objects.count() == 1
    assert Insured.objects.get(person=person).account_balance == D("0.00")
    other = services.Visit(pooling="outpatient", lines=lines(*BILL))
    with pytest.raises(Conflict) as reused:
        services.claim_settle(scope=hospital, transaction_id="T1", card_number=card.number, card_pin=PIN, visit=other)
    assert reused.value.code == "medical_transaction_reused"


def test_a_duplicate_that_slips_past_the_check_is_stopped_by_the_database(db, tmp_path, monkeypatch):
    """As if a concurrent delivery had not yet seen the first: the unique constraint catches it,
    the duplicate answers the first settlement and the account is charged once."""
    person, card = insured(tmp_path)
    hospital = hospital_scope()
    first = services.claim_settle(
        scope=hospital, transaction_id="T1", card_number=card.number, card_pin=PIN, visit=inpatient()
    )
    real = claims_module._replay
    calls = {"n": 0}

    def blind(institution, transaction_id, request_hash):
        calls["n"] += 1
        return None if calls["n"] <= 2 else real(institution, transaction_id, request_hash)

    monkeypatch.setattr(claims_module, "_replay", blind)
    again = services.claim_settle(
        scope=hospital, transaction_id="T1", card_number=card.number, card_pin=PIN, visit=inpatient()
    )
    assert calls["n"] == 3  # both checks passed blind; the constraint's handler found the first
    assert again.pk == first.pk and Claim.objects.count() == 1
    assert Insured.objects.get(person=person).account_balance == D("0.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_settle_once(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("two writing connections need PostgreSQL (SQLite's test database is in memory)")
    person, card = insured(tmp_path)
    hospital = hospital_scope()
    barrier = threading.Barrier(4)
    results: list[object] = []

    def settle():
        try:
            barrier.wait(timeout=10)
            claim = services.claim_settle(
                scope=hospital, transaction_id="RACE", card_number=card.number, card_pin=PIN, visit=inpatient()
            )
            results.append(claim.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=settle) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 4 and len(set(results)) == 1
    assert Claim.objects.count() == 1
    assert Insured.objects.get(person=person).account_balance == D("0.00")


def test_reversal_undoes_the_settlement(db, tmp_path):
    person, card = insured(tmp_path)
    hospital = hospital_scope()
    original = services.claim_settle(
        scope=hospital, transaction_id="T1", card_number=card.number, card_pin=PIN, visit=inpatient()
    )
    reversal = services.claim_reverse(scope=hospital, transaction_id="R1", original_transaction_id="T1")
    assert (reversal.kind, reversal.fund, reversal.account, reversal.total) == (
        "reversal",
        D("-5351.60"),
        D("-500.00"),
        D("-11240.00"),
    )
    assert Insured.objects.get(person=person).account_balance == D("500.00")
    totals = policy.year_totals(person_id=person.pk, pooling="inpatient", year=original.visit_date.year)
    assert (totals.fund_paid, totals.deductible_used) == (D("0"), D("0"))
    assert services.claim_reverse(scope=hospital, transaction_id="R1", original_transaction_id="T1").pk == reversal.pk
    with pytest.raises(Conflict):
        services.claim_reverse(scope=hospital, transaction_id="R2", original_transaction_id="T1")
    with pytest.raises(Conflict):
        services.claim_refund(scope=hospital, transaction_id="F1", original_transaction_id="T1", line_numbers=[1])
    with pytest.raises(NotFound):
        services.claim_reverse(scope=hospital, transaction_id="R3", original_transaction_id="nope")


def test_refund_of_a_line_settles_the_rest_again(db, tmp_path):
    person, card = insured(tmp_path)
    hospital = hospital_scope()
    services.claim_settle(scope=hospital, transaction_id="T1", card_number=card.number, card_pin=PIN, visit=inpatient())
    refund = services.claim_refund(scope=hospital, transaction_id="F1", original_transaction_id="T1", line_numbers=[5])
    # Without the stent: total 3,240; outside 800; class B 44; in scope 2,396 → fund (2,396 − 1,700) × 0.85 = 591.60.
    assert (refund.total, refund.scope, refund.fund) == (D("-8000.00"), D("-5600.00"), D("591.60") - D("5351.60"))
    # patient now 3,240 − 591.60 = 2,648.40, still covering the 500 from the account: the refund is all cash.
    assert (refund.account, refund.cash) == (D("0.00"), D("-3240.00"))
    assert refund.lines.get().line_no == 5
    with pytest.raises(InvalidInput):
        services.claim_refund(scope=hospital, transaction_id="F2", original_transaction_id="T1", line_numbers=[5])
    # A later reversal undoes what is left, nothing twice.
    reversal = services.claim_reverse(scope=hospital, transaction_id="R1", original_transaction_id="T1")
    assert reversal.fund == D("-591.60") and reversal.lines.count() == 4
    assert sum(c.total for c in Claim.objects.filter(person_id=person.pk)) == 0
    assert Insured.objects.get(person=person).account_balance == D("500.00")


def test_the_outpatient_deductible_is_borne_once_a_year(db, tmp_path):
    _person, card = insured(tmp_path)
    community = hospital_scope(COMMUNITY)
    visit = services.Visit(pooling="outpatient", lines=lines(("110200001", "1", "500")), use_account=False)
    first = services.claim_settle(
        scope=community, transaction_id="O1", card_number=card.number, card_pin=PIN, visit=visit
    )
    assert (first.deductible_applied, first.fund) == (D("500.00"), D("0.00"))  # 800 a year, 500 borne
    second = services.claim_settle(
        scope=community, transaction_id="O2", card_number=card.number, card_pin=PIN, visit=visit
    )
    # 300 of the deductible left; level 1 pays 75 % of the other 200.
    assert (second.deductible_applied, second.fund) == (D("300.00"), D("150.00"))
    third = services.claim_settle(
        scope=community, transaction_id="O3", card_number=card.number, card_pin=PIN, visit=visit
    )
    assert third.fund == D("375.00")


def test_a_cross_region_visit_settles_under_the_insuring_regions_policy_with_the_reduced_ratio(db, tmp_path):
    _person, card = insured(tmp_path)
    beijing = hospital_scope(BEIJING)
    claim = services.claim_settle(
        scope=beijing, transaction_id="B1", card_number=card.number, card_pin=PIN, visit=inpatient()
    )
    assert claim.cross_region and not claim.referred
    assert claim.policy.region == "120100"  # 参保地政策
    assert claim.fund == D("4722.00")  # (7,996 − 1,700) × (0.85 − 0.10)


def test_refusals(db, tmp_path):
    _person, card = insured(tmp_path)
    hospital = hospital_scope()
    with pytest.raises(PermissionDenied):
        services.claim_settle(
            scope=hospital_scope(COMMUNITY, "card:verify"),
            transaction_id="X",
            card_number=card.number,
            card_pin=PIN,
            visit=inpatient(),
        )
    from hrss.card.tests.builders import agency_scope

    with pytest.raises(PermissionDenied):  # granted, but bound to no institution
        services.claim_settle(
            scope=agency_scope(services.GRANT),
            transaction_id="X",
            card_number=card.number,
            card_pin=PIN,
            visit=inpatient(),
        )
    with pytest.raises(InvalidInput):  # both identities
        services.claim_settle(
            scope=hospital,
            transaction_id="X",
            card_number=card.number,
            card_pin=PIN,
            ecard_code="abc",
            visit=inpatient(),
        )
    with pytest.raises(InvalidInput):
        services.claim_settle(scope=hospital, transaction_id="X", ecard_code="not-a-code", visit=inpatient())
    with pytest.raises(InvalidInput):
        services.claim_settle(
            scope=hospital,
            transaction_id="X",
            card_number=card.number,
            card_pin=PIN,
            visit=services.Visit(pooling="dental", lines=[]),
        )
    stranger = make_person()
    from hrss.card.tests.builders import active_card

    other_card = active_card(tmp_path, stranger)
    with pytest.raises(Conflict) as not_insured:
        services.claim_settle(
            scope=hospital, transaction_id="X", card_number=other_card.number, card_pin=PIN, visit=inpatient()
        )
    assert not_insured.value.code == "medical_not_insured"
    assert not Claim.objects.exists()


def test_an_unknown_code_is_outside_the_catalogue(db, tmp_path):
    _person, card = insured(tmp_path)
    visit = services.Visit(pooling="inpatient", lines=lines(("NOT-LISTED", "1", "99.99")))
    quote = services.claim_presettle(scope=hospital_scope(), card_number=card.number, card_pin=PIN, visit=visit)
    assert (quote.out_of_catalogue, quote.scope, quote.fund) == (D("99.99"), D("0.00"), D("0.00"))


def test_the_card_in_the_reader_needs_its_pin_and_must_be_in_service(db, tmp_path):
    from django.core.cache import cache

    from hrss.card import services as card_services
    from hrss.card.tests.builders import holder_scope

    cache.clear()
    person, card = insured(tmp_path)
    hospital = hospital_scope()
    for _attempt in range(claims_module.PIN_ATTEMPTS):
        with pytest.raises(PermissionDenied) as wrong:
            services.claim_presettle(scope=hospital, card_number=card.number, card_pin="000000", visit=inpatient())
        assert wrong.value.code == "card_pin_wrong"
    with pytest.raises(claims_module.CardLocked):  # locked here, even with the right PIN
        services.claim_presettle(scope=hospital, card_number=card.number, card_pin=PIN, visit=inpatient())
    cache.clear()
    card_services.card_report_temporary_loss(scope=holder_scope(person), card_id=card.pk)
    with pytest.raises(Conflict) as lost:  # a card reported lost settles nothing
        services.claim_settle(
            scope=hospital, transaction_id="L1", card_number=card.number, card_pin=PIN, visit=inpatient()
        )
    assert lost.value.code == "card_not_active" and not Claim.objects.exists()
