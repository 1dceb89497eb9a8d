"""The labour app's part of the dossier (A4) and its award copy (B2): a worker's cases,
mediations and complaints, an employer's cases and complaints without the complainants,
newest first and a few queries however many there are; the award copy of one's own case only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from hrss.core.errors import NotFound
from hrss.labor import dossier
from hrss.labor.models import LeadStatus
from hrss.labor.services import cases, complaints, mediation
from hrss.labor.tests.builders import hearing_time, organisation
from hrss.servicehall.tests.builders import key
from hrss.testing import make_person

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def file(city, reference, *, on, person=None, respondent=None, amount="8600"):
    return cases.case_file(
        reference=reference,
        person_id=(person or city.person).pk,
        respondent=respondent or city.employer.credit_code,
        claims="支付拖欠工资",
        amount=amount,
        actor="test",
        received_on=on,
    )


def award(city, arbitrator, reference):
    """A case filed, accepted, heard and awarded today (the hearing's notice period counts from today)."""
    today = timezone.localdate()
    file(city, reference, on=today)
    cases.case_accept(reference=reference, actor="test", on=today)
    scope = city.scope(arbitrator)
    cases.case_take(scope=scope, reference=reference)
    cases.hearing_schedule(scope=scope, reference=reference, at=hearing_time(10), room="第一仲裁庭")
    cases.hearing_record(scope=scope, reference=reference, record="双方到庭，被申请人认可欠付工资。")
    return cases.award_issue(
        scope=scope, reference=reference, outcome="upheld", text="被申请人支付申请人工资8600元。", amount="8600"
    )


def complain(city, *, kind="complaint", on=DAY):
    return complaints.complaint_file(
        scope=city.scope(city.citizen),
        credit_code=city.employer.credit_code,
        kind=kind,
        content="拖欠三个月工资",
        idempotency_key=key(),
        today=on,
    )


def sections(person_id, limit=20):
    return {s.key: s for s in dossier.person_sections(person_id, on=timezone.localdate(), limit=limit)}


def test_a_worker_sees_their_cases_newest_first_with_status_outcome_and_link(city, arbitrator):
    file(city, "ZC-T-0001", on=DAY)
    award(city, arbitrator, "ZC-T-0002")
    file(city, "ZC-T-0003", on=DAY + dt.timedelta(days=1), respondent="某餐饮店")

    section = sections(city.person.pk)["labor.arbitration"]
    assert section.title == "劳动人事争议仲裁" and section.total == 3
    assert [e.reference for e in section.entries] == ["ZC-T-0002", "ZC-T-0003", "ZC-T-0001"]
    awarded, other, filed = section.entries
    assert awarded.title == "被申请人：天津示范科技有限公司" and other.title == "被申请人：某餐饮店"
    assert awarded.status == "已作出裁决" and filed.status == "已申请，待受理"
    assert awarded.detail == f"裁决结果：支持仲裁请求（{timezone.localdate().isoformat()}）"
    assert filed.detail == "" and filed.on == DAY
    assert awarded.link == "/labor/cases/ZC-T-0002/"


def test_the_limit_cuts_the_entries_not_the_total(city):
    for n in range(5):
        file(city, f"ZC-L-{n}", on=DAY + dt.timedelta(days=n))
    section = sections(city.person.pk, limit=2)["labor.arbitration"]
    assert section.total == 5 and [e.reference for e in section.entries] == ["ZC-L-4", "ZC-L-3"]


def test_mediations_and_own_complaints_but_not_reports(city):
    place = organisation()
    mediation.mediation_apply(
        scope=city.scope(city.citizen),
        organisation_id=place.pk,
        respondent=city.employer.credit_code,
        claims="支付加班费",
        amount="1200",
        idempotency_key=key(),
        today=DAY,
    )
    first = complain(city, on=DAY)
    latest = complain(city, on=DAY + dt.timedelta(days=5))
    complain(city, kind="report", on=DAY + dt.timedelta(days=6))

    found = sections(city.person.pk)
    (entry,) = found["labor.mediation"].entries
    assert found["labor.mediation"].title == "劳动争议调解"
    assert entry.title == "被申请人：天津示范科技有限公司" and entry.detail == place.name
    assert entry.status == "调解中" and entry.link.startswith("/labor/mediations/")
    section = found["labor.complaints"]
    assert section.title == "劳动保障监察投诉" and section.total == 2
    assert [e.reference for e in section.entries] == [latest.reference, first.reference]
    assert section.entries[0].title == "投诉：天津示范科技有限公司" and section.entries[0].status == str(
        LeadStatus.OPEN.label
    )


def test_a_person_without_labour_records_gets_no_section(city):
    file(city, "ZC-T-0009", on=DAY)
    assert dossier.person_sections(make_person(name="无案件").pk, on=DAY, limit=20) == []


def test_the_employer_sees_cases_against_it_and_complaints_without_the_complainant(city):
    file(city, "ZC-E-0001", on=DAY)
    file(city, "ZC-E-0002", on=DAY + dt.timedelta(days=2))
    file(city, "ZC-E-0003", on=DAY, respondent="别的单位")  # not this employer
    complain(city, on=DAY)
    report = complain(city, kind="report", on=DAY + dt.timedelta(days=1))

    found = {s.key: s for s in dossier.employer_sections(city.employer.pk, on=DAY, limit=20)}
    cases_section = found["labor.arbitration_respondent"]
    assert cases_section.title == "仲裁案件" and cases_section.total == 2
    assert [e.title for e in cases_section.entries] == ["仲裁案件 ZC-E-0002", "仲裁案件 ZC-E-0001"]
    inspection = found["labor.inspection"]
    assert inspection.title == "劳动保障监察" and inspection.total == 2
    assert inspection.entries[0].reference == report.reference
    assert inspection.entries[0].title == "举报（用人单位违法行为）"
    text = repr(found)
    assert city.person.name not in text and "拖欠三个月工资" not in text
    other = make_person(name="无关")
    assert dossier.employer_sections(other.pk, on=DAY, limit=20) == []


def test_sections_take_a_few_queries_however_many_records(city, django_assert_max_num_queries):
    place = organisation()
    for n in range(12):
        file(city, f"ZC-Q-{n:02d}", on=DAY + dt.timedelta(days=n))
        complain(city, on=DAY + dt.timedelta(days=n))
        mediation.mediation_apply(
            scope=city.scope(city.citizen),
            organisation_id=place.pk,
            respondent="某公司",
            claims="支付工资",
            amount="100",
            idempotency_key=key(),
            today=DAY + dt.timedelta(days=n),
        )
    with django_assert_max_num_queries(6):
        found = dossier.person_sections(city.person.pk, on=DAY, limit=5)
    assert [(s.key, s.total, len(s.entries)) for s in found] == [
        ("labor.arbitration", 12, 5),
        ("labor.mediation", 12, 5),
        ("labor.complaints", 12, 5),
    ]
    with django_assert_max_num_queries(4):
        assert len(dossier.employer_sections(city.employer.pk, on=DAY, limit=5)) == 2


def test_the_award_copy_is_offered_for_awarded_cases_and_states_the_award(city, arbitrator):
    file(city, "ZC-C-0001", on=DAY)  # no award yet: nothing to certify
    case = award(city, arbitrator, "ZC-C-0002")

    offers = dossier.certificate_offers(city.person.pk, on=DAY)
    assert [(o.kind, o.ref, o.title) for o in offers] == [
        ("labor.award", "ZC-C-0002", "劳动人事争议仲裁裁决书（副本）")
    ]

    body = dossier.certificate_body("labor.award", "ZC-C-0002", city.person.pk, on=DAY)
    facts = dict(body.facts)
    assert body.title == "劳动人事争议仲裁裁决书（副本）"
    assert facts["案号"] == "ZC-C-0002" and facts["申请人"] == city.person.name
    assert facts["被申请人"].startswith("天津示范科技有限公司") and city.employer.credit_code in facts["被申请人"]
    assert facts["裁决结果"] == "支持仲裁请求" and facts["仲裁委员会"].endswith("劳动人事争议仲裁委员会")
    assert facts["裁决日期"] == f"{case.awarded_on.year}年{case.awarded_on.month}月{case.awarded_on.day}日"
    assert "被申请人支付申请人工资8600元。" in body.paragraphs
    assert any("ZC-C-0002" in p and "副本" in p for p in body.paragraphs)
    summary = dict(body.summary)
    assert summary["案号"] == "ZC-C-0002" and summary["裁决结果"] == "支持仲裁请求"
    assert city.person.name not in repr(body.summary) and "8600" not in repr(body.summary)


def test_no_award_copy_of_someone_elses_case_or_of_a_case_without_award(city, arbitrator):
    award(city, arbitrator, "ZC-C-0003")
    file(city, "ZC-C-0004", on=DAY)
    stranger = make_person(name="旁人")
    with pytest.raises(NotFound):
        dossier.certificate_body("labor.award", "ZC-C-0003", stranger.pk, on=DAY)
    with pytest.raises(NotFound):
        dossier.certificate_body("labor.award", "ZC-C-0004", city.person.pk, on=DAY)
    with pytest.raises(NotFound):
        dossier.certificate_body("labor.other", "ZC-C-0003", city.person.pk, on=DAY)
    assert dossier.certificate_offers(stranger.pk, on=DAY) == []
