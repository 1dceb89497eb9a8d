"""The insurance app's part of the dossier (A4) and its certificates (B2): a person's enrolments,
contributions per insurance and benefits, an employer's registrations, months and insured staff,
newest first and a few queries however many there are; 参保缴费证明 with the service hall item's
figures and 养老金领取证明 for one's own pension only."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone, translation

from hrss.core.errors import NotFound
from hrss.core.scope import Scope
from hrss.insurance import dossier, rules, services
from hrss.insurance.models import EmployerPeriodTotal
from hrss.insurance.services import benefits
from hrss.insurance.tests.builders import agent, assess, citizen, citizen_user, clerk, employee, submit
from hrss.testing import make_employer, make_person

pytestmark = pytest.mark.django_db

PENSION, MEDICAL, UNEMPLOYMENT, WORK_INJURY = "企业职工基本养老保险", "职工基本医疗保险", "失业保险", "工伤保险"


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def sections(person_id: Any, limit: int = 20) -> dict[str, Any]:
    return {s.key: s for s in dossier.person_sections(person_id, on=timezone.localdate(), limit=limit)}


def employer_sections(employer_id: Any, limit: int = 20) -> dict[str, Any]:
    return {s.key: s for s in dossier.employer_sections(employer_id, on=timezone.localdate(), limit=limit)}


def grant_pension(person: Any) -> Any:
    return benefits.pension_award_grant(
        scope=clerk(), computation=benefits.pension_award_compute(scope=clerk(), person_id=person.pk)
    )


def pay(employer: Any, period: dt.date, amount: Decimal, reference: str) -> None:
    text = f"credit_code,id_number,period,amount,paid_on,reference\n{employer.credit_code},,{period:%Y-%m},{amount},{period:%Y-%m}-25,{reference}\n"
    services.payment_file_post(
        scope=clerk(), stream=io.BytesIO(text.encode()), filename=f"{reference}.csv", source="bank"
    )


@pytest.fixture
def mover() -> Any:
    """Employed through 机械厂 in 2024-01..2024-06 (pension only), a flexible worker from 2025-01."""
    firm = make_employer(name="机械厂", industry="34")
    person = employee(firm, start=dt.date(2024, 1, 1), types=["pension_enterprise"])
    services.enrolment_stop(
        scope=agent(firm),
        person_id=person.pk,
        insurance_types=["pension_enterprise"],
        last_month=dt.date(2024, 6, 1),
        reason="left_employer",
        employer_id=firm.pk,
    )
    services.enrolment_start(
        scope=citizen(person),
        person_id=person.pk,
        insurance_types=["pension_enterprise"],
        start_month=dt.date(2025, 1, 1),
    )
    return person


# --- a person's sections ---------------------------------------------------------------------------


def test_enrolments_newest_first_with_payer_span_and_status(mover):
    section = sections(mover.pk)["insurance.enrolments"]
    assert (section.title, section.total, section.order) == ("参保登记", 2, 20)
    flexible, employed = section.entries
    assert flexible.title == f"{PENSION}（灵活就业人员）" and employed.title == f"{PENSION}（机械厂）"
    assert (flexible.on, flexible.detail, flexible.status) == (dt.date(2025, 1, 1), "2025-01 起", "参保中")
    assert (employed.on, employed.detail, employed.status) == (
        dt.date(2024, 1, 1),
        "2024-01 至 2024-06；停保原因：解除劳动关系",
        "已停保",
    )
    assert flexible.link == employed.link == "/insurance/"


def test_contributions_per_insurance_latest_paid_first(retiree):
    section = sections(retiree.pk)["insurance.contributions"]
    assert (section.title, section.total) == ("缴费记录", 4)
    assert [e.title for e in section.entries] == [PENSION, MEDICAL, UNEMPLOYMENT, WORK_INJURY]
    pension = section.entries[0]
    # 8355 × 8 % × 6 = 4010.40 by the person, 8355 × 16 % × 6 = 8020.80 by the employer
    assert pension.detail == "缴费 6 个月（2025-01 至 2025-06）；个人缴费 4,010.40 元，单位缴费 8,020.80 元"
    assert (pension.on, pension.status, pension.reference) == (dt.date(2025, 1, 1), "参保中", "")


def test_an_insurance_stopped_earlier_comes_after_those_paid_later():
    firm = make_employer(name="机械厂", industry="34")
    person = employee(firm, start=dt.date(2025, 1, 1), wage=Decimal("8355"))
    services.enrolment_stop(
        scope=agent(firm),
        person_id=person.pk,
        insurance_types=["unemployment"],
        last_month=dt.date(2025, 3, 1),
        reason="other",
        employer_id=firm.pk,
    )
    assess(dt.date(2025, 1, 1), 6)
    entries = sections(person.pk)["insurance.contributions"].entries
    assert [e.title for e in entries] == [PENSION, MEDICAL, WORK_INJURY, UNEMPLOYMENT]
    assert entries[-1].detail.startswith("缴费 3 个月（2025-01 至 2025-03）") and entries[-1].status == "已停保"


def test_the_limit_cuts_the_entries_not_the_total(retiree):
    found = sections(retiree.pk, limit=2)
    assert (found["insurance.enrolments"].total, len(found["insurance.enrolments"].entries)) == (4, 2)
    assert (found["insurance.contributions"].total, len(found["insurance.contributions"].entries)) == (4, 2)
    assert [e.title for e in found["insurance.contributions"].entries] == [PENSION, MEDICAL]


def test_benefits_show_the_pension_award(retiree):
    assert "insurance.benefits" not in sections(retiree.pk)
    grant_pension(retiree)
    section = sections(retiree.pk)["insurance.benefits"]
    assert (section.title, section.total) == ("社会保险待遇", 1)
    (entry,) = section.entries
    assert (entry.title, entry.on, entry.status) == ("基本养老金", dt.date(2025, 8, 1), "正常")
    assert entry.detail == "每月 2,014.83 元；2025-08 起" and entry.reference == ""
    # retiring stopped the pension and unemployment enrolments at 2025-07
    statuses = {e.title: e.status for e in sections(retiree.pk)["insurance.enrolments"].entries}
    assert statuses[f"{PENSION}（机械厂）"] == "已停保" and statuses[f"{MEDICAL}（机械厂）"] == "参保中"


def test_a_person_without_records_gets_no_section():
    nobody = make_person(name="无记录")
    assert dossier.person_sections(nobody.pk, on=timezone.localdate(), limit=20) == []
    assert dossier.certificate_offers(nobody.pk, on=timezone.localdate()) == []


def test_sections_take_a_few_queries_however_many_records(mover, retiree, django_assert_max_num_queries):
    grant_pension(retiree)
    for year in (2020, 2021, 2022):  # three more spells of the flexible worker
        services.enrolment_stop(
            scope=citizen(mover),
            person_id=mover.pk,
            insurance_types=["pension_enterprise"],
            last_month=dt.date(year + 5, 3, 1),
            reason="self_stopped",
        )
        services.enrolment_start(
            scope=citizen(mover),
            person_id=mover.pk,
            insurance_types=["pension_enterprise"],
            start_month=dt.date(year + 5, 6, 1),
        )
    assess(dt.date(2024, 1, 1), 24)
    dossier.person_sections(retiree.pk, on=timezone.localdate(), limit=1)  # the insurance names cached
    # two queries a section (the newest entries, a count when there may be more), and one
    # cache read for each insurance's name (four here, however many records there are)
    for person in (mover, retiree):
        with django_assert_max_num_queries(6 + 4):
            found = dossier.person_sections(person.pk, on=timezone.localdate(), limit=2)
        assert found and all(len(section.entries) <= 2 for section in found)
    assert sections(mover.pk)["insurance.enrolments"].total == 5


# --- an employer's sections --------------------------------------------------------------------------


@pytest.fixture
def firm() -> Any:
    """机械厂 registered from 2025-01, two employees, six months assessed, two of them paid."""
    firm = make_employer(name="机械厂", industry="34")
    services.employer_registration_create(
        scope=Scope.system("counter-test"),
        employer_id=firm.pk,
        insurance_types=["pension_enterprise", "medical_employee"],
        start_month=dt.date(2025, 1, 1),
        headcount=12,
        application="SQ-TEST-1",
    )
    employee(firm, start=dt.date(2025, 1, 1), wage=Decimal("8355"))
    employee(firm, start=dt.date(2025, 1, 1), wage=Decimal("9000"), types=["pension_enterprise"])
    assess(dt.date(2025, 1, 1), 6)
    return firm


def due_fen(firm: Any, period: dt.date) -> int:
    totals = EmployerPeriodTotal.objects.filter(employer=firm, period=period).aggregate(
        e=Sum("employer_fen"), i=Sum("individual_fen")
    )
    return int(totals["e"] + totals["i"])


def test_employer_sections(firm):
    june, may = dt.date(2025, 6, 1), dt.date(2025, 5, 1)
    pay(firm, june, rules.from_fen(due_fen(firm, june)), "P6")
    pay(firm, may, Decimal("1000.00"), "P5")
    found = employer_sections(firm.pk, limit=3)
    assert list(found) == [
        "insurance.employer_registrations",
        "insurance.employer_contributions",
        "insurance.employer_staff",
    ]

    registrations = found["insurance.employer_registrations"]
    assert (registrations.title, registrations.total) == ("单位参保登记", 2)
    assert [e.title for e in registrations.entries] == [MEDICAL, PENSION]
    assert registrations.entries[0].detail == "2025-01 起；申报参保人数 12 人"
    assert registrations.entries[0].status == "已登记" and registrations.entries[0].reference == "SQ-TEST-1"

    months = found["insurance.employer_contributions"]
    assert (months.title, months.total) == ("单位缴费", 6)
    assert [e.on for e in months.entries] == [june, may, dt.date(2025, 4, 1)]
    paid_june, part_may, april = months.entries
    june_due = rules.from_fen(due_fen(firm, june))
    assert paid_june.title == "2025-06 缴费" and paid_june.status == "已足额缴纳"
    assert paid_june.detail == f"应缴 {june_due:,} 元，已缴 {june_due:,} 元，欠缴 0.00 元"
    may_due = rules.from_fen(due_fen(firm, may))
    assert part_may.status == "欠费"
    assert part_may.detail == f"应缴 {may_due:,} 元，已缴 1,000.00 元，欠缴 {may_due - 1000:,} 元"
    assert april.status == "欠费" and april.link == "/insurance/employer/?period=2025-04"

    staff = found["insurance.employer_staff"]
    (entry,) = staff.entries
    assert (staff.title, staff.total, entry.title) == ("参保职工", 1, "在职参保职工 2 人")
    assert entry.detail == f"{PENSION} 2 人；{MEDICAL} 1 人；{UNEMPLOYMENT} 1 人；{WORK_INJURY} 1 人"


def test_employer_sections_take_a_few_queries(firm, django_assert_max_num_queries):
    employer_sections(firm.pk, limit=1)  # the insurance names cached
    # registrations 2, months 3 (with their payments), insured staff 2, the insurances' names 4,
    # the due date of the newest month or two (a dated parameter) 2
    with django_assert_max_num_queries(7 + 4 + 2):
        found = dossier.employer_sections(firm.pk, on=timezone.localdate(), limit=2)
    assert [section.total for section in found] == [2, 6, 1]


def test_an_employer_without_records_gets_no_section():
    assert dossier.employer_sections(make_employer().pk, on=timezone.localdate(), limit=20) == []


# --- certificates -------------------------------------------------------------------------------------


def test_offers_follow_the_records(retiree):
    today = timezone.localdate()
    (offer,) = dossier.certificate_offers(retiree.pk, on=today)
    assert (offer.kind, offer.ref, offer.title, offer.label) == (
        "insurance.contributions",
        "",
        "参保缴费证明",
        "缴费期间 2025-01 至 2025-06",
    )
    grant_pension(retiree)
    offers = dossier.certificate_offers(retiree.pk, on=today)
    assert [(o.kind, o.title, o.label) for o in offers] == [
        ("insurance.contributions", "参保缴费证明", "缴费期间 2025-01 至 2025-06"),
        ("insurance.pension", "养老金领取证明", "自 2025-08 起领取基本养老金"),
    ]


def test_contribution_figures_are_the_service_items(retiree):
    result = submit(citizen_user(retiree), "SH-YL-002", {"purpose": "housing"}).result
    figures = dossier.contribution_figures(retiree.pk)
    assert figures == {key: result[key] for key in figures}
    assert (figures["pension_months_total"], figures["pension_months_transferred"]) == (206, 200)


def test_contribution_certificate_body(retiree):
    day = dt.date(2026, 3, 2)
    body = dossier.certificate_body("insurance.contributions", "", retiree.pk, on=day)
    facts = dict(body.facts)
    assert body.title == "参保缴费证明"
    assert facts[PENSION] == "缴费 6 个月（2025-01 至 2025-06）；个人缴费 4,010.40 元，单位缴费 8,020.80 元"
    assert set(facts) >= {MEDICAL, UNEMPLOYMENT, WORK_INJURY}
    assert facts["养老保险累计缴费月数"] == "206 个月，其中转入 200 个月"
    assert facts["当前参保险种"] == f"{PENSION}、{MEDICAL}、{UNEMPLOYMENT}、{WORK_INJURY}"
    figures = dossier.contribution_figures(retiree.pk)
    assert facts["个人缴费合计"] == f"{Decimal(figures['individual_total']):,} 元"
    assert "天津市人力资源和社会保障局" in body.paragraphs[0] and "2026-03-02" in body.paragraphs[0]
    assert body.summary == (
        ("证明名称", "参保缴费证明"),
        ("缴费期间", "2025-01 至 2025-06"),
        ("养老保险累计缴费月数", "206"),
        ("数据截至", "2026-03-02"),
    )
    assert not any("元" in value for _label, value in body.summary)


def test_pension_certificate_body(retiree):
    with pytest.raises(NotFound):
        dossier.certificate_body("insurance.pension", "", retiree.pk, on=timezone.localdate())
    grant_pension(retiree)
    body = dossier.certificate_body("insurance.pension", "", retiree.pk, on=dt.date(2026, 3, 2))
    assert body.title == "养老金领取证明"
    assert body.facts == (
        ("待遇项目", "基本养老金"),
        ("领取起始月份", "2025-08"),
        ("月领取金额", "2,014.83 元"),
        ("状态", "正常"),
    )
    assert body.paragraphs == (
        "兹证明，持证人自 2025-08 起在天津市人力资源和社会保障局领取基本养老金，月领取金额 2,014.83 元，截至 2026-03-02 正常发放。",
    )
    assert body.summary == (
        ("证明名称", "养老金领取证明"),
        ("待遇项目", "基本养老金"),
        ("领取起始月份", "2025-08"),
        ("状态", "正常"),
    )


def test_nobody_gets_a_body_for_someone_elses_records(retiree):
    grant_pension(retiree)
    stranger = make_person(name="他人")
    today = timezone.localdate()
    for kind in ("insurance.contributions", "insurance.pension"):
        dossier.certificate_body(kind, "", retiree.pk, on=today)  # the holder gets it
        with pytest.raises(NotFound):
            dossier.certificate_body(kind, "", stranger.pk, on=today)
        with pytest.raises(NotFound):
            dossier.certificate_body(kind, str(retiree.pk), retiree.pk, on=today)
    with pytest.raises(NotFound):
        dossier.certificate_body("insurance.unknown", "", retiree.pk, on=today)
