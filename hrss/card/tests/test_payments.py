"""Payment orders through the gateways, and reconciliation with each kind of difference."""

import datetime as dt
import json
from decimal import Decimal

import httpx
import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from hrss.card import reconcile, selectors, services
from hrss.card.models import CardUse, PaymentOrder
from hrss.card.reconcile import StatementLine
from hrss.card.tests.builders import active_card, holder_scope
from hrss.core import payments as core_payments
from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.testing import make_person

SUPERVISOR = Scope(actor="fund", roles=frozenset({"fund_supervisor"}), districts=None)


# --- the pure matcher -------------------------------------------------------------------------------


def line(reference, amount, number=2):
    return StatementLine(number, reference, Decimal(amount))


def test_every_kind_of_difference():
    ours = {"A": Decimal("10.00"), "B": Decimal("20.00"), "C": Decimal("30.00")}
    statement = [
        line("A", "10.00"),
        line("B", "25.00", 3),
        line("X", "5.00", 4),
        line("P", "7.00", 5),
        line("A", "10.00", 6),
    ]
    result = reconcile.reconcile(ours, statement, known_unpaid={"P": "pending"})
    assert [(d.kind, d.reference, d.note) for d in result] == [
        ("matched", "A", ""),
        ("missing", "C", ""),
        ("extra", "A", "duplicate line 6"),
        ("extra", "P", "order is pending in hrss"),
        ("extra", "X", "unknown reference"),
        ("amount_mismatch", "B", ""),
    ]


@given(
    st.dictionaries(st.text("ABCDEF", min_size=1, max_size=3), st.decimals("0.01", "999", places=2), max_size=12),
    st.lists(st.tuples(st.text("ABCDEF", min_size=1, max_size=3), st.decimals("0.01", "999", places=2)), max_size=12),
)
def test_every_reference_is_accounted_for_exactly_once_per_side(ours, rows):
    statement = [line(ref, amount, n) for n, (ref, amount) in enumerate(rows, start=2)]
    result = reconcile.reconcile(ours, statement)
    on_our_side = [d.reference for d in result if d.kind in ("matched", "missing", "amount_mismatch")]
    assert sorted(on_our_side) == sorted(ours)
    assert len([d for d in result if d.kind != "missing"]) == len(statement)


def test_statement_parsing():
    lines = reconcile.statement_parse("\ufeffreference,amount,bank_txn\nPO1,12.5,x\n,,\nPO2,3.00,y\n".encode())
    assert [(x.reference, x.amount, x.line) for x in lines] == [
        ("PO1", Decimal("12.50"), 2),
        ("PO2", Decimal("3.00"), 4),
    ]
    with pytest.raises(reconcile.StatementError):
        reconcile.statement_parse(b"ref,amt\nPO1,1\n")
    with pytest.raises(reconcile.StatementError):
        reconcile.statement_parse(b"reference,amount\nPO1,abc\n")
    with pytest.raises(reconcile.StatementError):
        reconcile.statement_parse(b"reference,amount\nPO1,NaN\n")


# --- orders and gateways ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_paying_with_the_card_account_goes_to_the_bank_and_shows_in_the_trail(tmp_path):
    card = active_card(tmp_path)
    core_payments.charges.clear()
    started = services.payment_order_create(
        scope=holder_scope(card.person),
        person=card.person,
        purpose="contribution",
        description="城乡居民养老保险 2026",
        amount=Decimal("300.00"),
        method="card_account",
        period="2026-01",
    )
    order = started.order
    assert (order.status, order.gateway, order.card_id) == ("paid", "bank", card.pk) and order.paid_at
    gateway, charge = core_payments.charges[-1]
    assert gateway == "bank" and charge.account == card.bank_account and charge.amount == Decimal("300.00")
    use = CardUse.objects.get(reference=order.reference)
    assert (use.kind, use.amount, use.person_id) == ("payment", Decimal("300.00"), card.person_id)


@pytest.mark.django_db
def test_a_card_bank_with_its_own_gateway_is_used(tmp_path, settings):
    settings.HRSS_CARD_PAYMENT_GATEWAYS = {
        **core_payments.DEFAULT_GATEWAYS,
        "bank-icbc": {"BACKEND": "hrss.core.payments.RecordingGateway"},
    }
    card = active_card(tmp_path)
    started = services.payment_order_create(
        scope=holder_scope(card.person),
        person=card.person,
        purpose="fee",
        description="补卡工本费",
        amount=Decimal("20.00"),
        method="card_account",
    )
    assert started.order.gateway == "bank-icbc"


