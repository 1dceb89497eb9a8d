"""The shared "world" of the authorisation matrix: two citizens, two employers, staff of two
districts, a city-wide reviewer, an administrator and two agency systems — each signed in
the way they really are (sessions with or without the second factor, OAuth2 client
credentials) — and one object of each kind to aim requests at.

Built once per test module through the apps' own services, as users would build it.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hrss.core import scope as roles

# Role names used as the matrix's columns.
ANONYMOUS = "anonymous"
CITIZEN_A = "citizen_a"
CITIZEN_B = "citizen_b"
AGENT_E1 = "agent_e1"
CLERK_120101 = "clerk_120101"
CLERK_NO_2FA = "clerk_120101_no_2fa"
CLERK_120103 = "clerk_120103"
REVIEWER = "reviewer"
ADMINISTRATOR = "administrator"
AGENCY_ALL = "agency_all_scopes"
AGENCY_NONE = "agency_no_scope"

ROLES = (
    ANONYMOUS,
    CITIZEN_A,
    CITIZEN_B,
    AGENT_E1,
    CLERK_120101,
    CLERK_NO_2FA,
    CLERK_120103,
    REVIEWER,
    ADMINISTRATOR,
    AGENCY_ALL,
    AGENCY_NONE,
)

PIN = "258014"
BANK_ACCOUNT = "6222020200112233445"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
UNEMPLOYMENT_FORM = {"phone": "13800138000", "unemployed_since": "2026-10-01"}
EMPLOYER_FORM = {"contact_phone": "13900139000", "headcount": "12", "start_month": "2026-01-01", "insure_pension": True}
NAME_A = "授权甲"
NAME_B = "授权乙"
PHONE_A = "13812345678"
PHONE_B = "13987654321"


@dataclass
class World:
    person_a: Any = None
    person_b: Any = None
    employer_e1: Any = None
    employer_e2: Any = None
    users: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    card_a: Any = None
    card_b: Any = None
    application_a: Any = None
    job_application_a: Any = None
    policy_run: Any = None
    application_b: Any = None
    application_e1: Any = None
    case_a: Any = None  # A's labour arbitration case, accepted, held by no arbitrator
    mediation_a: Any = None  # A's open mediation before arbitration, in 120101
    work_item_a: Any = None
    work_item_b: Any = None
    material_a: Any = None
    payment_a: Any = None
    reconciliation: Any = None
    import_batch: Any = None
    assessed_period: str = "2025-01"
    session_a: Any = None
    vacancy_e1: Any = None
    agency: dict[str, Any] = field(default_factory=dict)  # the all-scopes agency's licence and vacancy, a registration
    training: dict[str, Any] = field(default_factory=dict)  # E1 as a school and appraisal body, A trained and certified
    talent: dict[str, Any] = field(default_factory=dict)  # E1 also a public institution (事业单位), A on its staff
    medical: dict[str, Any] = field(default_factory=dict)  # A insured, two visits settled by the all-scopes agency
    credit_event_e1: Any = None  # E1's arrears, recorded as a credit event (E1 rated C)
    certificate_a: Any = None  # A's 参保缴费证明, issued from A's contributions
    consent_a: Any = None  # A's consent code for the exchange's history (S7)
    scan_a: Any = None  # a digitised paper record of A
    consent_code_a: str = ""
    medical_consent_code_a: str = ""  # A's consent code for a hospital's reading of A's visits (S4)
    warning_e1: Any = None  # an open unemployment early warning on E1 (120101), for June 2026
    # The bureau's support for people (E1, E2): A identified as disabled by the 120101 clerk;
    # two slots of that clerk, one booked by A; A's start-up.
    support_member_a: Any = None
    guidance_slot_open: Any = None
    guidance_booking_a: Any = None
    startup_a: Any = None
    register: dict[str, Any] = field(default_factory=dict)  # A's petitions about E1, a fraud case, a transfer
    agency_credentials: dict[str, Any] = field(default_factory=dict)

    def agency_application_id(self, role: str) -> int:
        from oauth2_provider.models import get_application_model

        return int(get_application_model().objects.get(client_id=self.agency_credentials[role].client_id).pk)

    def forbidden_markers(self, role: str) -> list[str]:
        """Values a role must never see in clear: the full ID number, name and phone of a
        person outside its scope (masked forms do not match)."""
        a = [self.person_a.id_number, NAME_A, PHONE_A]
        b = [self.person_b.id_number, NAME_B, PHONE_B]
        sees_a = {CITIZEN_A, AGENT_E1, CLERK_120101, REVIEWER, ADMINISTRATOR, AGENCY_ALL}
        sees_b = {CITIZEN_B, CLERK_120103, REVIEWER, ADMINISTRATOR, AGENCY_ALL}
        return ([] if role in sees_a else a) + ([] if role in sees_b else b)

    def fingerprint(self) -> tuple:
        """The state a refused request must leave exactly as it was."""
        from hrss.analytics.models import EarlyWarning
        from hrss.card.models import Card, CardUse, PaymentOrder
        from hrss.employment.models import (
            InterviewInvitation,
            JobApplication,
            JobSeekerProfile,
            PolicyPayment,
            PolicyRun,
            Vacancy,
        )
        from hrss.identity.models import AccountSession, ApiToken, BiometricCheck
        from hrss.insurance.models import ContributionBase, Correction, Enrolment
        from hrss.labor.models import ArbitrationCase
        from hrss.registry.models import ImportBatch, Person
        from hrss.servicehall.models import Application, Material, WorkItem

        def rows(model: Any, *fields: str) -> tuple:
            return tuple(model.objects.order_by("pk").values_list("pk", *fields))

        return (
            rows(Card, "status", "ecard_epoch", "temporary_loss_until", "bank_account"),
            CardUse.objects.count(),
            rows(PaymentOrder, "status"),
            rows(Application, "status", "visits"),
            rows(WorkItem, "state", "assignee_id"),
            Material.objects.count(),
            rows(AccountSession, "ended_at"),
            ApiToken.objects.filter(revoked=False).count(),
            BiometricCheck.objects.count(),
            rows(Enrolment, "end_month"),
            ContributionBase.objects.count(),
            Correction.objects.count(),
            ImportBatch.objects.count(),
            rows(Person, "name", "status"),
            rows(ArbitrationCase, "status", "arbitrator", "hearing_at", "hearing_record", "extended", "outcome"),
            rows(Vacancy, "status"),
            rows(JobSeekerProfile, "updated_at"),
            *training_fingerprint(),
            *medical_fingerprint(),
            rows(JobApplication, "status"),
            InterviewInvitation.objects.count(),
            PolicyRun.objects.count(),
            rows(PolicyPayment, "status"),
            *exams_fingerprint(),
            *talent_fingerprint(),
            *programmes_fingerprint(),
            rows(EarlyWarning, "status", "note"),
            *register_fingerprint(),
            *agency_fingerprint(),
        )


def _session(user: Any, *, second_factor: bool) -> Client:
    from hrss.identity.signin import AUTH_AT
    from hrss.testing import sign_in

    client = Client(raise_request_exception=False)
    sign_in(client, user, second_factor=second_factor and user.requires_second_factor)
    session = client.session
    session[AUTH_AT] = time.time()  # recently authenticated (reauth pages; the module widens the window)
    session.save()
    return client


def _agency(name: str, scopes: list[str]) -> tuple[Client, Any]:
    from hrss.identity.clients import agency_client_create

    credentials = agency_client_create(name=name, scopes=scopes)
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    response = Client().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": " ".join(scopes)},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    # A system, not a browser: no CSRF token, and CSRF enforced as for any real caller.
    client = Client(raise_request_exception=False, enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")
    return client, credentials


def world_build(directory: Path) -> World:
    from hrss.card import services as card_services
    from hrss.card.models import Card
    from hrss.identity import services as identity_services
    from hrss.identity.auth import scope_for_user
    from hrss.identity.scopes import AGENCY_SCOPES
    from hrss.insurance import services as insurance_services
    from hrss.registry import importer
    from hrss.servicehall import services as hall
    from hrss.servicehall.models import WorkItem
    from hrss.talent.tests.builders import public_credit_code
    from hrss.testing import make_employer, make_employment, make_person, make_user

    w = World()
    w.person_a = make_person(district="120101", name=NAME_A, phone=PHONE_A, birth=dt.date(1980, 5, 1))
    w.person_b = make_person(district="120103", name=NAME_B, phone=PHONE_B, birth=dt.date(1982, 6, 2), sex="F")
    # E1 is a public institution (credit code 12...: 事业单位), so the talent app has one to aim at.
    w.employer_e1 = make_employer(district="120101", name="授权一号单位", credit_code=public_credit_code("120101"))
    w.employer_e2 = make_employer(district="120103", name="授权二号单位")
    make_employment(w.person_a, w.employer_e1, start=dt.date(2020, 1, 1))
    make_employment(w.person_b, w.employer_e2, start=dt.date(2020, 1, 1))

    u = w.users
    u[CITIZEN_A] = make_user("authz_citizen_a", roles.CITIZEN, person=w.person_a)
    u[CITIZEN_B] = make_user("authz_citizen_b", roles.CITIZEN, person=w.person_b)
    u[AGENT_E1] = make_user("authz_agent_e1", roles.EMPLOYER_AGENT, employer=w.employer_e1)
    u[CLERK_120101] = make_user("authz_clerk_120101", roles.COUNTER_CLERK, districts=["120101"])
    u[CLERK_120103] = make_user("authz_clerk_120103", roles.COUNTER_CLERK, districts=["120103"])
    u[REVIEWER] = make_user("authz_reviewer", roles.REVIEWER, city_wide=True)
    u[ADMINISTRATOR] = make_user("authz_admin", roles.ADMINISTRATOR, city_wide=True)
    u[CLERK_NO_2FA] = u[CLERK_120101]

    w.clients[ANONYMOUS] = Client(raise_request_exception=False)
    for role, user in u.items():
        w.clients[role] = _session(user, second_factor=role != CLERK_NO_2FA)
    w.clients[AGENCY_ALL], w.agency_credentials[AGENCY_ALL] = _agency("授权测试全权限机构", sorted(AGENCY_SCOPES))
    # agency_client_create refuses a client without any scope: this one holds a scope that
    # opens nothing the matrix tries.
    w.clients[AGENCY_NONE], w.agency_credentials[AGENCY_NONE] = _agency("授权测试无权限机构", ["verify:certificates"])

    def scope(role: str) -> Any:
        return scope_for_user(u[role])

    office = scope(ADMINISTRATOR)
    # Cards: A's is active with a bank account and an electronic card; B's is applied for.
    card = card_services.card_apply(person=w.person_a, channel="counter", scope=office)
    card_services.production_batch_create(scope=office, directory=directory)
    number = Card.objects.get(pk=card.pk).number
    card_services.production_results_apply(
        scope=office,
        data=f"batch,card_number,result,chip_serial,reason\n{Card.objects.get(pk=card.pk).batch.reference},"
        f"{number},ok,ATR{number},\n".encode(),
        filename="results.csv",
    )
    card_services.card_issue(scope=office, number=number, district="120101")
    card_services.card_activate(
        scope=scope(CITIZEN_A), card_id=card.pk, bank_code="icbc", bank_account=BANK_ACCOUNT, pin=PIN
    )
    card_services.ecard_issue(scope=scope(CITIZEN_A), card_id=card.pk)
    w.card_a = Card.objects.get(pk=card.pk)
    w.card_b = card_services.card_apply(person=w.person_b, channel="web", scope=scope(CITIZEN_B))
    w.payment_a = card_services.payment_order_create(
        scope=scope(CITIZEN_A),
        person=w.person_a,
        purpose="contribution",
        description="flexible worker contribution",
        amount=Decimal("100.00"),
        method="third_party",
        period="2025-01",
    ).order
    w.reconciliation = card_services.reconciliation_run(
        scope=office,
        gateway_name="bank",
        statement_date=dt.date(2025, 1, 2),
        data=b"reference,amount\n",
        filename="s.csv",
    )

    # Service hall: one open application each, waiting at the counter of the applicant's district.
    w.application_a, _ = hall.application_submit(
        scope=scope(CITIZEN_A),
        user=u[CITIZEN_A],
        item_code="SH-JY-001",
        form_data=UNEMPLOYMENT_FORM,
        idempotency_key="authz-a",
        channel="web",
    )
    w.application_b, _ = hall.application_submit(
        scope=scope(CITIZEN_B),
        user=u[CITIZEN_B],
        item_code="SH-JY-001",
        form_data={**UNEMPLOYMENT_FORM, "phone": PHONE_B},
        idempotency_key="authz-b",
        channel="web",
    )
    w.application_e1, _ = hall.application_submit(
        scope=scope(AGENT_E1),
        user=u[AGENT_E1],
        item_code="SH-YL-003",
        form_data=EMPLOYER_FORM,
        idempotency_key="authz-e1",
        channel="web",
    )
    # Labour arbitration: A's case against E1, accepted and waiting for an arbitrator.
    from hrss.labor.services import cases as labor_cases

    labor_cases.case_file(
        reference="ZC-AUTHZ-A",
        person_id=w.person_a.pk,
        respondent=w.employer_e1.credit_code,
        claims="支付拖欠工资",
        amount="8600",
        actor="authz",
        received_on=dt.date.today(),
    )
    w.case_a = labor_cases.case_accept(reference="ZC-AUTHZ-A", actor="authz", on=dt.date.today())
    from hrss.labor.models import MediationOrganisation
    from hrss.labor.services import mediation as labor_mediation

    organisation, _new = MediationOrganisation.objects.get_or_create(
        name="和平区调解委员会", defaults={"kind": "street", "district_id": "120101"}
    )
    w.mediation_a = labor_mediation.mediation_apply(
        scope=scope(CITIZEN_A),
        organisation_id=organisation.pk,
        respondent=w.employer_e1.credit_code,
        claims="支付拖欠工资",
        amount="8600",
        idempotency_key="authz-a",
    )
    w.work_item_a = WorkItem.objects.get(application=w.application_a, state=WorkItem.State.OPEN)
    w.work_item_b = WorkItem.objects.get(application=w.application_b, state=WorkItem.State.OPEN)
    w.material_a = hall.material_upload(
        scope=scope(CITIZEN_A),
        application=w.application_a,
        kind="id_card",
        upload=SimpleUploadedFile("id.png", PNG, content_type="image/png"),
    )

    # Insurance: A is enrolled through E1 with a declared base, and one month is assessed.
    insurance_services.enrolment_start(
        scope=scope(AGENT_E1),
        person_id=w.person_a.pk,
        employer_id=w.employer_e1.pk,
        insurance_types=["pension_enterprise", "medical_employee", "unemployment", "work_injury"],
        start_month=dt.date(2025, 1, 1),
    )
    insurance_services.base_declare(
        scope=scope(AGENT_E1), employer_id=w.employer_e1.pk, year=2025, wages=[(w.person_a.pk, Decimal("9000"))]
    )
    insurance_services.contribution_assess_month(period=dt.date(2025, 1, 1), actor="authz")

    # Registry: an import batch started by the administrator.
    w.import_batch = importer.registry_import(
        stream=io.BytesIO(b"id_number,name,household_district,residence_district\n"),
        filename="empty.csv",
        kind="persons",
        source="public_security",
        actor=u[ADMINISTRATOR].get_username(),
    )

    # Employment: an open vacancy of E1 and A's job-seeker profile.
    from hrss.employment import services as employment_services

    w.vacancy_e1 = employment_services.vacancy_post(
        scope=scope(AGENT_E1),
        values={
            "title": "授权测试岗位",
            "description": "负责系统开发。",
            "occupation": "2-02",
            "district": "120101",
            "wage_min": Decimal("8000"),
            "wage_max": Decimal("12000"),
            "skills": ["Python"],
            "headcount": 1,
            "valid_until": dt.date.today() + dt.timedelta(days=90),
        },
    )
    employment_services.profile_save(
        scope=scope(CITIZEN_A),
        occupations=["2-02"],
        districts=["120101"],
        wage_min=Decimal("7000"),
        education=None,
        skills=["Python"],
        available_from=None,
        visible_to_employers=False,
    )
    # A has applied for E1's vacancy (what E1's agent reads and invites).
    w.job_application_a = employment_services.application_submit(scope=scope(CITIZEN_A), vacancy_id=w.vacancy_e1.pk)
    # A policy run by the reviewer (last month's 社会保险补贴: it finds no one here).
    from hrss.employment import policies as employment_policies

    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    w.policy_run = employment_policies.policy_run(
        scope=scope(REVIEWER), policy_code="social_insurance_subsidy", period=last_month
    )
    agency_build(w)
    support_build(w)

    # Hotline: the generated knowledge base, a clerk's draft and a clerk's text awaiting review.
    from hrss.hotline import services as hotline_services

    hotline_services.generate()
    for code in ("qa-authz-draft", "qa-authz-pending"):
        hotline_services.article_create(
            scope=scope(CLERK_120101), values={"code": code, "title": "授权测试问答", "body": "授权测试正文。"}
        )
    hotline_services.article_submit(scope=scope(CLERK_120101), code="qa-authz-pending")
    from hrss.hotline import tickets as hotline_tickets

    # A's labour complaint about E1, taken by the 120101 clerk, routed to the inspectorate,
    # with a call-back asked for and drawn for quality review.
    w.ticket_a = hotline_tickets.ticket_open(
        scope=scope(CLERK_120101),
        values={
            "kind": "complaint",
            "category": "labour",
            "summary": "授权测试投诉",
            "id_number": w.person_a.id_number,
            "employer_credit_code": w.employer_e1.credit_code,
            "callback": True,
        },
    )
    type(w.ticket_a).objects.filter(pk=w.ticket_a.pk).update(sampled_on=dt.date.today())
    training_build(w, scope)
    talent_build(w, scope)
    programmes_build(w, scope)
    medical_build(w)
    credit_build(w)
    archive_build(w)
    exams_build(w)
    from hrss.analytics.tests.builders import warning as early_warning

    w.warning_e1 = early_warning(w.employer_e1, period=dt.date(2026, 6, 1))
    register_build(w)

    # A's own browser session listed on "my account" (what citizen B must not be able to end).
    w.session_a = identity_services.session_record(
        user=u[CITIZEN_A], session_key=w.clients[CITIZEN_A].session.session_key, method="password"
    )
    return w


FACE = "authz/face.jpg"


def segno_png() -> bytes:
    import segno

    out = io.BytesIO()
    segno.make("authz").save(out, kind="png", scale=2)
    return out.getvalue()


def archive_build(w: World) -> None:
    """A's certificate of contributions (参保缴费证明), issued to A from the assessed month, a
    scan of A's paper contract, and A's consent code for the exchange's history."""
    from hrss.archive import scans
    from hrss.archive import services as archive
    from hrss.core.scope import Scope
    from hrss.exchange import services as exchange

    scope = Scope(actor="authz-a", roles=frozenset({roles.CITIZEN}), person_id=w.person_a.pk)
    w.certificate_a = archive.certificate_issue(
        scope=scope, kind="insurance.contributions", base_url="http://testserver/"
    )
    w.scan_a, _created = scans.scan_add(
        scope=Scope(actor="authz-archive", roles=frozenset({roles.ADMINISTRATOR}), districts=None),
        id_number=w.person_a.id_number,
        doc_type="contract",
        title="劳动合同书",
        doc_date=dt.date(2001, 3, 1),
        data=segno_png(),
    )
    w.consent_a, w.consent_code_a = exchange.consent_create(
        scope=scope, recipient="授权测试部门", purpose="authz", days=7
    )
    w.medical_consent_code_a = exchange.consent_create(
        scope=scope, recipient="授权测试医院", purpose="authz", days=7, use="medical"
    )[1]


