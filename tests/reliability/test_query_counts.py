"""What a list or detail operation of the API costs in queries, so an N+1 fails the suite.

Each list operation is asked twice: with one record, then with several more; the number of
queries must not grow with the records, and stays within a pinned ceiling. Detail
operations are pinned too. Requests go through the whole stack (middleware, bearer token,
scope, audit), as a client's would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrss.core.scope import Scope
from hrss.identity.auth import token_create
from hrss.servicehall.tests.builders import ARBITRATION_FORM, make_city, submit
from hrss.testing import make_employer, make_employment, make_person, make_user

pytestmark = pytest.mark.django_db
MORE = 4


def bearer(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


def queries(client: Client, path: str) -> int:
    client.get(path)  # warm: the token, code tables and caches a first request fills
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return len(captured)


def flat(client: Client, path: str, add: Callable[[int], Any], ceiling: int) -> None:
    """The same number of queries for one record and for 1 + MORE records."""
    one = queries(client, path)
    for n in range(MORE):
        add(n)
    many = queries(client, path)
    assert many == one, f"{path}: {one} queries for one record, {many} for {1 + MORE} (N+1)"
    assert many <= ceiling, f"{path}: {many} queries, more than the {ceiling} pinned"


def test_registry_persons_employers_and_employments_lists():
    clerk = bearer(make_user("clerk", "counter_clerk", city_wide=True))
    person = make_person(name="甲")
    employer = make_employer(name="单位甲")
    make_employment(person, employer, start=dt.date(2015, 1, 1))
    flat(clerk, "/api/v1/registry/persons?limit=50", lambda n: make_person(name=f"乙{n}"), ceiling=12)
    flat(clerk, "/api/v1/registry/employers?limit=50", lambda n: make_employer(name=f"单位{n}"), ceiling=12)

    def another_job(n: int) -> None:
        make_employment(
            person, make_employer(name=f"前单位{n}"), start=dt.date(2000 + n, 1, 1), end=dt.date(2000 + n, 12, 31)
        )

    flat(clerk, f"/api/v1/registry/persons/{person.id_number}/employments", another_job, ceiling=14)
    assert queries(clerk, f"/api/v1/registry/persons/{person.id_number}") <= 12
    assert queries(clerk, "/api/v1/identity/me") <= 6
    assert queries(Client(), "/api/v1/codes/districts") <= 2


def test_servicehall_applications_queue_and_catalogue():
    city = make_city()
    citizen, clerk = bearer(city.citizen), bearer(city.clerk)
    first = submit(city)

    def another(n: int) -> None:
        person = make_person(name=f"申请人{n}", district="120101")
        user = make_user(f"applicant{n}", "citizen", person=person)
        submit(city, user=user)

    flat(clerk, "/api/v1/servicehall/work-items", another, ceiling=20)
    # Arbitration claims may be open side by side (a second unemployment registration is refused).
    flat(citizen, "/api/v1/servicehall/applications", lambda n: submit(city, "SH-ZC-001", ARBITRATION_FORM), ceiling=20)
    assert queries(citizen, f"/api/v1/servicehall/applications/{first.reference}") <= 30
    assert queries(Client(), "/api/v1/servicehall/items") <= 6


def test_card_holder_uses_and_card():
    from hrss.card import services
    from hrss.card.tests.builders import active_card, agency_scope

    person = make_person(name="持卡人")
    card = active_card(_tmp(), person)
    holder = bearer(make_user("holder", "citizen", person=person))

    def use(n: int) -> None:
        services.card_use_record(
            scope=agency_scope("card:use:record"),
            card=card,
            kind="identity_check",
            channel="counter",
            reference=f"c{n}",
        )

    use(-1)
    flat(holder, "/api/v1/card/me/uses", use, ceiling=12)
    assert queries(holder, "/api/v1/card/me") <= 14


def test_insurance_my_contributions_account_and_enrolments():
    from hrss.insurance import services
    from hrss.insurance.tests.builders import employee

    firm = make_employer(name="参保单位", industry="65")
    worker = employee(firm, wage=Decimal("9000"), name="参保人", birth=dt.date(1980, 3, 1), sex="M")
    services.contribution_assess_month(period=dt.date(2025, 1, 1))
    citizen = bearer(make_user("insured", "citizen", person=worker))
    flat(
        citizen,
        "/api/v1/insurance/me/contributions",
        lambda n: services.contribution_assess_month(period=dt.date(2025, 2 + n, 1)),
        ceiling=14,
    )
    assert queries(citizen, "/api/v1/insurance/me/account") <= 14
    assert queries(citizen, "/api/v1/insurance/me/enrolments") <= 12
    assert queries(citizen, "/api/v1/insurance/me/benefits") <= 12


def test_insurance_staff_lists():
    clerk = bearer(make_user("ins_clerk", "counter_clerk", city_wide=True))
    make_person(name="无业甲", birth=dt.date(1990, 1, 1))

    def uninsured(n: int) -> None:
        make_person(name=f"无业{n}", birth=dt.date(1991, 1, 1 + n))

    flat(clerk, "/api/v1/insurance/universal/persons?on=2025-03-15&limit=50", uninsured, ceiling=14)
    flat(clerk, "/api/v1/insurance/universal/districts?on=2025-03-15", uninsured, ceiling=14)
    assert queries(clerk, "/api/v1/insurance/recovery-cases") <= 14
    assert queries(clerk, "/api/v1/insurance/universal/reminders?period=2025-03") <= 14


def _tmp() -> Any:
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp(prefix="hrss-qc-"))


def test_labor_cases_mine_workbench_and_detail():
    city = make_city()
    citizen = bearer(city.citizen)
    arbitrator = bearer(make_user("arbitrator", "arbitrator", city_wide=True))
    first = submit(city, "SH-ZC-001", ARBITRATION_FORM)

    def another(n: int) -> None:
        submit(city, "SH-ZC-001", {**ARBITRATION_FORM, "respondent": f"单位{n}"})

    flat(citizen, "/api/v1/labor/cases/mine", another, ceiling=10)
    flat(arbitrator, "/api/v1/labor/cases", another, ceiling=12)
    assert queries(arbitrator, f"/api/v1/labor/cases/{first.reference}") <= 12
    assert queries(citizen, f"/api/v1/labor/cases/{first.reference}") <= 10

    # the roster with each arbitrator's open cases: one query however many are on it
    from hrss.labor.tests.builders import enlist

    def enlisted(n: int) -> None:
        enlist(f"roster{n}", district="120101" if n % 2 else "120103")

    flat(arbitrator, "/api/v1/labor/arbitrators", enlisted, ceiling=10)


def test_labor_mediations_and_organisations():
    from hrss.labor.services import mediation
    from hrss.labor.tests.builders import organisation

    city = make_city()
    citizen = bearer(city.citizen)
    staff = bearer(make_user("arbitrator", "arbitrator", city_wide=True))
    org = organisation()

    made = iter(range(1000))

    def another(_n: int) -> None:
        n = next(made)
        mediation.mediation_apply(
            scope=city.scope(city.citizen),
            organisation_id=org.pk,
            respondent=f"单位{n}",
            claims="支付工资",
            amount="100",
            idempotency_key=f"qc-{n}",
        )
        organisation(name=f"调解委员会{n}")

    another(0)
    flat(citizen, "/api/v1/labor/mediations/mine", another, ceiling=10)
    flat(staff, "/api/v1/labor/mediations", another, ceiling=12)
    flat(Client(), "/api/v1/labor/mediation-organisations", another, ceiling=4)


def test_labor_employer_linked_view():
    from hrss.labor.services import complaints

    city = make_city()
    inspector = bearer(make_user("inspector", "inspector", city_wide=True))
    made = iter(range(1000))

    def another(_n: int) -> None:
        n = next(made)
        submit(city, "SH-ZC-001", {**ARBITRATION_FORM, "respondent": city.employer.credit_code})
        complaints.complaint_file(
            scope=city.scope(city.citizen),
            credit_code=city.employer.credit_code,
            kind="complaint",
            content=f"投诉{n}",
            idempotency_key=f"qc-{n}",
        )

    another(0)
    flat(inspector, f"/api/v1/labor/employers/{city.employer.credit_code}/linked", another, ceiling=14)


def test_labor_register_queue_person_transfers_and_duplicates():
    from hrss.labor.services import complaints, register, transfers
    from hrss.labor.tests.builders import register_unit

    city = make_city()
    user = make_user("inspector", "inspector", city_wide=True)
    inspector = bearer(user)
    unit = register_unit()
    made = iter(range(1000))

    def another(_n: int) -> None:
        n = next(made)
        scope = city.scope(user)
        row = register.petition_record(
            scope=scope,
            channel="letter",
            subject=f"信访{n}",
            person_id=city.person.pk,
            credit_code=city.employer.credit_code,
            idempotency_key=f"qc-p{n}",
        )
        transfers.transfer_send(
            scope=scope,
            kind="petition",
            reference=row.reference,
            to_unit=unit.code,
            reason="属地",
            idempotency_key=f"qc-t{n}",
        )
        register.fraud_open(
            scope=scope,
            kind="other",
            found_by="report",
            amount="1",
            description="x",
            person_id=city.person.pk,
            credit_code=city.employer.credit_code,
            idempotency_key=f"qc-f{n}",
        )
        complaints.complaint_file(
            scope=city.scope(city.citizen),
            credit_code=city.employer.credit_code,
            kind="complaint",
            content=f"投诉{n}",
            idempotency_key=f"qc-c{n}",
        )

    another(0)
    flat(inspector, "/api/v1/labor/register", another, ceiling=12)
    # fund supervisors read the fraud cases of the register, as flat
    flat(bearer(make_user("fund", "fund_supervisor", city_wide=True)), "/api/v1/labor/register", another, ceiling=12)
    flat(inspector, f"/api/v1/labor/persons/{city.person.pk}/register", another, ceiling=14)
    flat(inspector, "/api/v1/labor/transfers", another, ceiling=10)
    flat(inspector, "/api/v1/labor/register/duplicates?kind=petition", another, ceiling=10)
    flat(inspector, f"/api/v1/labor/employers/{city.employer.credit_code}/linked", another, ceiling=16)


def test_employment_vacancies_and_matches():
    from hrss.employment.tests import builders

    agent, seeker = builders.agent(), builders.seeker()
    builders.profile(seeker)
    first = builders.vacancy(agent)
    employer, citizen = bearer(agent), bearer(seeker)
    flat(employer, "/api/v1/employment/vacancies", lambda n: builders.vacancy(agent, title=f"岗位{n}"), ceiling=10)
    flat(citizen, "/api/v1/employment/me/matches", lambda n: builders.vacancy(agent, title=f"新岗位{n}"), ceiling=10)
    assert queries(citizen, f"/api/v1/employment/vacancies/{first.pk}") <= 8
    assert queries(citizen, "/api/v1/employment/me/profile") <= 8
    assert queries(citizen, "/api/v1/employment/me/registration") <= 8


def test_hotline_search_and_queue():
    from hrss.hotline import services
    from hrss.testing import staff_scope

    services.generate()
    reviewer = bearer(make_user("kb-reviewer", "reviewer", city_wide=True))
    author = staff_scope()

    def draft(n: int) -> None:
        services.article_create(scope=author, values={"code": f"qa-count-{n}", "title": f"问答{n}", "body": "正文"})

    draft(99)
    flat(reviewer, "/api/v1/hotline/kb/queue", draft, ceiling=10)

    def published(n: int) -> None:
        services.article_create(
            scope=author, values={"code": f"qa-pub-{n}", "title": f"养老金问答{n}", "body": "养老金"}
        )
        services.article_submit(scope=author, code=f"qa-pub-{n}")
        services.article_publish(scope=staff_scope(role="reviewer"), code=f"qa-pub-{n}")

    flat(Client(), "/api/v1/hotline/kb/search?q=%E5%85%BB%E8%80%81%E9%87%91&limit=20", published, ceiling=4)


def test_hotline_tickets():
    from hrss.hotline import tickets

    agent = make_user("desk-agent", "counter_clerk", city_wide=True)
    client = bearer(agent)
    scope = Scope(actor=agent.get_username(), roles=frozenset({"counter_clerk"}), districts=None)

    def call(n: int) -> None:
        person = make_person(name=f"来电{n}")
        values = {"kind": "consultation", "category": "insurance", "summary": f"咨询{n}", "answer": "已答复"}
        tickets.ticket_open(scope=scope, values={**values, "resolved_on_call": True, "id_number": person.id_number})

    call(99)
    flat(client, "/api/v1/hotline/tickets?limit=50", call, ceiling=8)


def test_training_lists_and_details():
    from django.test import override_settings

    from hrss.training import services as training
    from hrss.training.tests import builders

    with override_settings(HRSS_BIOMETRIC_TABLE=builders.FACES):
        town = builders.make_town()
        course = builders.course(town)
        anyone = Client()
        citizen, school, body, staff = (bearer(u) for u in (town.citizen, town.agent, town.body_agent, town.approver))
        training.enrol(scope=builders.scope(town.citizen), course_id=course.pk)

        def another_course(n: int) -> None:
            builders.course(town, title=f"课程{n}")

        def another_trainee(n: int) -> None:
            user = builders.citizen(name=f"学员{n}")
            training.enrol(scope=builders.scope(user), course_id=course.pk)

        flat(anyone, "/api/v1/training/courses", another_course, ceiling=8)
        flat(
            school,
            "/api/v1/training/institution/courses",
            lambda n: builders.course(town, title=f"本校{n}"),
            ceiling=10,
        )
        flat(school, f"/api/v1/training/institution/courses/{course.pk}/enrolments", another_trainee, ceiling=10)

        def another_school(n: int) -> None:
            training.institution_register(
                scope=builders.scope(town.approver),
                employer_id=make_employer(name=f"培训学校{n}").pk,
                values={
                    "kind": "training",
                    "licence_number": f"L{n}",
                    "licence_valid_until": dt.date(2030, 1, 1),
                    "capacity": 10,
                    "scope": [builders.QUALIFICATION],
                },
            )

        flat(anyone, "/api/v1/training/institutions", another_school, ceiling=8)
        builders.exam(town, days=4)
        flat(body, "/api/v1/training/body/sessions", lambda n: builders.exam(town, days=5 + n), ceiling=10)
        flat(anyone, "/api/v1/training/appraisal-sessions", lambda n: builders.exam(town, days=20 + n), ceiling=8)
        flat(staff, "/api/v1/training/supervision/sessions", lambda n: builders.exam(town, days=40 + n), ceiling=12)
        assert queries(anyone, "/api/v1/training/qualifications") <= 4
        assert queries(anyone, "/api/v1/training/policies") <= 4
        assert queries(anyone, "/api/v1/training/shortage-occupations") <= 4
        assert queries(anyone, f"/api/v1/training/courses/{course.pk}") <= 4

        builders.trained(town)
        certificate = builders.certified(town)

        def another_case(n: int) -> None:  # the same proctor on two overlapping sessions
            builders.exam(town, days=70 + n, proctors=[f"监考{n}"])
            builders.exam(town, days=70 + n, proctors=[f"监考{n}"])

        flat(citizen, "/api/v1/training/me/enrolments", lambda n: builders.course(town, title=f"再{n}"), ceiling=10)
        assert queries(citizen, "/api/v1/training/me/certificates") <= 8
        assert queries(citizen, "/api/v1/training/me/candidacies") <= 8
        assert queries(anyone, f"/api/v1/training/certificates/{certificate.number}") <= 6
        builders.exam(town, days=60, proctors=["监考"])
        builders.exam(town, days=60, proctors=["监考"])
        flat(staff, "/api/v1/training/supervision/cases", another_case, ceiling=12)
        assert queries(school, "/api/v1/training/institution/claims") <= 10


def test_employment_vacancies_matches_applications_and_applicants():
    from hrss.employment import services
    from hrss.employment.tests import builders

    agent_user = builders.agent(name="查询单位")
    seeker_user = builders.seeker()
    builders.profile(seeker_user, visible_to_employers=True)
    agent, seeker = bearer(agent_user), bearer(seeker_user)
    first = builders.vacancy(agent_user)
    services.application_submit(scope=builders.scope(seeker_user), vacancy_id=first.pk)

    def vacancy_applied(n: int) -> None:
        vacancy = builders.vacancy(agent_user, title=f"岗位{n}")
        services.application_submit(scope=builders.scope(seeker_user), vacancy_id=vacancy.pk)

    def applicant(n: int) -> None:
        other = builders.seeker(name=f"应聘者{n}")
        builders.profile(other, visible_to_employers=n % 2 == 0)
        application = services.application_submit(scope=builders.scope(other), vacancy_id=first.pk)
        at = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=3), dt.time(10)))
        services.invitation_send(scope=builders.scope(agent_user), application_id=application.pk, at=at, place="三楼")

    flat(seeker, "/api/v1/employment/me/applications", vacancy_applied, ceiling=10)
    flat(agent, "/api/v1/employment/vacancies", lambda n: builders.vacancy(agent_user), ceiling=10)
    flat(seeker, "/api/v1/employment/me/matches", lambda n: builders.vacancy(agent_user), ceiling=12)
    flat(agent, f"/api/v1/employment/vacancies/{first.pk}/applications", applicant, ceiling=12)


def test_employment_policy_runs_and_payments():
    from hrss.employment import policies
    from hrss.employment.models import PolicyRun
    from hrss.identity.auth import scope_for_user

    runner_user = make_user("policy_runner", "reviewer", city_wide=True)
    runner = bearer(runner_user)
    scope = scope_for_user(runner_user)

    def run_for(n: int) -> None:  # another month each time (running a month already run changes nothing)
        policies.policy_run(scope=scope, policy_code="social_insurance_subsidy", period=dt.date(2025, n + 2, 1))

    run_for(-1)
    flat(runner, "/api/v1/employment/policy-runs", run_for, ceiling=8)
    # the payments of one run: employers found through the ledger, one payment each
    from hrss.employment.models import PolicyPayment

    run = PolicyRun.objects.order_by("created_at").first()

    def payment(n: int) -> None:
        employer = make_employer(name=f"返还单位{n}")
        PolicyPayment.objects.create(
            run=run, policy=run.policy, period=run.period, key=f"{employer.pk}:", employer=employer, amount_fen=100
        )

    payment(-1)
    flat(runner, f"/api/v1/employment/policy-runs/{run.pk}/payments", payment, ceiling=10)


def test_hotline_ivr_export_and_keypad_query():
    """The export reads no table; a keypad query costs the same however many applications the caller has."""
    from django.core import signing

    from hrss.hotline import keypad
    from hrss.identity.clients import agency_client_create

    admin = bearer(make_user("ivr-admin", "administrator", city_wide=True))
    assert queries(admin, "/api/v1/hotline/ivr/export?format=asterisk") <= 6
    city = make_city()
    credentials = agency_client_create(name="12333 IVR", scopes=["hotline:ivr"])
    import base64

    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    token = Client().post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
    ivr = Client(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    session = signing.dumps(
        {"user": str(city.citizen.pk), "client": "12333 IVR"}, salt=keypad.SESSION_SALT, compress=True
    )

    def asked() -> int:
        body = {"session": session, "query": "application_status"}
        ivr.post("/api/v1/hotline/ivr/query", body, content_type="application/json")
        with CaptureQueriesContext(connection) as captured:
            response = ivr.post("/api/v1/hotline/ivr/query", body, content_type="application/json")
        assert response.status_code == 200, response.content[:300]
        return len(captured)

    submit(city, "SH-ZC-001", form=ARBITRATION_FORM)
    one = asked()
    for _n in range(MORE):
        submit(city, "SH-ZC-001", form=ARBITRATION_FORM)
    assert asked() == one <= 12


def test_medical_lists_and_details(tmp_path):
    from hrss.medical import services as medical
    from hrss.medical.models import CatalogueItem, Institution
    from hrss.medical.tests import builders
    from hrss.medical.tests.builders import PIN

    person, card = builders.insured(tmp_path)
    citizen = bearer(make_user("medical-qc", "citizen", person=person))
    scope = builders.hospital_scope()
    counter = iter(range(1000))

    def another_visit(n: int) -> None:
        medical.claim_settle(
            scope=scope,
            transaction_id=f"QC-{next(counter)}",
            card_number=card.number,
            card_pin=PIN,
            visit=medical.Visit(pooling="outpatient", lines=builders.lines(*builders.BILL)),
        )

    another_visit(0)
    flat(citizen, "/api/v1/medical/me/claims", another_visit, ceiling=8)
    assert queries(citizen, "/api/v1/medical/me/insurance") <= 8
    # The credits to the personal account, one more month each.
    from hrss.medical.services.accounts import accounts_credit

    months = iter(range(1000))

    def another_credit(n: int) -> None:
        accounts_credit(scope=builders.SYSTEM, through=dt.date(2026, 1 + next(months), 1), months=1)

    medical.insured_enrol(
        scope=builders.SYSTEM, person=person, category="retiree", region="120100", since=dt.date(2015, 1, 1)
    )
    another_credit(0)
    flat(citizen, "/api/v1/medical/me/account-credits", another_credit, ceiling=6)

    def another_item(n: int) -> None:
        CatalogueItem.objects.create(
            code=f"QC{n}", name="测试药品", kind="drug", klass="A", source="test", valid_from=dt.date(2025, 1, 1)
        )

    def another_institution(n: int) -> None:
        Institution.objects.create(
            code=f"H1201019{n:04d}",
            name="测试医院",
            kind="hospital",
            level="1",
            region="120100",
            district="120101",
            source="test",
        )

    anyone = Client()
    flat(anyone, "/api/v1/medical/catalogue?limit=200", another_item, ceiling=3)
    flat(anyone, "/api/v1/medical/institutions", another_institution, ceiling=3)
    # The institution's read-back of one settlement, through its client-credentials token.
    import base64

    from hrss.identity.clients import agency_client_create

    credentials = agency_client_create(name=scope.actor, scopes=["medical:settle", "medical:records"])
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    token = Client().post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
    hospital = Client(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    assert queries(hospital, "/api/v1/medical/institution/settlements/QC-0") <= 8
    # The person's visits read with their consent (S4): as many queries for more visits.
    from hrss.exchange import services as exchange

    _consent, code = exchange.consent_create(
        scope=Scope(actor="qc-citizen", roles=frozenset({"citizen"}), districts=None, person_id=person.pk),
        recipient="测试医院",
        purpose="首诊病史采集",
        days=7,
        use="medical",
    )
    body = {"id_number": person.id_number, "consent_code": code, "purpose": "首诊病史采集"}

    def consented_queries() -> int:
        url = "/api/v1/medical/institution/consented-visits"
        hospital.post(url, body, "application/json")  # warm
        with CaptureQueriesContext(connection) as captured:
            response = hospital.post(url, body, "application/json")
        assert response.status_code == 200, response.content[:300]
        return len(captured)

    one = consented_queries()
    for n in range(MORE):
        another_visit(n)
    assert consented_queries() == one <= 28


def test_medical_monitoring_lists_and_a_case(tmp_path):
    from hrss.core.scope import Scope
    from hrss.medical import services as medical
    from hrss.medical.models import Institution, MonitoringFlag, MonitoringRun
    from hrss.medical.tests import builders
    from hrss.medical.tests.builders import PIN

    _person, card = builders.insured(tmp_path)
    scope = builders.hospital_scope()
    for n in range(2):  # the same bill twice the same day: duplicate billing
        medical.claim_settle(
            scope=scope,
            transaction_id=f"QM-{n}",
            card_number=card.number,
            card_pin=PIN,
            visit=medical.Visit(pooling="outpatient", lines=builders.lines(*builders.BILL)),
        )
    run = medical.monitoring_run(scope=Scope.system("qc"))
    flag = MonitoringFlag.objects.filter(rule="duplicate_billing").first()
    reviewer = bearer(make_user("monitor-qc", "reviewer", city_wide=True))

    def another_flag(n: int) -> None:
        institution = Institution.objects.create(
            code=f"H1201018{n:04d}",
            name="测试医院",
            kind="hospital",
            level="1",
            region="120100",
            district="120101",
            source="test",
        )
        MonitoringFlag.objects.create(
            run=run,
            rule="billing_jump",
            subject=str(institution.pk),
            period="2026-01",
            institution=institution,
            district="120101",
            amount=n + 1,
        )

    def another_run(n: int) -> None:
        MonitoringRun.objects.create(actor="qc", window_from=dt.date(2025, 1, 1), window_to=dt.date(2026, 1, 1))

    flat(reviewer, "/api/v1/medical/monitoring/flags", another_flag, ceiling=8)
    flat(reviewer, "/api/v1/medical/monitoring/runs", another_run, ceiling=8)
    assert queries(reviewer, f"/api/v1/medical/monitoring/flags/{flag.pk}") <= 12


def test_medical_disease_recognitions_page(tmp_path):
    from hrss.identity.auth import scope_for_user
    from hrss.medical import services as medical
    from hrss.medical.tests import builders
    from hrss.testing import sign_in

    clerk = make_user("mt-qc", "counter_clerk", districts=["120101"])
    page, scope = sign_in(Client(), clerk), scope_for_user(clerk)

    def another(n: int) -> None:
        person, _card = builders.insured(tmp_path / str(n), person=make_person(name=f"慢病{n}"))
        medical.disease_recognise(scope=scope, person_id=person.pk, disease="M03900", valid_from=dt.date(2026, 1, 1))

    another(99)
    flat(page, "/medical/diseases/", another, ceiling=14)


def test_credit_lists_and_my_credit():
    from hrss.core.creditfacts import CreditFact
    from hrss.credit import services as credit

    today = dt.date.today()

    def black(n: int) -> None:
        employer = make_employer(name=f"失信单位{n}")
        facts = [
            CreditFact(
                kind="contribution_arrears",
                source_ref=f"arrears:{employer.pk}:{month}",
                occurred_on=today - dt.timedelta(days=10 + month),
                summary="社会保险费逾期未缴",
                employer_id=employer.pk,
            )
            for month in range(2)
        ]
        credit.record(facts, source="insurance")
        credit.rerate(employer_ids=[employer.pk], on=today)
        return employer

    first = black(99)
    flat(Client(), "/api/v1/credit/lists/black?limit=50", black, ceiling=4)
    flat(Client(), "/api/v1/credit/event-kinds", lambda n: None, ceiling=4)
    agent = bearer(make_user("credit-agent", "employer_agent", employer=first))

    def another_event(n: int) -> None:
        fact = CreditFact(
            kind="contribution_arrears",
            source_ref=f"arrears:{first.pk}:more{n}",
            occurred_on=today - dt.timedelta(days=40 + n),
            summary="社会保险费逾期未缴",
            employer_id=first.pk,
        )
        credit.record([fact], source="insurance")

    flat(agent, "/api/v1/credit/mine", another_event, ceiling=12)


def test_archive_dossier_certificates_and_the_exchange_lists(settings, tmp_path):
    import io

    import segno
    from django.core.files.base import ContentFile

    from hrss.archive import scans
    from hrss.archive import services as archive
    from hrss.archive.models import IssuedCertificate
    from hrss.exchange import services as exchange
    from hrss.insurance.tests import builders as insurance

    settings.MEDIA_ROOT = tmp_path / "media"
    firm = insurance.employer(name="查询计数单位")
    person = insurance.employee(firm, start=dt.date(2025, 1, 1), name="查询计数")
    insurance.assess(dt.date(2025, 1, 1), 1)
    citizen = bearer(make_user("archive-citizen", "citizen", person=person))
    staff = Scope(actor="archive-counter", roles=frozenset({"administrator"}), districts=None)

    def scan(n: int) -> None:
        image = io.BytesIO()
        segno.make(f"scan {n}").save(image, kind="png", scale=2)
        scans.scan_add(
            scope=staff,
            id_number=person.id_number,
            doc_type="other",
            title=f"材料{n}",
            doc_date=dt.date(2000, 1, 1) + dt.timedelta(days=n),
            data=image.getvalue(),
        )

    scan(99)
    flat(citizen, "/api/v1/archive/dossier", scan, ceiling=60)
    flat(citizen, "/api/v1/archive/certificate-offers", lambda n: None, ceiling=20)
    first = archive.certificate_issue(
        scope=insurance.citizen(person), kind="insurance.contributions", base_url="http://testserver/"
    )

    def certificate(n: int) -> None:  # earlier certificates of the same record, superseded
        row = IssuedCertificate(
            person=person,
            kind=first.kind,
            code=f"{first.code[:14]}{n}A",
            number=f"{first.number}{n}",
            title=first.title,
            issued_on=first.issued_on - dt.timedelta(days=1 + n),
            issued_at=first.issued_at - dt.timedelta(days=1 + n),
            issued_by="test",
            content_sha256=str(n) * 64,
            file_sha256=first.file_sha256,
            size=first.size,
            status="superseded",
            superseded_by=first,
        )
        row.file.save(f"{row.number}.pdf", ContentFile(b"%PDF-1.7"), save=True)

    flat(citizen, "/api/v1/archive/my-certificates", certificate, ceiling=8)
    flat(
        citizen,
        "/api/v1/exchange/consents",
        lambda n: exchange.consent_create(
            scope=insurance.citizen(person), recipient=f"部门{n}", purpose="核验", days=7
        ),
        ceiling=8,
    )
    agency = Scope(actor="计数系统", roles=frozenset({"agency_client"}), grants=frozenset({exchange.STATUS_GRANT}))
    flat(
        citizen,
        "/api/v1/exchange/inquiries",
        lambda n: exchange.status(scope=agency, id_number=person.id_number, questions=["alive"], purpose="核验"),
        ceiling=8,
    )
    flat(Client(), "/api/v1/exchange/questions", lambda n: None, ceiling=2)


def test_exams_lists():
    """Announced exams, my registrations (with seat, score and appeal), the office's exams and
    registrations and the bank cost the same for one row and for many."""
    from hrss.exams import services as exams
    from hrss.exams.models import Registration
    from hrss.exams.tests import builders as b

    b.bank(objective=6, essays=0)
    person = make_person(name="计数考生", birth=dt.date(1995, 1, 1))
    citizen = bearer(make_user("exam-citizen", "citizen", person=person))
    office = bearer(make_user("exam-office", "reviewer", city_wide=True))
    first = b.exam(essays=0)
    b.confirmed(first, name="计数甲")
    exams.registration_create(scope=b.citizen(person), exam_code=first.code, post_code="P01")

    def another_exam(n: int) -> None:
        created = b.exam(essays=0)
        registration = exams.registration_create(scope=b.citizen(person), exam_code=created.code, post_code="P01")
        exams.registration_review(scope=b.OFFICE, registration_id=registration.pk, approve=True)

    flat(Client(), "/api/v1/exams/exams?limit=50", lambda n: b.exam(essays=0), ceiling=6)
    flat(citizen, "/api/v1/exams/my-registrations", another_exam, ceiling=12)
    flat(office, "/api/v1/exams/office/exams?limit=50", lambda n: b.exam(essays=0), ceiling=10)
    flat(
        office,
        f"/api/v1/exams/office/exams/{first.code}/registrations?limit=50",
        lambda n: b.confirmed(first, name=f"计数{n}"),
        ceiling=12,
    )
    flat(office, "/api/v1/exams/office/items?limit=50", lambda n: b.bank(objective=1, essays=0), ceiling=8)
    assert Registration.objects.filter(exam=first).count() == 2 + MORE


def test_talent_lists_and_details():
    from hrss.talent import services as talent
    from hrss.talent.tests import builders

    unit = builders.make_unit(quota=60)
    registrar = builders.scope(unit.approver)
    talent.post_set(scope=registrar, institution_id=unit.institution.pk, category="professional", grade=10, count=40)
    agent, staff = bearer(unit.agent), bearer(unit.approver)
    institution = f"/api/v1/talent/institutions/{unit.institution.pk}"

    def another_member(n: int) -> Any:
        return builders.staff_add(unit.agent, unit.institution, unit.posts["p10"], name=f"教师{n}")

    flat(agent, f"{institution}/staff", another_member, ceiling=10)
    flat(staff, f"{institution}/staff", another_member, ceiling=10)
    flat(staff, "/api/v1/talent/institutions", lambda n: builders.make_unit(name=f"学校{n}"), ceiling=8)
    builders.plan(unit, numbers=1, key="plan-first")
    flat(agent, "/api/v1/talent/plans", lambda n: builders.plan(unit, numbers=1, key=f"plan-{n}"), ceiling=10)

    def another_change(n: int) -> None:
        member = another_member(100 + n)
        talent.post_change_submit(
            scope=builders.scope(unit.agent), user=unit.agent, staff_id=member.pk, to_post_id=unit.posts["p9"].pk,
            effective_on=dt.date.today(), reason="评聘", idempotency_key=f"change-{n}",
        )  # fmt: skip

    def another_wage(n: int) -> None:
        member = another_member(200 + n)
        talent.wage_submit(
            scope=builders.scope(unit.agent), user=unit.agent, staff_id=member.pk, effective_on=dt.date.today(),
            scale_step=20, allowances=[], idempotency_key=f"wage-{n}",
        )  # fmt: skip

    another_change(10)
    another_wage(10)
    flat(agent, "/api/v1/talent/post-changes", another_change, ceiling=10)
    flat(staff, "/api/v1/talent/wage-approvals", another_wage, ceiling=10)
    assert queries(agent, institution) <= 20
    assert queries(Client(), "/api/v1/talent/allowances") <= 4


def test_talent_green_card_lists():
    from hrss.talent import services as talent
    from hrss.talent.tests import builders

    reviewer = make_user("gc-reviewer", "reviewer", city_wide=True)
    office = builders.scope(reviewer)

    def holder(n: int) -> Any:
        citizen = builders.green_card_applicant(name=f"人才{n}")
        talent.green_card_issue(scope=office, person_id=citizen.person.pk, category="c", reference=f"GC-{n}")
        return citizen

    def another_holder_applies(n: int) -> None:
        citizen = holder(n)
        talent.green_card_benefit_apply(
            scope=builders.scope(citizen), kind="housing", details="", idempotency_key=f"b-{n}"
        )

    first = holder(100)

    def another_application(n: int) -> None:  # refused, so the same kind may be applied for again
        benefit = talent.green_card_benefit_apply(
            scope=builders.scope(first), kind="school", details="", idempotency_key=f"s-{n}"
        )
        talent.green_card_benefit_decide(scope=office, benefit_id=benefit.pk, approved=False, reason="学位已满")

    another_application(100)
    flat(bearer(first), "/api/v1/talent/green-card/benefits", another_application, ceiling=8)
    flat(bearer(reviewer), "/api/v1/talent/green-card/benefits", another_holder_applies, ceiling=10)
    assert queries(bearer(first), "/api/v1/talent/green-card/mine") <= 6


def test_talent_titles_and_the_holders_certificates():
    import datetime as dt

    from hrss.talent import services as talent
    from hrss.talent.tests import builders

    approver = make_user("title-approver", "approver", city_wide=True)
    office = builders.scope(approver)
    holder = make_person(name="职称人")
    citizen = make_user("title-holder", "citizen", person=holder)

    def another_title(n: int) -> None:
        talent.title_record(
            scope=office,
            id_number=holder.id_number,
            name=holder.name,
            number=f"ZC-Q-{n}",
            series="工程",
            speciality="",
            title="工程师",
            level="intermediate",
            committee="评审委员会",
            issued_on=dt.date(2020, 1, 1) + dt.timedelta(days=n),
        )

    another_title(100)
    flat(bearer(citizen), "/api/v1/talent/titles/mine", another_title, ceiling=6)
    flat(bearer(approver), "/api/v1/talent/titles?limit=50", another_title, ceiling=10)
    flat(bearer(citizen), "/api/v1/exchange/certificates/mine", another_title, ceiling=10)


def test_talent_programme_lists():
    from hrss.talent import services as talent
    from hrss.talent.programme_models import Programme, ReviewAssignment
    from hrss.talent.tests import programme_builders as pb
    from hrss.talent.tests.builders import scope

    made = pb.review(applicants=1, pool=3)
    office, code = bearer(made.office), made.programme.code
    citizen = made.citizens[0]
    first = made.declarations[0]
    talent.experts_assign(scope=scope(made.office), declaration_id=first.pk)

    def another_declaration(n: int) -> Any:
        account = pb.citizen(f"计数{n}")
        made.citizens.append(account)
        declaration = pb.declare(account, made.programme, title=f"计数项目{n}")
        talent.declaration_check(scope=scope(made.office), declaration_id=declaration.pk, accepted=True)
        talent.experts_assign(scope=scope(made.office), declaration_id=declaration.pk)
        made.declarations.append(declaration)
        return declaration

    flat(Client(), "/api/v1/talent/programmes", lambda n: pb.programme(made.office), ceiling=4)
    flat(office, "/api/v1/talent/office/programmes", lambda n: pb.programme(made.office), ceiling=8)
    flat(office, f"/api/v1/talent/programmes/{code}/declarations", another_declaration, ceiling=14)
    flat(
        office,
        "/api/v1/talent/experts",
        lambda n: pb.expert(made.office, f"计数专家{n}", login=False, specialities="医药卫生"),  # never drawn here
        ceiling=10,
    )
    expert = pb.expert_account(made, ReviewAssignment.objects.filter(declaration=first).first().expert_id)
    # Each new declaration is drawn the same three experts (the pool of three is theirs alone).
    flat(bearer(expert), "/api/v1/talent/expert/assignments", another_declaration, ceiling=10)

    def another_programme_declared(n: int) -> None:
        other = pb.programme(made.office)
        pb.declare(citizen, other, title=f"计数{n}")

    flat(bearer(citizen), "/api/v1/talent/declarations/mine", another_programme_declared, ceiling=8)

    # Score, publish and appeal every declaration: the results and the appeals lists.
    for declaration in made.declarations:
        pb.score_all(made, declaration, [(30, 20, 20)] * 3)
    talent.programme_aggregate(scope=scope(made.office), programme_code=code)
    pb.close_declarations(made.programme)
    talent.programme_publish(scope=scope(made.office), programme_code=code)
    assert queries(Client(), f"/api/v1/talent/programmes/{code}/results") <= 6
    appeals = iter(zip(made.citizens, made.declarations, strict=False))

    def another_appeal(n: int) -> None:
        account, declaration = next(appeals)
        talent.appeal_lodge(scope=scope(account), declaration_id=declaration.pk, reason="复核")

    another_appeal(0)
    flat(office, "/api/v1/talent/appeals", another_appeal, ceiling=8)
    assigned = ReviewAssignment.objects.filter(expert__person=expert.person).first()
    assert queries(bearer(expert), f"/api/v1/talent/expert/assignments/{assigned.pk}") <= 8
    assert Programme.objects.filter(code=code).exists()


def test_analytics_early_warnings_list():
    from hrss.analytics.tests import builders as warnings

    period = dt.date(2026, 6, 1)
    warnings.warning(warnings.employer("预警计数0"), period=period)

    def another(n: int) -> None:
        warnings.warning(warnings.employer(f"预警计数{n + 1}"), period=period, rule="base_drop")

    analyst = bearer(make_user("warning-analyst", "analyst", districts=["120101"]))
    flat(analyst, "/api/v1/analytics/warnings?status=open", another, ceiling=6)


def test_employment_agency_licences_agency_vacancies_and_seekers_for_a_vacancy():
    """E1/E4: the licences (administrators), an agency's vacancies, seekers ranked for a vacancy."""
    from hrss.core import scope as roles
    from hrss.employment import agencies
    from hrss.employment.tests import builders
    from hrss.identity.auth import agency_scope as client_scope

    admin = bearer(make_user("qc-licence-admin", roles.ADMINISTRATOR))
    builders.licence(client_name="查询计数机构")
    flat(
        admin,
        "/api/v1/employment/agency-licences",
        lambda n: builders.licence(client_name=f"查询计数机构{n}"),
        ceiling=8,
    )
    unit = builders.agent(name="查询计数单位").employer
    posting = client_scope(name="查询计数机构", scopes=[agencies.GRANT])
    builders_values = builders.vacancy_values

    def post(n: int) -> Any:
        return agencies.agency_vacancy_post(
            scope=posting, credit_code=unit.credit_code, values=builders_values(title=f"代招{n}")
        )

    post(99)
    agency = builders.agency_client(name="查询计数机构")
    flat(agency, "/api/v1/employment/agency/vacancies", post, ceiling=10)

    agent = builders.agent()
    vacancy = builders.vacancy(agent)
    builders.profile(builders.seeker(), visible_to_employers=True)
    flat(
        bearer(agent),
        f"/api/v1/employment/vacancies/{vacancy.pk}/seekers",
        lambda n: builders.profile(builders.seeker(), visible_to_employers=True),
        ceiling=10,
    )