@pytest.mark.django_db
def test_third_party_payment_waits_for_the_providers_notification(tmp_path):
    person = make_person()
    started = services.payment_order_create(
        scope=holder_scope(person),
        person=person,
        purpose="fee",
        description="考试报名费",
        amount=Decimal("80.00"),
        method="third_party",
    )
    order = started.order
    assert order.status == "pending" and started.redirect_url and order.card_id is None
    body = json.dumps({"reference": order.reference, "status": "paid", "amount": "80.00"}).encode()
    paid = services.payment_notification_apply(gateway_name="thirdparty", body=body, headers={})
    assert paid.status == "paid"
    again = services.payment_notification_apply(
        gateway_name="thirdparty", body=body.replace(b"paid", b"failed"), headers={}
    )
    assert again.status == "paid"  # final: a late or repeated callback changes nothing
    wrong = json.dumps({"reference": order.reference, "status": "paid", "amount": "1.00"}).encode()
    with pytest.raises(Conflict):
        services.payment_notification_apply(gateway_name="thirdparty", body=wrong, headers={})


@pytest.mark.django_db
def test_order_validation_and_who_may_pay():
    person, other = make_person(), make_person()
    with pytest.raises(InvalidInput) as invalid:
        services.payment_order_create(
            scope=holder_scope(person),
            person=person,
            purpose="gift",
            description=" ",
            amount=Decimal("1.001"),
            method="cash",
            period="2026-1",
        )
    assert set(invalid.value.fields) == {"purpose", "method", "amount", "period", "description"}
    with pytest.raises(PermissionDenied):
        services.payment_order_create(
            scope=holder_scope(other),
            person=person,
            purpose="fee",
            description="x",
            amount=Decimal("1"),
            method="third_party",
        )
    with pytest.raises(Conflict):  # no active card with a bank account
        services.payment_order_create(
            scope=holder_scope(person),
            person=person,
            purpose="fee",
            description="x",
            amount=Decimal("1"),
            method="card_account",
        )


def _signed_transport(key, answer):
    def handler(request: httpx.Request) -> httpx.Response:
        expected = core_payments.sign(key, request.headers[core_payments.TIMESTAMP_HEADER], request.content)
        if request.headers[core_payments.SIGNATURE_HEADER] != expected:
            return httpx.Response(401)
        return httpx.Response(200, json=answer)

    return httpx.MockTransport(handler)


@pytest.mark.django_db
def test_http_gateway_signs_its_requests_and_checks_callbacks(tmp_path, settings):
    import time

    key = "shared-secret"
    settings.HRSS_CARD_PAYMENT_GATEWAYS = {
        "bank": {
            "BACKEND": "hrss.core.payments.HttpGateway",
            "OPTIONS": {
                "base_url": "https://bank.invalid/api",
                "merchant_id": "M1",
                "key": key,
                "transport": _signed_transport(key, {"status": "pending", "gateway_reference": "B-77"}),
            },
        },
        "thirdparty": core_payments.DEFAULT_GATEWAYS["thirdparty"],
    }
    card = active_card(tmp_path)
    order = services.payment_order_create(
        scope=holder_scope(card.person),
        person=card.person,
        purpose="contribution",
        description="灵活就业缴费",
        amount=Decimal("1200.00"),
        method="card_account",
    ).order
    assert (order.status, order.gateway_reference) == ("pending", "B-77")
    body = json.dumps({"reference": order.reference, "status": "paid", "amount": "1200.00"}).encode()
    stamp = str(int(time.time()))
    with pytest.raises(PermissionDenied):
        services.payment_notification_apply(
            gateway_name="bank",
            body=body,
            headers={core_payments.TIMESTAMP_HEADER: stamp, core_payments.SIGNATURE_HEADER: "0" * 64},
        )
    stale = str(int(time.time()) - 3600)
    with pytest.raises(PermissionDenied):
        services.payment_notification_apply(
            gateway_name="bank",
            body=body,
            headers={
                core_payments.TIMESTAMP_HEADER: stale,
                core_payments.SIGNATURE_HEADER: core_payments.sign(key, stale, body),
            },
        )
    paid = services.payment_notification_apply(
        gateway_name="bank",
        body=body,
        headers={
            core_payments.TIMESTAMP_HEADER: stamp,
            core_payments.SIGNATURE_HEADER: core_payments.sign(key, stamp, body),
        },
    )
    assert paid.status == "paid"