def talent_fingerprint() -> tuple:
    from hrss.talent.models import ProfessionalTitle

    return (tuple(ProfessionalTitle.objects.order_by("pk").values_list("pk", "status")),)


def exams_fingerprint() -> tuple:
    from hrss.exams.models import Appeal, Exam, FeeOrder, Item, Mark, Registration, Score, Seat

    def rows(model: Any, *fields: str) -> tuple:
        return tuple(model.objects.order_by("pk").values_list("pk", *fields))

    return (
        rows(Exam, "status"),
        rows(Registration, "status"),
        rows(FeeOrder, "status"),
        rows(Appeal, "status"),
        rows(Score, "total", "rank"),
        Item.objects.count(),
        Mark.objects.count(),
        Seat.objects.count(),
    )


def exams_build(w: World) -> None:
    """Personnel examinations: exam 1 taken to published results with A its one candidate
    (seated, scored, with a re-check asked for), exam 2 open with A's registration awaiting
    review; a bank of questions for both."""
    from hrss.core.scope import Scope
    from hrss.exams import services as exams
    from hrss.exams.models import Paper, Registration, Room, Script, Site

    office = scope_for_user_fresh(w.users[REVIEWER])
    a = Scope(actor="authz-a", roles=frozenset({roles.CITIZEN}), person_id=w.person_a.pk)
    for i in range(3):
        exams.item_add(
            scope=office,
            data={
                "kind": "single",
                "tag": "authz",
                "difficulty": 2,
                "points": "2",
                "stem": f"授权{i}",
                "options": ["甲", "乙", "丙", "丁"],
                "key": "A",
            },
        )
    exams.item_add(
        scope=office,
        data={"kind": "essay", "tag": "authz", "difficulty": 3, "points": "20", "stem": "论述", "key": "要点"},
    )
    site = Site.objects.create(code="AUTHZ", name="授权考点", district="120101", address="和平路1号")
    Room.objects.create(site=site, code="01", capacity=30)
    today = dt.date.today()
    base = {
        "name": "授权测试考试",
        "district": "120101",
        "fee": Decimal("50.00"),
        "registration_opens": today - dt.timedelta(days=1),
        "registration_closes": today + dt.timedelta(days=5),
        "held_on": today + dt.timedelta(days=20),
        "blueprint": [
            {"kind": "single", "tag": "authz", "difficulty": 2, "count": 3},
            {"kind": "essay", "tag": "authz", "difficulty": 3, "count": 1},
        ],
        "marking_threshold": Decimal("4"),
        "sites": ["AUTHZ"],
        "posts": [{"code": "P01", "name": "综合管理", "hires": 1, "min_age": 18, "max_age": 60}],
    }
    w.exam_done = exams.exam_create(scope=office, data={**base, "code": "EXAUTHZ1"})
    w.exam_open = exams.exam_create(scope=office, data={**base, "code": "EXAUTHZ2"})
    for code in ("EXAUTHZ1", "EXAUTHZ2"):
        exams.exam_advance(scope=office, code=code, step="open")
    w.exam_registration_a = exams.registration_create(scope=a, exam_code="EXAUTHZ1", post_code="P01")
    exams.registration_review(scope=office, registration_id=w.exam_registration_a.pk, approve=True)
    order, _url = exams.fee_pay(scope=a, registration_id=w.exam_registration_a.pk)
    exams.fee_settle(order=order, status="paid", amount=order.amount, actor="gateway:thirdparty")
    w.exam_fee_a = order
    w.exam_review_a = exams.registration_create(scope=a, exam_code="EXAUTHZ2", post_code="P01")
    exams.paper_assemble(scope=office, exam_code="EXAUTHZ1", seed=1)
    exams.exam_advance(scope=office, code="EXAUTHZ1", step="close")
    exams.seats_allocate(scope=office, exam_code="EXAUTHZ1")
    w.exam_registration_a = Registration.objects.select_related("seat").get(pk=w.exam_registration_a.pk)
    key, _points, written = exams.paper_layout(Paper.objects.get(exam=w.exam_done))
    ticket = w.exam_registration_a.seat.ticket
    exams.sheets_record(
        scope=office, exam_code="EXAUTHZ1", sheets={ticket: key}, scripts={ticket: {written[0]: "作答"}}
    )
    w.exam_script_a = Script.objects.get(registration=w.exam_registration_a)
    for marker in ("authz-m1", "authz-m2"):
        exams.mark_record(
            scope=Scope(actor=marker, roles=frozenset({roles.REVIEWER}), districts=None),
            script_code=w.exam_script_a.code,
            score=Decimal("15"),
        )
    exams.exam_score(scope=office, exam_code="EXAUTHZ1")
    exams.results_publish(scope=office, exam_code="EXAUTHZ1")
    w.exam_appeal_a = exams.appeal_create(scope=a, registration_id=w.exam_registration_a.pk, reason="复核")