def test_employment_support_lists():
    """Special group members, open and own guidance slots, my bookings, start-ups (E1, E2)."""
    from hrss.employment import support
    from hrss.employment.tests import builders

    clerk_user = make_user("qc_support_clerk", "counter_clerk", districts=["120101"])
    clerk = bearer(clerk_user)

    def staff() -> Any:
        return builders.scope(clerk_user)

    def another_member(n: int) -> None:
        person = make_person(name=f"困难人员{n}")
        member = support.special_group_identify(
            scope=staff(), person_id=person.pk, category="disabled", evidence=f"残疾人证 第{n}号"
        )
        support.follow_up_record(scope=staff(), membership_id=member.pk, on=timezone.localdate(), way="phone")

    another_member(100)
    flat(clerk, "/api/v1/employment/special-group-members", another_member, ceiling=10)
    flat(clerk, "/api/v1/employment/special-group-members?due=true", lambda n: another_member(200 + n), ceiling=10)

    start = (timezone.localtime() + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)

    def another_slot(n: int) -> Any:
        slot = support.guidance_slot_publish(
            scope=staff(), starts_at=start + dt.timedelta(hours=n + 1), place="三楼", district="120101"
        )
        support.guidance_book(scope=builders.scope(builders.seeker()), slot_id=slot.pk)
        return slot

    another_slot(50)
    citizen_user = builders.seeker()
    citizen = bearer(citizen_user)
    flat(clerk, "/api/v1/employment/guidance/slots/mine", another_slot, ceiling=10)
    flat(
        citizen,
        "/api/v1/employment/guidance/slots",
        lambda n: support.guidance_slot_publish(
            scope=staff(), starts_at=start + dt.timedelta(days=1, hours=n), place="四楼", district="120101"
        ),
        ceiling=8,
    )

    def another_startup(n: int) -> None:
        registration = support.startup_register(
            scope=builders.scope(citizen_user),
            business_name=f"小店{n}",
            started_on=dt.date(2026, 9, 1),
            industry="F",
            district="120101",
        )
        support.startup_guidance_record(
            scope=staff(), registration_id=registration.pk, on=timezone.localdate(), adviser="王老师", topics=["财务"]
        )

    another_startup(99)
    flat(citizen, "/api/v1/employment/me/startups", another_startup, ceiling=8)
    flat(clerk, "/api/v1/employment/startups", lambda n: another_startup(10 + n), ceiling=10)
    assert queries(citizen, "/api/v1/employment/me/guidance-bookings") <= 8


