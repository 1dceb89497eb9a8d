"""Reconciliation (S4, S7): an institution's daily settlement file and the differences against
its own list, idempotent per institution and day; the bank's payments imported and business
against finance per institution, a planted difference listed; staff API and pages, scoped."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.employment.tests.builders import agency_client
from hrss.identity.auth import token_create
from hrss.medical import reconcile, selectors, services
from hrss.medical.models import BankPayment, Claim, Institution, SettlementReconciliation
from hrss.medical.tests.builders import BEIJING, COMMUNITY, HOSPITAL, PIN, hospital_scope, insured, lines
from hrss.testing import make_user, sign_in

pytestmark = pytest.mark.django_db
D = Decimal
SUPERVISOR = Scope(actor="supervisor", roles=frozenset({roles.FUND_SUPERVISOR}), districts=frozenset({"120101"}))
ELSEWHERE = Scope(actor="supervisor-hx", roles=frozenset({roles.FUND_SUPERVISOR}), districts=frozenset({"120103"}))
CLERK = Scope(actor="clerk", roles=frozenset({roles.COUNTER_CLERK}), districts=None)
VISIT = (("110200001", "1", "500"),)


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def settle(card, transaction_id: str, code: str = HOSPITAL) -> Claim:
    return services.claim_settle(
        scope=hospital_scope(code),
        transaction_id=transaction_id,
        card_number=card.number,
        card_pin=PIN,
        visit=services.Visit(pooling="outpatient", lines=lines(*VISIT), use_account=False),
    )


def to_yesterday() -> None:
    noon = timezone.make_aware(dt.datetime.combine(yesterday(), dt.time(12)))
    Claim.objects.update(created_at=noon)


def line(claim: Claim, **changed: str) -> reconcile.Line:
    amounts = {name: getattr(claim, name) for name in reconcile.AMOUNTS}
    amounts.update({name: D(value) for name, value in changed.items()})
    return reconcile.Line(transaction_id=claim.transaction_id, kind=claim.kind, amounts=amounts)


@pytest.fixture
def day(tmp_path):
    """Yesterday at the hospital: T1, T2 reversed by R2, T3, T4."""
    _person, card = insured(tmp_path)
    claims = {tid: settle(card, tid) for tid in ("T1", "T2", "T3", "T4")}
    claims["R2"] = services.claim_reverse(scope=hospital_scope(), transaction_id="R2", original_transaction_id="T2")
    to_yesterday()
    for claim in claims.values():
        claim.refresh_from_db()
    return claims


def their_list(claims: dict[str, Claim]) -> list[reconcile.Line]:
    """The hospital's list: T1 as ours, T2 without its reversal, T3 with another fund share, T4
    missing, and X9 we never settled."""
    return [
        line(claims["T1"]),
        line(claims["T2"]),
        line(claims["T3"], fund="1.00"),
        reconcile.Line("X9", "settlement", {"total": D("10"), "fund": D("5"), "account": D(0), "cash": D("5")}),
    ]


def test_the_settlement_file_has_a_header_every_line_and_the_totals(day):
    data, digest = selectors.settlement_file(scope=hospital_scope(), day=yesterday())
    assert digest == hashlib.sha256(data).hexdigest()
    rows = data.decode().splitlines()
    assert rows[0] == ",".join(reconcile.FILE_COLUMNS)
    assert sorted(row.split(",")[0] for row in rows[1:-1]) == ["R2", "T1", "T2", "T3", "T4"]
    assert "R2,reversal,T2," in data.decode()
    total_fund = sum(claim.fund for claim in day.values())
    assert rows[-1].split(",")[:2] == ["TOTAL", "5"] and D(rows[-1].split(",")[6]) == total_fund
    assert AuditEntry.objects.filter(action="medical.settlement_file.read").exists()
    # Another day, another institution: nothing of this one.
    assert selectors.settlement_file(scope=hospital_scope(COMMUNITY), day=yesterday())[0].decode().count("\n") == 2
    with pytest.raises(InvalidInput):
        selectors.settlement_file(scope=hospital_scope(), day=timezone.localdate() + dt.timedelta(days=1))


def test_the_reconciliation_lists_every_kind_of_difference_and_a_retry_answers_the_same(day):
    hospital = hospital_scope()
    record = services.reconciliation_submit(scope=hospital, day=yesterday(), lines=their_list(day))
    found = {(item.kind, item.transaction_id) for item in record.differences.all()}
    assert found == {
        ("ours_only", "T4"),
        ("theirs_only", "X9"),
        ("amount_mismatch", "T3"),
        ("reversed_one_side", "R2"),
    }
    assert (record.lines_ours, record.lines_theirs, record.matched) == (5, 4, 2)
    mismatch = record.differences.get(kind="amount_mismatch")
    assert (
        mismatch.note == "fund" and mismatch.theirs["fund"] == "1.00" and mismatch.ours["fund"] == str(day["T3"].fund)
    )
    assert record.differences.get(kind="reversed_one_side").note == "T2"
    assert AuditEntry.objects.filter(action="medical.reconcile", object_id=str(record.pk)).exists()
    # A retry (the same list in another order) answers the same record; another list is refused.
    again = services.reconciliation_submit(scope=hospital, day=yesterday(), lines=list(reversed(their_list(day))))
    assert again.pk == record.pk and SettlementReconciliation.objects.count() == 1
    with pytest.raises(Conflict) as other:
        services.reconciliation_submit(scope=hospital, day=yesterday(), lines=their_list(day)[:2])
    assert other.value.code == "medical_reconciliation_exists"


def test_a_full_list_is_balanced(day):
    record = services.reconciliation_submit(
        scope=hospital_scope(), day=yesterday(), lines=[line(claim) for claim in day.values()]
    )
    assert record.matched == 5 and not record.differences.exists() and record.fund_ours == record.fund_theirs


def test_refusals(day):
    hospital = hospital_scope()
    with pytest.raises(InvalidInput) as today:
        services.reconciliation_submit(scope=hospital, day=timezone.localdate(), lines=[])
    assert today.value.code == "medical_day_not_over"
    with pytest.raises(InvalidInput) as twice:
        services.reconciliation_submit(scope=hospital, day=yesterday(), lines=[line(day["T1"]), line(day["T1"])])
    assert twice.value.code == "medical_duplicate_transaction"
    with pytest.raises(PermissionDenied):
        services.reconciliation_submit(scope=hospital_scope(HOSPITAL, "card:verify"), day=yesterday(), lines=[])
    with pytest.raises(PermissionDenied):
        selectors.reconciliations(scope=CLERK)
    assert not SettlementReconciliation.objects.exists()


def _bound_client(code: str = HOSPITAL) -> Client:
    name = f"his-{code}"
    client = agency_client(name=name, scopes=(services.GRANT,))
    Institution.objects.filter(code=code).update(client_name=name)
    return client


def _body(claims: dict[str, Claim]) -> dict:
    return {
        "date": yesterday().isoformat(),
        "lines": [
            {
                "transaction_id": item.transaction_id,
                "kind": item.kind,
                **{name: str(value) for name, value in item.amounts.items()},
            }
            for item in their_list(claims)
        ],
    }


def test_the_institution_downloads_its_file_and_reconciles_through_the_api(day):
    his = _bound_client()
    url = f"/api/v1/medical/settlement-files/{yesterday().isoformat()}"
    got = his.get(url)
    assert got.status_code == 200 and got["Content-Type"].startswith("text/csv")
    assert got["X-Content-SHA256"] == hashlib.sha256(got.content).hexdigest()
    assert got.content.decode().splitlines()[-1].startswith("TOTAL,5,")
    answer = his.post("/api/v1/medical/settlement-files", _body(day), "application/json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert not body["balanced"] and len(body["differences"]) == 4
    assert body["sha256"] == got["X-Content-SHA256"]
    assert his.post("/api/v1/medical/settlement-files", _body(day), "application/json").json()["id"] == body["id"]
    assert his.get(url + "/reconciliation").json()["id"] == body["id"]
    # Bad input is a 4xx in the one error shape, never a 500.
    for bad in (
        {**_body(day), "lines": [{"transaction_id": "A", "total": "abc", "fund": "1", "account": "0", "cash": "0"}]},
        {**_body(day), "lines": [{"transaction_id": "A", "total": "NaN", "fund": "1", "account": "0", "cash": "0"}]},
        {**_body(day), "lines": [{"transaction_id": "A", "total": "1.001", "fund": "1", "account": "0", "cash": "0"}]},
        {**_body(day), "date": "yesterday"},
        {"lines": []},
    ):
        refused = his.post("/api/v1/medical/settlement-files", bad, "application/json")
        assert refused.status_code == 422, refused.content
        assert set(refused.json()) == {"code", "message", "fields"}
    for path in ("not-a-date", (timezone.localdate() + dt.timedelta(days=3)).isoformat()):
        refused = his.get(f"/api/v1/medical/settlement-files/{path}")
        assert refused.status_code == 422 and set(refused.json()) == {"code", "message", "fields"}
    assert (
        his.get(f"/api/v1/medical/settlement-files/{timezone.localdate().isoformat()}/reconciliation").status_code
        == 404
    )


def test_the_settlement_file_costs_the_same_queries_however_many_lines(day, django_assert_max_num_queries):
    his = _bound_client()
    template = day["T1"]
    copies = []
    for number in range(60):
        copy = Claim.objects.get(pk=template.pk)
        copy.pk = None
        copy.transaction_id = f"BULK-{number}"
        copies.append(copy)
    Claim.objects.bulk_create(copies)
    to_yesterday()
    with django_assert_max_num_queries(8):
        got = his.get(f"/api/v1/medical/settlement-files/{yesterday().isoformat()}")
    assert got.status_code == 200 and got.content.decode().count("BULK-") == 60


def test_staff_see_the_reconciliations_of_their_districts(day, django_assert_max_num_queries):
    record = services.reconciliation_submit(scope=hospital_scope(), day=yesterday(), lines=their_list(day))
    for offset in range(1, 30):  # more reconciled days, to see the list's queries stay flat
        SettlementReconciliation.objects.create(
            institution=record.institution,
            day=yesterday() - dt.timedelta(days=offset),
            request_hash="x",
            sha256="y",
            created_by="test",
        )
    listed = selectors.reconciliations(scope=SUPERVISOR, with_differences=True)
    assert [(r.pk, r.difference_count) for r in listed] == [(record.pk, 4)]
    assert selectors.reconciliations(scope=ELSEWHERE) == []
    with pytest.raises(NotFound):
        selectors.reconciliation(scope=ELSEWHERE, reconciliation_id=record.pk)

    user = make_user("medical-recon", roles.FUND_SUPERVISOR, districts=["120101"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
    with django_assert_max_num_queries(6):
        listing = api.get("/api/v1/medical/reconciliations?limit=100")
    assert listing.status_code == 200 and len(listing.json()) == 30
    detail = api.get(f"/api/v1/medical/reconciliations/{record.pk}").json()
    assert {d["kind"] for d in detail["differences"]} == set(reconcile.DIFFERENCE_KINDS)

    client = sign_in(Client(), user)
    page = client.get("/medical/reconciliations/?differences=1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and str(record.pk) in page.content.decode()
    shown = client.get(f"/medical/reconciliations/{record.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "X9" in shown and "T4" in shown and "R2" in shown
    clerk = sign_in(Client(), make_user("medical-recon-clerk", roles.COUNTER_CLERK))
    assert clerk.get("/medical/reconciliations/").status_code == 403


# --- business against finance (S7) ---------------------------------------------------------------


def bank_file(*rows: tuple[str, str, str, str, str]) -> bytes:
    text = "reference,institution_code,paid_on,period,amount\n" + "".join(",".join(row) + "\n" for row in rows)
    return text.encode()


@pytest.fixture
def month(tmp_path):
    """This month: the hospital owes four visits' fund share, the community centre two
    (the first all deductible)."""
    _person, card = insured(tmp_path)
    hospital = sum((settle(card, f"H{n}").fund for n in range(2)), D(0))
    community = sum((settle(card, f"C{n}", COMMUNITY).fund for n in range(2)), D(0))
    return timezone.localdate(), hospital, community


def test_a_planted_difference_is_listed_per_institution_and_day(month):
    today, hospital_owed, community_owed = month
    key = today.strftime("%Y-%m")
    data = bank_file(
        ("BK-1", HOSPITAL, today.isoformat(), key, str(hospital_owed)),  # paid for the month, in full
        ("BK-2", COMMUNITY, today.isoformat(), today.isoformat(), str(community_owed - D("10.00"))),  # 10 short
    )
    report = services.bank_payments_import(scope=SUPERVISOR, data=data, filename="bank-1.csv")
    assert (report.imported, report.unchanged) == (2, 0)
    finance = {line.institution.code: line for line in selectors.finance(scope=SUPERVISOR, month=key)}
    assert finance[HOSPITAL].difference == 0 and not finance[HOSPITAL].paid_daily
    assert finance[COMMUNITY].difference == D("10.00") and finance[COMMUNITY].paid_daily
    assert [(day.period, day.difference) for day in finance[COMMUNITY].days] == [(today.isoformat(), D("10.00"))]
    only = selectors.finance(scope=SUPERVISOR, month=key, differences_only=True)
    assert [line.institution.code for line in only] == [COMMUNITY]
    assert selectors.finance(scope=ELSEWHERE, month=key) == []
    # The same file again changes nothing; other figures under a known reference are refused whole.
    assert services.bank_payments_import(scope=SUPERVISOR, data=data, filename="bank-1.csv").unchanged == 2
    changed = bank_file(
        ("BK-3", HOSPITAL, today.isoformat(), key, "1.00"), ("BK-1", HOSPITAL, today.isoformat(), key, "2.00")
    )
    with pytest.raises(InvalidInput) as refused:
        services.bank_payments_import(scope=SUPERVISOR, data=changed, filename="bank-2.csv")
    assert refused.value.code == "medical_bank_file_invalid" and "line 3" in refused.value.fields
    assert BankPayment.objects.count() == 2


def test_a_bad_bank_file_is_refused_and_only_finance_roles_import(month):
    today = month[0]
    for data in (
        b"reference,amount\nA,1\n",
        bank_file(("A", "NOPE", today.isoformat(), "2026-01", "1.00")),
        bank_file(("A", HOSPITAL, "yesterday", "2026-01", "1.00")),
        bank_file(("A", HOSPITAL, today.isoformat(), "2026-13", "1.00")),
        bank_file(("A", HOSPITAL, today.isoformat(), "2026-01", "NaN")),
        bank_file(("A", HOSPITAL, today.isoformat(), "2026-01", "1.005")),
        bank_file(
            ("A", HOSPITAL, today.isoformat(), "2026-01", "1"), ("A", HOSPITAL, today.isoformat(), "2026-01", "1")
        ),
        b"\xff\xfe",
    ):
        with pytest.raises(InvalidInput):
            services.bank_payments_import(scope=SUPERVISOR, data=data, filename="bad.csv")
    with pytest.raises(PermissionDenied):
        services.bank_payments_import(scope=CLERK, data=bank_file(), filename="x.csv")
    with pytest.raises(InvalidInput):
        selectors.finance(scope=SUPERVISOR, month="2026-13")
    assert not BankPayment.objects.exists()


def test_the_finance_api_page_and_command(month, tmp_path, django_assert_max_num_queries):
    from io import StringIO

    from django.core.management import call_command

    today, hospital_owed, _community = month
    key = today.strftime("%Y-%m")
    path = tmp_path / "bank.csv"
    path.write_bytes(bank_file(("BK-9", HOSPITAL, today.isoformat(), key, str(hospital_owed - D("0.50")))))
    out = StringIO()
    call_command("medical", "bank-import", str(path), stdout=out)
    assert "1 payments imported" in out.getvalue()
    out = StringIO()
    call_command("medical", "finance", "--month", key, "--differences", stdout=out)
    assert f"{HOSPITAL} owed {hospital_owed} paid {hospital_owed - D('0.50')} difference 0.50" in out.getvalue()

    user = make_user("medical-finance", roles.FUND_SUPERVISOR, districts=["120101"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
    with django_assert_max_num_queries(6):
        got = api.get(f"/api/v1/medical/finance?month={key}&differences_only=true")
    assert got.status_code == 200, got.content
    assert [(row["institution_code"], row["difference"]) for row in got.json()] == [
        (HOSPITAL, "0.50"),
        (COMMUNITY, str(_community)),
    ]
    bad = api.get("/api/v1/medical/finance?month=2026-13")
    assert bad.status_code == 422 and set(bad.json()) == {"code", "message", "fields"}
    reviewer = make_user("medical-finance-rv", roles.REVIEWER, districts=["120101"])
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=reviewer)}")
        .get(f"/api/v1/medical/finance?month={key}")
        .status_code
        == 403
    )
    page = sign_in(Client(), user).get(f"/medical/finance/?month={key}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "0.50" in page.content.decode()


# --- cross-region clearing (S5) --------------------------------------------------------------------


def test_clearing_statements_per_other_region_are_built_and_recorded_as_sent(
    tmp_path, settings, django_assert_max_num_queries
):
    import json

    from hrss.medical import clearing

    settings.HRSS_MEDICAL_CLEARING_DIR = str(tmp_path / "clearing")
    _visitor, visitor_card = insured(tmp_path / "a", region="110100")  # insured in Beijing, treated here
    _local, local_card = insured(tmp_path / "b")  # insured here, treated in Beijing
    here = settle(visitor_card, "V1")
    there = services.claim_settle(
        scope=hospital_scope(BEIJING),
        transaction_id="B1",
        card_number=local_card.number,
        card_pin=PIN,
        visit=services.Visit(pooling="inpatient", lines=lines(("120100001", "20", "100")), use_account=True),
    )
    settle(local_card, "L1")  # at home: no clearing
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    Claim.objects.update(created_at=timezone.make_aware(dt.datetime.combine(last_month, dt.time(12))))
    key = last_month.strftime("%Y-%m")
    [statement] = selectors.clearing_statements(scope=SUPERVISOR, month=key)
    assert (statement.other_region, statement.receivable_claims, statement.payable_claims) == ("110100", 1, 1)
    assert statement.receivable == here.fund + here.account and statement.payable == there.fund + there.account
    assert statement.net == statement.receivable - statement.payable
    with pytest.raises(InvalidInput) as not_over:
        services.clearing_send(scope=SUPERVISOR, month=timezone.localdate().strftime("%Y-%m"))
    assert not_over.value.code == "medical_month_not_over"
    with pytest.raises(PermissionDenied):
        services.clearing_send(scope=CLERK, month=key)

    clearing.sent.clear()
    user = make_user("medical-clearing", roles.FUND_SUPERVISOR, districts=["120101"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
    with django_assert_max_num_queries(6):
        listed = api.get(f"/api/v1/medical/clearing?month={key}")
    assert listed.status_code == 200 and listed.json()[0]["net"] == str(statement.net)
    sent = api.post(f"/api/v1/medical/clearing/{key}/send")
    assert sent.status_code == 200, sent.content
    assert sent.json()[0]["reference"] == f"recorded-{statement.statement_id}"
    written = json.loads((tmp_path / "clearing" / f"{statement.statement_id}.json").read_text())
    assert written["other_region"] == "110100" and written["net"] == str(statement.net)
    assert [s.statement_id for s in clearing.sent] == [statement.statement_id]
    assert AuditEntry.objects.filter(action="medical.clearing.send", object_id=statement.statement_id).exists()
    assert api.post("/api/v1/medical/clearing/2026-13/send").status_code == 422
    page = sign_in(Client(), user).get(f"/medical/finance/?month={key}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "110100" in page.content.decode()


# --- the pure parts and the request example ------------------------------------------------------


def test_compare_and_the_file_pure():
    amounts = {"total": D("10"), "fund": D("5"), "account": D("0"), "cash": D("5")}
    ours = [reconcile.Line("A", "settlement", amounts), reconcile.Line("B", "refund", amounts)]
    theirs = [
        reconcile.Line("A", "settlement", amounts),
        reconcile.Line("B", "settlement", {**amounts, "cash": D("6")}),
    ]
    result = reconcile.compare(ours, theirs)
    assert result.matched == 1 and [(d.kind, d.note) for d in result.differences] == [("amount_mismatch", "kind,cash")]
    assert (
        reconcile.settlement_file([]).decode()
        == ",".join(reconcile.FILE_COLUMNS) + "\nTOTAL,0,,,,0.00,0.00,0.00,0.00\n"
    )
    rows, problems = reconcile.bank_file_parse(bank_file(("R", "H", "2026-11-30", "2026-11-31", "1.00")))
    assert rows == [] and problems[0][0] == 2


def test_the_request_example_is_valid(settings):
    from hrss.medical.schemas import MedicalReconciliationIn

    example = MedicalReconciliationIn.model_config["json_schema_extra"]["examples"][0]
    parsed = MedicalReconciliationIn.model_validate(example)
    assert parsed.lines[1].kind == "reversal" and parsed.lines[1].fund == D("-98.40")


def test_our_regions_are_those_under_the_city_code(settings):
    from hrss.medical import clearing

    settings.HRSS_CITY_REGION = "120000"
    assert clearing.home_prefix() == "12"
    settings.HRSS_CITY_REGION = "320500"
    assert clearing.home_prefix() == "3205"


def test_the_back_office_shows_reconciliations_and_payments_read_only(day):
    record = services.reconciliation_submit(scope=hospital_scope(), day=yesterday(), lines=their_list(day))
    services.bank_payments_import(
        scope=SUPERVISOR,
        data=bank_file(("BK-A", HOSPITAL, yesterday().isoformat(), "2026-11", "1.00")),
        filename="b.csv",
    )
    root = make_user("medical-recon-root", "administrator", city_wide=True, is_staff=True, is_superuser=True)
    client = sign_in(Client(), root)
    for url in (
        "/admin/medical/settlementreconciliation/",
        f"/admin/medical/settlementreconciliation/{record.pk}/change/",
        "/admin/medical/bankpayment/",
    ):
        assert client.get(url).status_code == 200, url
    assert (
        client.post(f"/admin/medical/settlementreconciliation/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    )