def credit_build(w: World) -> None:
    """Credit: a month of E1's contributions unpaid past its grace period, as the insurance
    app reports it, recorded as E1's credit event and rated."""
    from hrss.core.creditfacts import CreditFact
    from hrss.credit import services as credit

    today = dt.date.today()
    fact = CreditFact(
        kind="contribution_arrears",
        source_ref=f"arrears:{w.employer_e1.pk}:authz",
        occurred_on=today - dt.timedelta(days=10),
        summary="社会保险费逾期未缴",
        employer_id=w.employer_e1.pk,
    )
    credit.record([fact], source="insurance")
    credit.rerate(employer_ids=[w.employer_e1.pk], on=today)
    w.credit_event_e1 = w.employer_e1.credit_events.get()


def training_build(w: World, scope: Any) -> None:
    """Training: E1 is a training school and an appraisal body (with a second agent who checks
    results); A completed E1's course, passed a published session and holds a certificate; an
    open session waits for registrations."""
    from django.test import override_settings
    from django.utils import timezone

    from hrss.core.scope import Scope
    from hrss.testing import make_user
    from hrss.training import services as training

    system = Scope.system("authz")
    t = w.training
    for kind in ("training", "appraisal"):
        t[kind] = training.institution_register(
            scope=system,
            employer_id=w.employer_e1.pk,
            values={
                "kind": kind,
                "licence_number": f"授权-{kind}",
                "licence_valid_until": dt.date(2030, 12, 31),
                "capacity": 100,
                "scope": ["6-31-01-03"],
            },
        )
        t[f"{kind}_site"] = training.site_add(
            scope=system,
            institution_id=t[kind].pk,
            values={"name": f"授权{kind}", "district": "120101", "address": "南京路1号", "room": "1", "capacity": 30},
        )
    training.approval_add(
        scope=system, body_id=t["appraisal"].pk, qualification="6-31-01-03", levels=[5, 4], document="授权"
    )
    checker = make_user("authz_agent_e1_checker", roles.EMPLOYER_AGENT, employer=w.employer_e1)
    now = timezone.now()
    t["course"] = training.course_publish(
        scope=scope(AGENT_E1),
        values={
            "title": "授权测试电工班",
            "qualification": "6-31-01-03",
            "level": 5,
            "mode": "site",
            "site": t["training_site"].pk,
            "hours": 80,
            "capacity": 30,
            # the day the session starts (just after midnight that is the day before)
            "starts_on": timezone.localtime(now - dt.timedelta(minutes=10)).date(),
            "ends_on": timezone.localdate() + dt.timedelta(days=30),
            "sessions": [{"starts_at": now - dt.timedelta(minutes=10), "ends_at": now + dt.timedelta(hours=3)}],
        },
    )
    t["session"] = t["course"].sessions.get()
    t["enrolment_a"] = training.enrol(scope=scope(CITIZEN_A), course_id=t["course"].pk)
    training.attendance_sign_in(
        scope=scope(AGENT_E1), session_id=t["session"].pk, method="card", credential=w.card_a.number
    )
    training.enrolment_complete(scope=scope(AGENT_E1), enrolment_id=t["enrolment_a"].pk)
    t["exam"] = training.session_schedule(
        scope=scope(AGENT_E1),
        values={
            "qualification": "6-31-01-03",
            "level": 5,
            "site": t["appraisal_site"].pk,
            "starts_at": now + dt.timedelta(days=2),
            "ends_at": now + dt.timedelta(days=2, hours=3),
            "proctors": ["授权监考"],
        },
    )
    t["candidate_a"] = training.candidate_register(scope=scope(CITIZEN_A), session_id=t["exam"].pk)
    with override_settings(HRSS_BIOMETRIC_TABLE={FACE: {"matched": True, "score": 0.99}}):
        training.candidate_sign_in(
            scope=scope(AGENT_E1), session_id=t["exam"].pk, candidate_id=t["candidate_a"].pk, face_reference=FACE
        )
    training.results_enter(
        scope=scope(AGENT_E1), session_id=t["exam"].pk, scores={str(t["candidate_a"].pk): ("80", "80")}
    )
    training.results_check(scope=scope_for_user_fresh(checker), session_id=t["exam"].pk)
    t["certificate_a"] = training.results_publish(scope=scope(AGENT_E1), session_id=t["exam"].pk)[0]
    t["open_exam"] = training.session_schedule(
        scope=scope(AGENT_E1),
        values={
            "qualification": "6-31-01-03",
            "level": 5,
            "site": t["appraisal_site"].pk,
            "starts_at": now + dt.timedelta(days=9),
            "ends_at": now + dt.timedelta(days=9, hours=3),
            "proctors": ["授权监考二"],
        },
    )


