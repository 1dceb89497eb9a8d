"""What employment services offer the personal dossier and its certificates
(``hrss.employment.dossier``): a person's registrations, applications, start-up support and
subsidies, an employer's registrations and vacancies, and the 就业失业登记证明."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone, translation

from hrss.core.errors import NotFound
from hrss.core.scope import Scope
from hrss.employment import dossier, rules, services, startup
from hrss.employment.models import JobApplication, PolicyPayment, PolicyRun, UnemploymentRegistration, Vacancy
from hrss.employment.tests import builders
from hrss.testing import make_employer, make_person

pytestmark = pytest.mark.django_db

STAFF = Scope.system("reviewer1")
TODAY = dt.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _sections(person_id, *, limit=20, on=None):
    return {s.key: s for s in dossier.person_sections(person_id, on=on or timezone.localdate(), limit=limit)}


def _unemployed(person, since, reference, *, registered_on=None):
    registration = services.unemployment_register(
        scope=STAFF, person_id=person.pk, unemployed_since=since, reference=reference, last_employer="旧单位"
    )
    if registered_on is not None:  # a registration made on an earlier day
        UnemploymentRegistration.objects.filter(pk=registration.pk).update(registered_on=registered_on)
    return registration


def _employed(person, started_on, reference, *, employer=None, kind="employee", name=""):
    return startup.employment_register(
        scope=STAFF,
        person_id=person.pk,
        kind=kind,
        started_on=started_on,
        reference=reference,
        credit_code=employer.credit_code if employer else "",
        employer_name=name,
    )


def _history(person, employer):
    """Unemployed from June, employed by ``employer`` from September (ending the unemployment),
    that job ended in October, then self-employed from November."""
    _unemployed(person, dt.date(2026, 6, 1), "SJ-U-1", registered_on=dt.date(2026, 6, 3))
    _employed(person, dt.date(2026, 9, 1), "SJ-E-1", employer=employer)
    startup.left(person_id=person.pk, employer_id=employer.pk, last_month=dt.date(2026, 10, 1), actor="test")
    _employed(person, dt.date(2026, 11, 2), "SJ-E-2", kind="self_employed", name="张记早餐店")


def test_a_person_sees_their_registrations_newest_first_in_chinese():
    person = make_person(name="张伟")
    employer = make_employer(name="天津示范科技有限公司")
    _history(person, employer)

    sections = dossier.person_sections(person.pk, on=timezone.localdate(), limit=20)

    assert [(s.key, s.title, s.total) for s in sections] == [
        ("employment.registrations", "就业登记", 2),
        ("employment.unemployment", "失业登记", 1),
    ]
    registrations, unemployment = sections
    assert [(e.title, e.on, e.reference) for e in registrations.entries] == [
        ("张记早餐店", dt.date(2026, 11, 2), "SJ-E-2"),
        ("天津示范科技有限公司", dt.date(2026, 9, 1), "SJ-E-1"),
    ]
    newest, oldest = registrations.entries
    assert "2026-11-02" in newest.detail and newest.status == ""
    assert "2026-09-01" in oldest.detail and "2026-10-31" in oldest.detail and oldest.status
    (entry,) = unemployment.entries
    assert entry.on == dt.date(2026, 6, 3) and entry.reference == "SJ-U-1"
    assert "2026-06-01" in entry.detail and "旧单位" in entry.detail and "2026-09-01" in entry.detail
    assert entry.status == str(UnemploymentRegistration.Status.ENDED.label)
    assert entry.link == "/employment/#registration"


def test_applications_and_start_up_support_are_listed_with_their_limit_and_total():
    seeker = builders.seeker(name="李娜")
    agent = builders.agent(name="招聘单位甲")
    vacancies = [builders.vacancy(agent, title=f"岗位{n}") for n in range(3)]
    for n, vacancy in enumerate(vacancies):
        application = services.application_submit(scope=builders.scope(seeker), vacancy_id=vacancy.pk)
        JobApplication.objects.filter(pk=application.pk).update(created_at=timezone.now() - dt.timedelta(days=10 - n))
    JobApplication.objects.filter(vacancy=vacancies[1]).update(status=JobApplication.Status.INVITED)
    for n in (1, 2):
        startup.loan_grant(
            scope=STAFF,
            person_id=seeker.person.pk,
            business_name=f"店{n}",
            amount="50000",
            term_months="12",
            reference=f"SJ-L-{n}",
        )
    startup.subsidy_grant(
        scope=STAFF,
        person_id=seeker.person.pk,
        business_name="张记早餐店",
        started_on=timezone.localdate() - dt.timedelta(days=100),
        reference="SJ-S-1",
    )

    sections = _sections(seeker.person.pk, limit=2)

    applications = sections["employment.applications"]
    assert (applications.title, applications.total) == ("求职申请", 3)
    assert [(e.title, e.detail) for e in applications.entries] == [("岗位2", "招聘单位甲"), ("岗位1", "招聘单位甲")]
    assert applications.entries[1].status == "已邀请面试"
    assert applications.entries[0].link == "/employment/#applications"
    support = sections["employment.startup"]
    assert (support.title, support.total, len(support.entries)) == ("创业扶持", 3, 2)
    assert {e.reference for e in support.entries} <= {"SJ-L-1", "SJ-L-2", "SJ-S-1"}
    everything = _sections(seeker.person.pk)["employment.startup"]
    loan = next(e for e in everything.entries if e.reference == "SJ-L-1")
    assert loan.title == "创业担保贷款：店1" and "50000.00 元" in loan.detail and "12" in loan.detail
    grant = next(e for e in everything.entries if e.reference == "SJ-S-1")
    assert grant.title == "一次性创业补贴：张记早餐店" and "10000.00 元" in grant.detail


def test_only_subsidies_paid_to_the_person_are_theirs(monkeypatch):
    person = make_person(name="王芳")
    employer = make_employer(name="雇主乙")
    table = dict(rules.policies())
    hired = table["social_insurance_subsidy"]
    table["flexible_subsidy"] = dataclasses.replace(
        hired, code="flexible_subsidy", name="灵活就业社会保险补贴", beneficiary="person"
    )
    monkeypatch.setattr(rules, "policies", lambda: table)
    run = PolicyRun.objects.create(policy="flexible_subsidy", period=dt.date(2026, 10, 1), started_by="runner")
    employer_run = PolicyRun.objects.create(policy=hired.code, period=dt.date(2026, 10, 1), started_by="runner")

    def pay(run, period, amount, status, employer=None):
        return PolicyPayment.objects.create(
            run=run,
            policy=run.policy,
            period=period,
            key=f"{run.policy}-{period}-{amount}",
            employer=employer,
            person=person,
            amount_fen=amount,
            status=status,
            approved_at=timezone.now() if status == PolicyPayment.Status.APPROVED else None,
        )

    pay(run, dt.date(2026, 9, 1), 60000, PolicyPayment.Status.APPROVED)
    pay(run, dt.date(2026, 10, 1), 61050, PolicyPayment.Status.APPROVED)
    pay(run, dt.date(2026, 11, 1), 62000, PolicyPayment.Status.PROPOSED)  # not yet decided
    pay(employer_run, dt.date(2026, 10, 1), 122500, PolicyPayment.Status.APPROVED, employer)  # the employer's

    section = _sections(person.pk)["employment.subsidies"]

    assert (section.title, section.total) == ("就业补贴", 2)
    assert [(e.title, e.detail) for e in section.entries] == [
        ("灵活就业社会保险补贴", "610.50 元（2026-10）"),
        ("灵活就业社会保险补贴", "600.00 元（2026-09）"),
    ]


def test_a_person_without_records_gets_no_section_and_no_certificate():
    person = make_person(name="赵六")
    builders.vacancy(builders.agent())  # somebody else's record
    assert dossier.person_sections(person.pk, on=timezone.localdate(), limit=20) == []
    assert dossier.certificate_offers(person.pk, on=timezone.localdate()) == []
    with pytest.raises(NotFound):
        dossier.certificate_body(dossier.REGISTRATION, "", person.pk, on=timezone.localdate())


def test_an_employer_sees_its_registrations_masked_and_its_vacancies():
    agent = builders.agent(name="招聘单位丙")
    employer = agent.employer
    for n, name in enumerate(("张三", "欧阳小明")):
        _employed(make_person(name=name), dt.date(2026, 10, 1 + n), f"SJ-E-{n}", employer=employer)
    closed = builders.vacancy(agent, title="会计", headcount=1)
    services.vacancy_close(scope=builders.scope(agent), vacancy_id=closed.pk)
    open_one = builders.vacancy(agent, title="软件开发工程师")
    Vacancy.objects.filter(pk=closed.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    services.application_submit(scope=builders.scope(builders.seeker()), vacancy_id=open_one.pk)
    builders.vacancy(builders.agent(), title="别家岗位")

    sections = dossier.employer_sections(employer.pk, on=timezone.localdate(), limit=20)

    assert [(s.key, s.title, s.total) for s in sections] == [
        ("employment.employer_registrations", "就业登记", 2),
        ("employment.vacancies", "招聘岗位", 2),
    ]
    registrations, vacancies = sections
    assert [e.title for e in registrations.entries] == ["就业登记：欧***", "就业登记：张*"]
    assert [(e.title, e.status) for e in vacancies.entries] == [("软件开发工程师", "招聘中"), ("会计", "已关闭")]
    assert "1 人申请" in vacancies.entries[0].detail and "8000.00" in vacancies.entries[0].detail
    assert vacancies.entries[0].link == f"/employment/vacancies/{open_one.pk}/candidates/"
    assert dossier.employer_sections(make_employer().pk, on=timezone.localdate(), limit=20) == []


def test_the_certificate_states_the_current_employment_and_the_history():
    person = make_person(name="张伟")
    employer = make_employer(name="天津示范科技有限公司")
    _history(person, employer)

    (offer,) = dossier.certificate_offers(person.pk, on=TODAY)
    assert (offer.kind, offer.ref, offer.title) == ("employment.registration", "", "就业失业登记证明")
    body = dossier.certificate_body(offer.kind, offer.ref, person.pk, on=TODAY)

    assert body.title == "就业失业登记证明"
    facts = dict(body.facts)
    assert facts["当前状态"] == "就业"
    assert facts["就业日期"] == "2026年11月2日"
    assert facts["就业单位或经营实体"] == "张记早餐店"
    assert facts["就业登记 SJ-E-1"] == "天津示范科技有限公司，2026-09-01 至 2026-10-31"
    assert facts["就业登记 SJ-E-2"] == "张记早餐店，2026-11-02 至今"
    assert facts["失业登记 SJ-U-1"].startswith("2026-06-03 登记，2026-06-01 起失业")
    assert "2026年11月2日" in body.paragraphs[0] and "张记早餐店" in body.paragraphs[0]
    summary = dict(body.summary)
    assert summary["当前状态"] == "就业" and summary["登记次数"] == "3"
    assert "张伟" not in str(body.summary) and person.id_number not in str(body.summary)


def test_a_registered_unemployed_person_is_certified_as_unemployed():
    person = make_person(name="孙七")
    employer = make_employer()
    _employed(person, dt.date(2026, 3, 1), "SJ-E-9", employer=employer)
    startup.left(person_id=person.pk, employer_id=employer.pk, last_month=dt.date(2026, 7, 1), actor="test")
    _unemployed(person, dt.date(2026, 8, 1), "SJ-U-9")

    body = dossier.certificate_body(dossier.REGISTRATION, "", person.pk, on=TODAY)

    facts = dict(body.facts)
    assert facts["当前状态"] == "已办理失业登记"
    assert facts["登记失业日期"] == "2026年8月1日"
    assert "就业单位或经营实体" not in facts
    assert dict(body.summary)["起始日期"] == "2026年8月1日"


def test_the_certificate_is_refused_for_an_unknown_kind_or_a_reference():
    person = make_person()
    _unemployed(person, dt.date(2026, 8, 1), "SJ-U-7")
    for kind, ref in (("employment.other", ""), (dossier.REGISTRATION, "SJ-U-7")):
        with pytest.raises(NotFound):
            dossier.certificate_body(kind, ref, person.pk, on=TODAY)


def test_a_person_with_many_records_takes_a_few_queries(django_assert_max_num_queries):
    seeker = builders.seeker()
    agent = builders.agent()
    employer = agent.employer
    for n in range(6):
        vacancy = builders.vacancy(agent, title=f"岗位{n}")
        services.application_submit(scope=builders.scope(seeker), vacancy_id=vacancy.pk)
        _unemployed(seeker.person, dt.date(2026, 1 + n, 1), f"SJ-U-{n}")
        _employed(seeker.person, dt.date(2026, 1 + n, 15), f"SJ-E-{n}", employer=employer)
        startup.left(person_id=seeker.person.pk, employer_id=employer.pk, last_month=dt.date(2026, 1 + n, 1), actor="t")
        startup.loan_grant(
            scope=STAFF,
            person_id=seeker.person.pk,
            business_name=f"店{n}",
            amount="10000",
            term_months="12",
            reference=f"SJ-L-{n}",
        )

    # five sections, each one query for its page and one count
    with django_assert_max_num_queries(10):
        sections = dossier.person_sections(seeker.person.pk, on=TODAY, limit=3)
    assert {s.key: s.total for s in sections} == {
        "employment.registrations": 6,
        "employment.unemployment": 6,
        "employment.applications": 6,
        "employment.startup": 6,
    }
    assert all(len(s.entries) == 3 for s in sections)
    with django_assert_max_num_queries(4):
        dossier.employer_sections(employer.pk, on=TODAY, limit=3)
    with django_assert_max_num_queries(2):
        dossier.certificate_body(dossier.REGISTRATION, "", seeker.person.pk, on=TODAY)