def test_labor_inspection_plans_and_dispatch_board():
    from hrss.identity.auth import scope_for_user
    from hrss.labor.services import plans

    user = make_user("inspector", "inspector", districts=["120101"])
    for name in ("qc-insp-a", "qc-insp-b"):
        make_user(name, "inspector", districts=["120101"])
    for n in range(6):
        make_employer(name=f"抽查单位{n}", district="120101")
    inspector, scope = bearer(user), scope_for_user(user)
    seeds = iter(range(1000))

    def another(_n: int) -> None:
        plan = plans.plan_draw(scope=scope, district="120101", sample_size=2, seed=next(seeds))
        plans.item_dispatch(scope=scope, reference=plan.reference, position=1)

    another(0)
    flat(inspector, "/api/v1/labor/inspection-plans", another, ceiling=10)
    flat(inspector, "/api/v1/labor/dispatch-board", another, ceiling=10)


def test_labor_case_evidence_and_statistics(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings

    from hrss.labor.services import case_files

    city = make_city()
    citizen = bearer(city.citizen)
    arbitrator = bearer(make_user("arbitrator", "arbitrator", city_wide=True))
    first = submit(city, "SH-ZC-001", ARBITRATION_FORM)
    scope = city.scope(city.citizen)

    def evidence(n: int) -> None:
        upload = SimpleUploadedFile(f"e{n}.pdf", b"%PDF-1.7\n" + bytes([n]) * 8)
        case_files.evidence_add(scope=scope, reference=first.reference, files=[upload])

    with override_settings(MEDIA_ROOT=str(tmp_path)):
        evidence(99)
        flat(citizen, f"/api/v1/labor/cases/{first.reference}/evidence", evidence, ceiling=10)
        flat(arbitrator, f"/api/v1/labor/cases/{first.reference}/evidence", lambda n: evidence(10 + n), ceiling=12)

    def another(n: int) -> None:
        submit(city, "SH-ZC-001", {**ARBITRATION_FORM, "respondent": f"单位{n}", "claims": "支付经济补偿金"})

    flat(arbitrator, "/api/v1/labor/statistics", another, ceiling=12)