def scope_for_user_fresh(user: Any) -> Any:
    from hrss.identity.auth import scope_for_user

    return scope_for_user(user)


def training_fingerprint() -> tuple:
    from hrss.training.models import (
        AppraisalSession,
        Attendance,
        Candidate,
        Certificate,
        ConsentCode,
        Course,
        Enrolment,
        ProctorRecord,
        SubsidyClaim,
        SubsidyPaymentFile,
    )

    def rows(model: Any, *fields: str) -> tuple:
        return tuple(model.objects.order_by("pk").values_list("pk", *fields))

    return (
        Course.objects.count(),
        rows(Enrolment, "status", "progress_percent", "survey_score"),
        Attendance.objects.count(),
        rows(AppraisalSession, "status"),
        rows(Candidate, "result", "signed_in_at"),
        rows(Certificate, "status"),
        ConsentCode.objects.count(),
        ProctorRecord.objects.count(),
        SubsidyClaim.objects.count(),
        SubsidyPaymentFile.objects.count(),
    )


def medical_build(w: World) -> None:
    """Medical: A insured as an employee with a personal account; the all-scopes agency bound to
    a hospital of the reference data, which settled two outpatient visits on A's card."""
    from hrss.core.scope import Scope
    from hrss.identity.auth import agency_scope
    from hrss.medical import services as medical
    from hrss.medical.models import Institution, MonitoringFlag

    medical.insured_enrol(
        scope=Scope.system("authz"),
        person=w.person_a,
        category="employee",
        region="120100",
        since=dt.date(2015, 1, 1),
        account_balance=Decimal("300"),
    )
    name = "授权测试全权限机构"
    Institution.objects.filter(code="H12010100001").update(client_name=name)
    hospital = agency_scope(name=name, scopes=["medical:settle"])
    for transaction_id in ("AUTHZ-1", "AUTHZ-2"):
        w.medical[transaction_id] = medical.claim_settle(
            scope=hospital,
            transaction_id=transaction_id,
            card_number=w.card_a.number,
            card_pin=PIN,
            visit=medical.Visit(
                pooling="outpatient",
                lines=[
                    medical.LineIn(code="110200001", quantity=Decimal("1"), unit_price=Decimal("50")),
                    medical.LineIn(code="C10AA05", quantity=Decimal("28"), unit_price=Decimal("5")),
                ],
            ),
        )
    # The two visits bill the same items the same day: the monitoring raises duplicate-billing
    # cases at the hospital (district 120101); one of them is the matrix's target.
    medical.monitoring_run(scope=Scope.system("authz"))
    w.medical["flag"] = MonitoringFlag.objects.filter(rule="duplicate_billing").order_by("subject").first()