@pytest.mark.django_db
def test_an_unreachable_gateway_charges_nothing_and_says_so(tmp_path, settings):
    def down(request):
        raise httpx.ConnectError("down")

    settings.HRSS_CARD_PAYMENT_GATEWAYS = {
        "thirdparty": {
            "BACKEND": "hrss.core.payments.HttpGateway",
            "OPTIONS": {
                "base_url": "https://pay.invalid",
                "merchant_id": "M",
                "key": "k",
                "transport": httpx.MockTransport(down),
            },
        },
    }
    person = make_person()
    with pytest.raises(core_payments.GatewayError):
        services.payment_order_create(
            scope=holder_scope(person),
            person=person,
            purpose="fee",
            description="x",
            amount=Decimal("5"),
            method="third_party",
        )
    assert PaymentOrder.objects.get().status == "created"  # left for the reconciliation to show


# --- reconciliation runs ------------------------------------------------------------------------------


def _paid(person, amount, *, reference, on):
    return PaymentOrder.objects.create(
        reference=reference,
        person=person,
        purpose="contribution",
        description="d",
        amount=Decimal(amount),
        method="card_account",
        gateway="bank",
        status="paid",
        paid_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0))),
        created_by="t",
    )


@pytest.mark.django_db
def test_a_daily_run_reports_matched_missing_extra_and_amount_differences():
    person = make_person()
    day = dt.date(2026, 3, 2)
    _paid(person, "100.00", reference="PO-A", on=day)
    _paid(person, "200.00", reference="PO-B", on=day)
    _paid(person, "300.00", reference="PO-C", on=day)
    _paid(person, "400.00", reference="PO-NEXTDAY", on=day + dt.timedelta(days=1))
    PaymentOrder.objects.create(
        reference="PO-P",
        person=person,
        purpose="fee",
        description="d",
        amount=Decimal("9.00"),
        method="card_account",
        gateway="bank",
        status="pending",
        created_by="t",
    )
    statement = b"reference,amount\nPO-A,100.00\nPO-B,210.00\nPO-X,50.00\nPO-P,9.00\n"
    run = services.reconciliation_run(
        scope=SUPERVISOR, gateway_name="bank", statement_date=day, data=statement, filename="icbc-20260302.csv"
    )
    assert (run.matched, run.missing, run.extra, run.amount_mismatch, run.balanced) == (1, 1, 2, 1, False)
    assert (run.total_ours, run.total_statement) == (Decimal("600.00"), Decimal("369.00"))
    items = {(i.kind, i.reference): i for i in run.items.all()}
    assert items[("amount_mismatch", "PO-B")].amount_statement == Decimal("210.00")
    assert items[("missing", "PO-C")].order.reference == "PO-C"
    assert items[("extra", "PO-P")].note == "order is pending in hrss"
    assert items[("extra", "PO-X")].order is None
    report = selectors.reconciliation_report_csv(run).decode()
    assert "amount_mismatch,PO-B,200.00,210.00," in report and "missing,PO-C,300.00,," in report


@pytest.mark.django_db
def test_a_balanced_day_and_who_may_reconcile():
    person = make_person()
    day = dt.date(2026, 3, 3)
    _paid(person, "100.00", reference="PO-1", on=day)
    run = services.reconciliation_run(
        scope=SUPERVISOR,
        gateway_name="bank",
        statement_date=day,
        data=b"reference,amount\nPO-1,100\n",
        filename="s.csv",
    )
    assert run.balanced and run.matched == 1
    with pytest.raises(PermissionDenied):
        services.reconciliation_run(
            scope=Scope(actor="c", roles=frozenset({"counter_clerk"})),
            gateway_name="bank",
            statement_date=day,
            data=b"",
            filename="s.csv",
        )
    with pytest.raises(InvalidInput):
        services.reconciliation_run(
            scope=SUPERVISOR, gateway_name="bank", statement_date=day, data=b"x,y\n", filename="s.csv"
        )
    with pytest.raises(InvalidInput):
        services.reconciliation_run(
            scope=SUPERVISOR, gateway_name="nobank", statement_date=day, data=b"reference,amount\n", filename="s.csv"
        )
