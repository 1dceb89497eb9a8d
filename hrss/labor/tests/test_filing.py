"""Employment filing (用工备案, L3): an employer's hires and leavers are its 增员/减员 in the
insurance app (read, never entered twice), its labour contracts are recorded by the employer,
and people employed beyond the grace month without a written contract are flagged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hrss.core.models import AuditEntry
from hrss.core.months import month_start
from hrss.core.scope import COUNTER_CLERK, Scope
from hrss.insurance import rules as insurance_rules
from hrss.insurance.services import enrolment_start, enrolment_stop
from hrss.labor import filing_selectors, rules
from hrss.labor.models import LabourContract
from hrss.labor.services import filing, projects, warning
from hrss.servicehall.tests.builders import bearer
from hrss.testing import make_employer, make_person, make_user, sign_in

D = dt.date
CLERK = Scope(actor="clerk-test", roles=frozenset({COUNTER_CLERK}), districts=None)
INSPECTOR = Scope(actor="inspector-test", roles=frozenset({"inspector"}), districts=frozenset({"120101"}))


# --- the rule -----------------------------------------------------------------------------------


def test_unsigned_from_counts_the_grace_month_after_the_hire_month():
    assert rules.unsigned_from(D(2026, 6, 1), 1) == D(2026, 8, 1)
    assert rules.unsigned_from(D(2026, 11, 1), 1) == D(2027, 1, 1)
    assert rules.unsigned_from(D(2026, 12, 1), 2) == D(2027, 3, 1)


def test_without_contract_flags_open_spells_past_the_grace_month():
    on = D(2026, 6, 15)
    spells = [
        ("signed", D(2026, 1, 1), None),
        ("unsigned", D(2026, 3, 1), None),
        ("new", D(2026, 5, 1), None),  # still within the grace month
        ("left", D(2025, 10, 1), D(2026, 2, 1)),  # no longer employed
        ("expired", D(2024, 1, 1), None),  # contract ran out in March, not renewed
        ("just_expired", D(2024, 1, 1), None),  # ran out in May: still within the grace
        ("future", D(2026, 1, 1), None),  # a contract that starts only later
    ]
    contracts = [
        rules.ContractTerm("signed", D(2026, 1, 5), D(2028, 1, 4)),
        rules.ContractTerm("expired", D(2024, 1, 1), D(2026, 3, 31)),
        rules.ContractTerm("just_expired", D(2024, 1, 1), D(2026, 5, 31)),
        rules.ContractTerm("future", D(2026, 7, 1), None),
    ]
    flagged = rules.without_contract(spells, contracts, on=on, grace_months=1)
    assert {person for person, _start in flagged} == {"unsigned", "expired", "future"}


# --- the filing over the insurance app's 增员/减员 ----------------------------------------------


def months_back(n: int) -> dt.date:
    return month_start(timezone.localdate(), n)


def staffed_employer(district: str = "120101", people: int = 4):
    """An employer with ``people`` hired (增员) through the insurance app's own service: the
    first hired 14 months ago, the others 3 months ago; the last one hired left (减员)."""
    employer = make_employer(district=district, name="测试建筑有限公司")
    persons = [make_person(name=f"工人{i}", district=district) for i in range(people)]
    for index, person in enumerate(persons):
        enrolment_start(
            scope=CLERK,
            person_id=person.pk,
            employer_id=employer.pk,
            insurance_types=[insurance_rules.PENSION, insurance_rules.MEDICAL],
            start_month=months_back(14 if index == 0 else 3),
        )
    enrolment_stop(
        scope=CLERK,
        person_id=persons[-1].pk,
        employer_id=employer.pk,
        insurance_types=[insurance_rules.PENSION, insurance_rules.MEDICAL],
        last_month=months_back(1),
        reason="left_employer",
    )
    return employer, persons


@pytest.mark.django_db
def test_filing_reads_hires_and_leavers_from_insurance_and_flags_unsigned():
    employer, persons = staffed_employer()
    filing.contract_record(
        scope=INSPECTOR,
        credit_code=employer.credit_code,
        id_number=persons[1].id_number,
        contract_type="open_ended",
        start_date=months_back(3),
        signed_on=months_back(3),
        idempotency_key="c1",
    )
    result = filing_selectors.employer_filing(scope=INSPECTOR, credit_code=employer.credit_code)
    # one row per spell, the two insurances enrolled together merged
    assert {s.person_id for s in result.hires} == {p.pk for p in persons[1:]}  # the first was hired before
    assert [s.person_id for s in result.leavers] == [persons[-1].pk]
    assert result.leavers[0].end_month == months_back(1) and result.leavers[0].stop_reason == "left_employer"
    assert [c.person_id for c in result.contracts] == [persons[1].pk]
    # employed without a contract past the grace month: the first (14 months) and the third (3 months)
    assert {s.person_id for s in result.unsigned} == {persons[0].pk, persons[2].pk}
    assert {s.person_name for s in result.unsigned} == {"工人0", "工人2"}
    entry = AuditEntry.objects.filter(action="labor.filing.read").latest("seq")
    assert entry.object_id == str(employer.pk)


@pytest.mark.django_db
def test_filing_is_for_inspectors_of_the_employers_district():
    employer, _persons = staffed_employer(district="120103")
    with pytest.raises(filing.NotFound):
        filing_selectors.employer_filing(scope=INSPECTOR, credit_code=employer.credit_code)
    arbitrator = Scope(actor="a", roles=frozenset({"arbitrator"}), districts=None)
    with pytest.raises(filing.PermissionDenied):
        filing_selectors.employer_filing(scope=arbitrator, credit_code=employer.credit_code)


@pytest.mark.django_db
def test_api_filing_in_a_bounded_number_of_queries(django_assert_max_num_queries):
    employer, persons = staffed_employer(people=25)
    client = bearer(make_user("inspector-filing", "inspector", districts=["120101"]))
    # authentication 3, employer, 增员/减员 facts, names, contracts, the grace parameter (and
    # filling the parameter cache the first time: 6), the audit entry — whatever the headcount
    with django_assert_max_num_queries(16):
        answer = client.get(f"/api/v1/labor/employers/{employer.credit_code}/filing")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert len(body["hires"]) == 24 and len(body["leavers"]) == 1
    assert {u["person_id"] for u in body["unsigned"]} == {str(p.pk) for p in persons[:-1]}
    assert all(u["unsigned"] for u in body["unsigned"])
    limited = client.get(f"/api/v1/labor/employers/{employer.credit_code}/filing", {"limit": 5})
    assert limited.status_code == 200 and len(limited.json()["hires"]) == 5
    assert client.get(f"/api/v1/labor/employers/{employer.credit_code}/filing", {"since": "May"}).status_code == 422
    other = bearer(make_user("inspector-hexi", "inspector", districts=["120103"]))
    assert other.get(f"/api/v1/labor/employers/{employer.credit_code}/filing").status_code == 404


@pytest.mark.django_db
def test_employer_agent_records_contracts_idempotently(city):
    person = city.person
    enrolment_start(
        scope=CLERK,
        person_id=person.pk,
        employer_id=city.employer.pk,
        insurance_types=[insurance_rules.PENSION],
        start_month=months_back(4),
    )
    agent = bearer(city.agent)
    url = f"/api/v1/labor/employers/{city.employer.credit_code}/contracts"
    body = {
        "id_number": person.id_number,
        "contract_type": "fixed_term",
        "start_date": months_back(4).isoformat(),
        "end_date": (months_back(4) + dt.timedelta(days=3 * 365)).isoformat(),
        "signed_on": months_back(4).isoformat(),
        "idempotency_key": "k1",
    }
    first = agent.post(url, body, content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["contract_type_label"] and first.json()["person_name"] == person.name
    again = agent.post(url, body, content_type="application/json")
    assert again.json()["id"] == first.json()["id"] and LabourContract.objects.count() == 1
    no_end = agent.post(url, {**body, "end_date": None, "idempotency_key": "k2"}, content_type="application/json")
    assert no_end.status_code == 422 and no_end.json()["fields"] == {"end_date": ""}
    other = make_employer(district="120101", name="别的单位")
    assert (
        agent.post(
            f"/api/v1/labor/employers/{other.credit_code}/contracts", body, content_type="application/json"
        ).status_code
        == 404
    )
    assert bearer(city.citizen).post(url, body, content_type="application/json").status_code == 403
    inspector = make_user("inspector-c", "inspector", districts=["120101"])
    answer = bearer(inspector).get(f"/api/v1/labor/employers/{city.employer.credit_code}/filing").json()
    assert answer["unsigned"] == [] and len(answer["contracts"]) == 1


@pytest.mark.django_db
def test_page_in_chinese(client):
    employer, _persons = staffed_employer()
    sign_in(client, make_user("inspector-page", "inspector", districts=["120101"]))
    page = client.get(f"/labor/employers/{employer.credit_code}/filing/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert "工人0" in text and "未签劳动合同" in text
    bad = client.get(f"/labor/employers/{employer.credit_code}/filing/?since=June", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 422


# --- construction projects: real-name roster, wage account, flags, the warning's rule ----------


def test_project_flags_rule():
    months = [D(2026, 4, 1), D(2026, 5, 1), D(2026, 6, 1)]
    projects = [("p", D(2026, 4, 10), None), ("ended", D(2025, 1, 1), D(2026, 3, 31))]
    roster = [("p", "paid", D(2026, 4, 10), None), ("p", "unpaid", D(2026, 5, 20), D(2026, 6, 5))]
    wages = {("p", "paid", m) for m in months} | {("p", "unpaid", D(2026, 5, 1))}
    deposits = {("p", D(2026, 4, 1)), ("p", D(2026, 6, 1))}
    unpaid, dry = rules.project_flags(projects, roster, wages, deposits, months=months)
    assert unpaid == [("p", "unpaid", D(2026, 6, 1))]
    assert dry == [("p", D(2026, 5, 1))]  # the ended project is not flagged


def project_with_roster(scope: Scope, employer, workers, started: dt.date):
    project = projects.project_register(
        scope=scope,
        credit_code=employer.credit_code,
        name="和平区示范小学改扩建工程",
        district="120101",
        wage_bank="中国建设银行天津和平支行",
        wage_account="1205 0162 5108 0000 0123",
        started_on=started,
        idempotency_key=f"project-{employer.credit_code}",
    )
    for index, person in enumerate(workers):
        projects.project_worker_add(
            scope=scope,
            reference=project.reference,
            id_number=person.id_number,
            team=f"班组{index}",
            start_date=started,
        )
    return project


@pytest.mark.django_db
def test_project_roster_wages_and_flags_through_the_api(django_assert_max_num_queries):
    employer = make_employer(district="120101", name="天津示范建工集团")
    workers = [make_person(name=f"农民工{i}") for i in range(6)]
    inspector = make_user("inspector-projects", "inspector", districts=["120101"])
    client = bearer(inspector)
    started = months_back(2)
    answer = client.post(
        "/api/v1/labor/projects",
        {
            "credit_code": employer.credit_code,
            "name": "和平区示范小学改扩建工程",
            "district": "120101",
            "wage_bank": "中国建设银行天津和平支行",
            "wage_account": "12050162510800000123",
            "started_on": started.isoformat(),
            "idempotency_key": "p1",
        },
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    reference = answer.json()["reference"]
    for person in workers:
        added = client.post(
            f"/api/v1/labor/projects/{reference}/workers",
            {"id_number": person.id_number, "team": "钢筋班组", "start_date": started.isoformat()},
            content_type="application/json",
        )
        assert added.status_code == 200, added.content
    for month in (months_back(2), months_back(1), months_back(0)):
        for index, person in enumerate(workers[1:]):  # the first worker is never paid
            entry = {
                "kind": "wage",
                "period": month.isoformat(),
                "amount_fen": 650000,
                "booked_on": month.isoformat(),
                "bank_reference": f"W{month:%Y%m}{index}",
                "id_number": person.id_number,
            }
            paid = client.post(
                f"/api/v1/labor/projects/{reference}/account-entries", entry, content_type="application/json"
            )
            assert paid.status_code == 200, paid.content
    deposit = {
        "kind": "deposit",
        "period": started.isoformat(),
        "amount_fen": 5_000_000,
        "booked_on": started.isoformat(),
    }
    client.post(
        f"/api/v1/labor/projects/{reference}/account-entries",
        {**deposit, "bank_reference": "D1"},
        content_type="application/json",
    )
    outsider = make_person(name="名单外")
    refused = client.post(
        f"/api/v1/labor/projects/{reference}/account-entries",
        {**deposit, "kind": "wage", "bank_reference": "W-x", "id_number": outsider.id_number},
        content_type="application/json",
    )
    assert refused.status_code == 422
    with django_assert_max_num_queries(12):
        detail = client.get(f"/api/v1/labor/projects/{reference}")
    assert detail.status_code == 200, detail.content
    body = detail.json()
    assert len(body["workers"]) == 6 and body["project"]["contractor_name"] == "天津示范建工集团"
    unpaid_months = {u["month"] for u in body["unpaid"] if u["person_id"] == str(workers[0].pk)}
    assert unpaid_months == {m.isoformat() for m in (months_back(2), months_back(1), months_back(0))}
    assert {u["person_id"] for u in body["unpaid"]} == {str(workers[0].pk)}
    assert body["months_without_deposit"] == [months_back(1).isoformat(), months_back(0).isoformat()]
    other = bearer(make_user("inspector-hx", "inspector", districts=["120103"]))
    assert other.get(f"/api/v1/labor/projects/{reference}").status_code == 404


@pytest.mark.django_db
def test_project_flags_feed_the_wage_arrears_warning():
    from hrss.labor.tests.test_warning import LAST, build_city, city_wide

    employers, distressed = build_city()
    contractor = next(e for e in employers if e.pk not in distressed and e.district_id == "120101")
    before = next(r for r in warning.compute(scope=city_wide(), period=LAST) if r.employer_id == contractor.pk)
    scope = Scope(actor="inspector-p", roles=frozenset({"inspector"}), districts=None)
    project_with_roster(scope, contractor, [make_person(name="农民工甲")], started=D(2026, 1, 1))
    after = next(r for r in warning.compute(scope=city_wide(), period=LAST) if r.employer_id == contractor.pk)
    # six unpaid worker-months and six months without a deposit: past the threshold, full weight
    assert after.features["project_wage_flags"] == 12
    rule = next(r for r in warning.model().rules if r.feature == "project_wage_flags")
    assert after.score == before.score + rule.weight
    assert "project_wage_flags" in {r["feature"] for r in after.reasons}


@pytest.mark.django_db
def test_project_page_in_chinese(client):
    employer = make_employer(district="120101", name="天津示范建工集团")
    scope = Scope(actor="inspector-pp", roles=frozenset({"inspector"}), districts=frozenset({"120101"}))
    project = project_with_roster(scope, employer, [make_person(name="农民工乙")], started=months_back(1))
    sign_in(client, make_user("inspector-project-page", "inspector", districts=["120101"]))
    page = client.get(f"/labor/projects/{project.reference}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert "农民工乙" in text and "天津示范建工集团" in text
    sign_in(client, make_user("citizen-pp", "citizen"))
    assert client.get(f"/labor/projects/{project.reference}/").status_code == 403