def medical_flag_confirm(w: World) -> None:
    """The target case confirmed by the reviewer (a recovery case open), for recording the recovery."""
    from hrss.core.scope import Scope
    from hrss.medical import services as medical

    medical.flag_decide(
        scope=Scope(actor="authz-setup", roles=frozenset({roles.REVIEWER}), districts=None),
        flag_id=w.medical["flag"].pk,
        confirm=True,
        reason="授权测试确认",
        overpaid=Decimal("10"),
    )


def medical_fingerprint() -> tuple:
    from hrss.insurance.models import RecoveryCase
    from hrss.medical.models import Claim, Insured, MonitoringFlag, MonitoringRun

    return (
        tuple(Claim.objects.order_by("pk").values_list("pk", "reversed_at")),
        tuple(Insured.objects.order_by("pk").values_list("pk", "account_balance")),
        tuple(MonitoringFlag.objects.order_by("pk").values_list("pk", "status", "recovery_case")),
        MonitoringRun.objects.count(),
        tuple(RecoveryCase.objects.order_by("pk").values_list("pk", "status")),
    )


def upload(name: str, content: bytes, content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def talent_build(w: World, scope: Any) -> None:
    """Talent: E1 registered as a public institution with a quota of 5 (全额拨款), two posts,
    A on its staff and a recruitment plan of one under review; A holds a talent green card
    with a benefit application pending."""
    from hrss.talent import services as talent

    office = scope(ADMINISTRATOR)
    t = w.talent
    t["institution"] = talent.institution_register(scope=office, credit_code=w.employer_e1.credit_code)
    talent.quota_set(scope=office, institution_id=t["institution"].pk, kind="full", count=5)
    for key, grade, count in (("p10", 10, 3), ("p9", 9, 1)):
        t[key] = talent.post_set(
            scope=office, institution_id=t["institution"].pk, category="professional", grade=grade, count=count
        )
    t["staff_a"] = talent.staff_add(
        scope=scope(AGENT_E1),
        institution_id=t["institution"].pk,
        id_number=w.person_a.id_number,
        name=NAME_A,
        post_id=t["p10"].pk,
        kind="full",
        scale_step=20,
        entered_on=dt.date(2020, 1, 1),
    )
    t["plan"] = talent.plan_submit(
        scope=scope(AGENT_E1),
        user=w.users[AGENT_E1],
        year=dt.date.today().year,
        kind="full",
        lines=[{"post": str(t["p10"].pk), "numbers": 1}],
        idempotency_key="authz-plan",
    )
    # R1: A holds a talent green card (issued as the hall's approval would) with a benefit
    # application pending; B holds none.
    t["green_card_a"] = talent.green_card_issue(
        scope=office, person_id=w.person_a.pk, category="b", reference="AUTHZ-GC-A"
    )
    t["benefit_a"] = talent.green_card_benefit_apply(
        scope=scope(CITIZEN_A), kind="medical", details="授权测试", idempotency_key="authz-benefit"
    )
    # A holds a professional title the title office (administrators) recorded.
    t["title_a"] = talent.title_record(
        scope=office,
        id_number=w.person_a.id_number,
        name=NAME_A,
        number="AUTHZ-ZC-A",
        series="工程",
        speciality="",
        title="工程师",
        level="intermediate",
        committee="授权测试评审委员会",
        issued_on=dt.date(2024, 12, 1),
    )


def programmes_build(w: World, scope: Any) -> None:
    """Talent programmes (R1): B and two other people are the expert pool. In ``AUTHZ-P1``
    (taking declarations) A's declaration is under review by the three (B's sheet not yet in)
    and B's own declaration awaits the formal check. In ``AUTHZ-P2`` A's declaration was
    scored, published and appealed (the appeal pending)."""
    from hrss.core.scope import CITIZEN, Scope
    from hrss.talent import services as talent
    from hrss.talent.programme_models import Programme, ReviewAssignment
    from hrss.testing import make_person

    office = scope(ADMINISTRATOR)
    t = w.talent
    today = dt.date.today()
    criteria = [{"name": "创新性", "max_points": 50}, {"name": "可行性", "max_points": 50}]
    for code in ("AUTHZ-P1", "AUTHZ-P2"):
        t[code] = talent.programme_create(
            scope=office, code=code, name=f"授权测试人才计划{code[-1]}", level="municipal", opens_on=today,
            closes_on=today + dt.timedelta(days=30), funding_per_project="100000", awards=1, criteria=criteria,
            experts_per_declaration=3, notice_days=7,
        )  # fmt: skip
    others = [make_person(district="120103", name=f"授权专家{i}", birth=dt.date(1970, 1, 1 + i)) for i in range(2)]
    experts = {}
    for person in [w.person_b, *others]:
        experts[person.pk] = talent.expert_add(
            scope=office, id_number=person.id_number, name=person.name, specialities=["工程技术"]
        )
    t["expert_b"] = experts[w.person_b.pk]
    for code in ("AUTHZ-P1", "AUTHZ-P2"):
        t[f"{code}-a"] = talent.declaration_submit(
            scope=scope(CITIZEN_A), programme_code=code, title="授权测试项目", summary="授权测试", requested_amount="1000",
        )  # fmt: skip
        talent.declaration_check(scope=office, declaration_id=t[f"{code}-a"].pk, accepted=True)
        talent.experts_assign(scope=office, declaration_id=t[f"{code}-a"].pk, seed=1)
    t["declaration_b"] = talent.declaration_submit(
        scope=scope(CITIZEN_B), programme_code="AUTHZ-P1", title="授权乙项目", summary="授权测试", requested_amount="1000",
    )  # fmt: skip
    t["assignment_b"] = ReviewAssignment.objects.get(declaration=t["AUTHZ-P1-a"], expert=t["expert_b"])
    for row in ReviewAssignment.objects.filter(declaration=t["AUTHZ-P2-a"]).select_related("expert"):
        expert_scope = Scope(actor="authz-expert", roles=frozenset({CITIZEN}), person_id=row.expert.person_id)
        talent.sheet_submit(scope=expert_scope, assignment_id=row.pk, scores={"创新性": 40, "可行性": 40}, comment="好")
    talent.programme_aggregate(scope=office, programme_code="AUTHZ-P2")
    Programme.objects.filter(code="AUTHZ-P2").update(
        opens_on=today - dt.timedelta(days=30), closes_on=today - dt.timedelta(days=1)
    )
    talent.programme_publish(scope=office, programme_code="AUTHZ-P2")
    t["appeal_a"] = talent.appeal_lodge(scope=scope(CITIZEN_A), declaration_id=t["AUTHZ-P2-a"].pk, reason="授权异议")


def programmes_fingerprint() -> tuple:
    from hrss.talent.programme_models import (
        Declaration,
        Expert,
        ExpertConflict,
        Programme,
        ProgrammeAppeal,
        ReviewAssignment,
        ScoreSheet,
    )

    def rows(model: Any, *fields: str) -> tuple:
        return tuple(model.objects.order_by("pk").values_list("pk", *fields))

    return (
        rows(Programme, "published_at", "finalised_at"),
        rows(Declaration, "status", "score", "rank"),
        rows(ReviewAssignment, "status"),
        ScoreSheet.objects.count(),
        rows(ProgrammeAppeal, "status"),
        rows(Expert, "active", "specialities"),
        ExpertConflict.objects.count(),
    )


def register_build(w: World) -> None:
    """The rights-protection register (L2): two petitions by A about E1 (the second a duplicate),
    a fraud case about A, and the first petition transferred to the city's inspectorate."""
    from hrss.core.scope import INSPECTOR, Scope
    from hrss.labor.services import register, transfers

    desk = Scope(actor="authz-register", roles=frozenset({INSPECTOR}), districts=None)
    values = {"channel": "letter", "subject": "授权测试信访", "person_id": w.person_a.pk}
    first = register.petition_record(
        scope=desk, credit_code=w.employer_e1.credit_code, idempotency_key="authz-p1", **values
    )
    second = register.petition_record(
        scope=desk, credit_code=w.employer_e1.credit_code, idempotency_key="authz-p2", **values
    )
    fraud = register.fraud_open(
        scope=desk,
        kind="impersonation",
        found_by="cross_check",
        amount="1000",
        description="授权测试",
        person_id=w.person_a.pk,
        idempotency_key="authz-f1",
    )
    transfer = transfers.transfer_send(
        scope=desk,
        kind="petition",
        reference=first.reference,
        to_unit="city-inspection",
        reason="授权测试",
        idempotency_key="authz-t1",
    )
    w.register = {"petition": first, "duplicate": second, "fraud": fraud, "transfer": transfer}


def register_fingerprint() -> tuple:
    from hrss.labor.models import FraudCase, Petition, Transfer

    return (
        tuple(Petition.objects.order_by("pk").values_list("pk", "status", "unit_id", "merged_into_id")),
        tuple(FraudCase.objects.order_by("pk").values_list("pk", "status", "recovery_case")),
        tuple(Transfer.objects.order_by("pk").values_list("pk", "received_at")),
    )


def agency_build(w: World) -> None:
    """Employment (E1/E4): the all-scopes agency licensed for 120101, with a vacancy it posted for
    E1; an unemployment registration of a third person living in 120101 (staff's view of it)."""
    from hrss.core.scope import Scope
    from hrss.employment import agencies
    from hrss.employment.models import UnemploymentRegistration
    from hrss.identity.auth import agency_scope
    from hrss.testing import make_person

    system = Scope.system("authz")
    today = dt.date.today()
    name = "授权测试全权限机构"
    w.agency["licence"] = agencies.licence_record(
        scope=system,
        licence_number="津人服证字〔2026〕第AUTHZ0001号",
        agency_name="授权测试人力资源服务有限公司",
        client_name=name,
        districts=["120101"],
        valid_from=today - dt.timedelta(days=30),
        valid_until=today + dt.timedelta(days=365),
    )
    w.agency["vacancy"] = agencies.agency_vacancy_post(
        scope=agency_scope(name=name, scopes=[agencies.GRANT]),
        credit_code=w.employer_e1.credit_code,
        values={
            "title": "授权测试代招岗位",
            "description": "负责仓储管理。",
            "occupation": "4-01",
            "district": "120101",
            "wage_min": Decimal("5000"),
            "wage_max": Decimal("7000"),
            "skills": [],
            "headcount": 1,
            "valid_until": today + dt.timedelta(days=60),
        },
    )
    person = make_person(district="120101", name="授权登记人")
    w.agency["registration"] = UnemploymentRegistration.objects.create(
        person=person,
        unemployed_since=today - dt.timedelta(days=40),
        registered_on=today - dt.timedelta(days=30),
        hall_reference="AUTHZ-UR-0001",
        registered_by="authz",
    )


def agency_fingerprint() -> tuple:
    from hrss.employment.models import AgencyLicence

    return (tuple(AgencyLicence.objects.order_by("pk").values_list("pk", "revoked_at")),)


def support_build(w: World) -> None:
    """The bureau's support for people (E1, E2): A is identified as disabled by the 120101
    clerk, who publishes two slots (A books one); A registers a start-up."""
    from django.utils import timezone

    from hrss.employment import support
    from hrss.identity.auth import scope_for_user

    def fresh(role: str) -> Any:
        user = w.users[role]
        user._hrss_scope = None
        return scope_for_user(user)

    clerk = fresh(CLERK_120101)
    w.support_member_a = support.special_group_identify(
        scope=clerk, person_id=w.person_a.pk, category="disabled", evidence="残疾人证 第1号"
    )
    soon = (timezone.localtime() + dt.timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
    booked = support.guidance_slot_publish(scope=clerk, starts_at=soon, place="三楼职业指导室", district="120101")
    w.guidance_slot_open = support.guidance_slot_publish(
        scope=clerk, starts_at=soon + dt.timedelta(days=1), place="三楼职业指导室", district="120101"
    )
    w.guidance_booking_a = support.guidance_book(scope=fresh(CITIZEN_A), slot_id=booked.pk, topic="转行")
    w.startup_a = support.startup_register(
        scope=fresh(CITIZEN_A),
        business_name="和平区小张早餐店",
        started_on=dt.date.today() - dt.timedelta(days=30),
        industry="H",
        district="120101",
        employees=1,
    )
