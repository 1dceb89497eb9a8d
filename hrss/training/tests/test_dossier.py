"""What vocational training offers the personal dossier and its certificates
(``hrss.training.dossier``): a trainee's courses, certificates and subsidies paid to them,
and the copy of a valid vocational skill level certificate (职业技能等级证书（副本）)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.utils import timezone, translation

from hrss.core.errors import NotFound
from hrss.training import dossier, services
from hrss.training.models import Certificate
from hrss.training.services import subsidies
from hrss.training.tests import builders
from hrss.training.tests.builders import scope

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def paid_to_trainees(monkeypatch):
    """The policy parameter says subsidies are paid to the trainee, not the institution."""
    real = subsidies.parameter_value

    def value(name, **kw):
        return Decimal(0) if name == "training.subsidy.payee_institution" else real(name, **kw)

    monkeypatch.setattr(subsidies, "parameter_value", value)


def _sections(person_id, *, limit=20):
    return {s.key: s for s in dossier.person_sections(person_id, on=timezone.localdate(), limit=limit)}


def _subsidised(town, course, django_capture_on_commit_callbacks):
    claim = builders.claim(town, course)
    with django_capture_on_commit_callbacks(execute=True):
        builders.hall_decide(claim.hall_reference)
    return claim


def test_a_trainee_sees_courses_certificates_and_subsidies(town, paid_to_trainees, django_capture_on_commit_callbacks):
    course, _enrolment = builders.trained(town)
    certificate = builders.certified(town)
    later = builders.course(town, title="电工（四级）实名制培训班", level=4, start_day=20)
    services.enrol(scope=scope(town.citizen), course_id=later.pk)
    claim = _subsidised(town, course, django_capture_on_commit_callbacks)
    person_id = town.citizen.person.pk

    sections = dossier.person_sections(person_id, on=timezone.localdate(), limit=20)

    assert [(s.key, s.title, s.total) for s in sections] == [
        ("training.courses", "职业培训", 2),
        ("training.certificates", "职业技能等级证书", 1),
        ("training.subsidies", "培训补贴", 1),
    ]
    courses, certificates, subsidy = sections
    assert [(e.title, e.on, e.status) for e in courses.entries] == [
        ("电工（四级）实名制培训班", later.starts_on, "已报名"),
        ("电工（五级）实名制培训班", course.starts_on, "已完成"),
    ]
    done = courses.entries[1]
    assert town.institution.name in done.detail and "80 学时" in done.detail
    assert f"{timezone.localdate().isoformat()} 结业" in done.detail
    assert done.link == "/training/my/"
    (entry,) = certificates.entries
    assert (entry.title, entry.on, entry.status, entry.reference) == (
        "电工 · 五级／初级工",
        certificate.issued_on,
        "有效",
        certificate.number,
    )
    assert entry.detail == f"职业编码 6-31-01-03 · 评价机构 {town.body.name}"
    assert entry.link == f"/training/verify/?number={quote(certificate.number)}"
    (line,) = subsidy.entries
    assert (line.title, line.status, line.reference) == ("电工（五级）实名制培训班", "待支付", claim.hall_reference)
    assert line.detail == "1200.00 元 · 电工，五级／初级工"

    services.subsidy_pay(scope=scope(town.supervisor))
    (line,) = _sections(person_id)["training.subsidies"].entries
    assert (line.status, line.on) == ("已支付", timezone.localdate())

    limited = _sections(person_id, limit=1)["training.courses"]
    assert (limited.total, [e.title for e in limited.entries]) == (2, ["电工（四级）实名制培训班"])


def test_a_subsidy_paid_to_the_institution_is_not_the_trainees(town, django_capture_on_commit_callbacks):
    course, _enrolment = builders.trained(town)
    builders.certified(town)
    _subsidised(town, course, django_capture_on_commit_callbacks)
    assert set(_sections(town.citizen.person.pk)) == {"training.courses", "training.certificates"}


def test_a_person_without_records_gets_no_section_and_no_certificate(town):
    builders.trained(town)
    builders.certified(town)  # the town's citizen has records, the other person none
    other = builders.citizen(name="学员乙").person
    assert dossier.person_sections(other.pk, on=TODAY, limit=20) == []
    assert dossier.certificate_offers(other.pk, on=TODAY) == []


def test_the_copy_of_a_valid_certificate_states_it(town):
    builders.trained(town)  # the training hours that make the citizen eligible for level 5
    certificate = builders.certified(town)
    person = town.citizen.person

    (offer,) = dossier.certificate_offers(person.pk, on=TODAY)
    assert (offer.kind, offer.ref, offer.title) == (
        "training.certificate",
        certificate.number,
        "职业技能等级证书（副本）",
    )
    assert offer.label == f"电工，五级／初级工，证书编号 {certificate.number}"

    body = dossier.certificate_body(offer.kind, offer.ref, person.pk, on=TODAY)
    assert body.title == "职业技能等级证书（副本）"
    issued = f"{certificate.issued_on.year}年{certificate.issued_on.month}月{certificate.issued_on.day}日"
    assert body.facts == (
        ("证书编号", certificate.number),
        ("职业（工种）", "电工"),
        ("职业编码", "6-31-01-03"),
        ("技能等级", "五级／初级工"),
        ("评价机构", town.body.name),
        ("发证日期", issued),
        ("证书状态", "有效"),
    )
    assert certificate.number in body.paragraphs[0] and "2026年12月5日" in body.paragraphs[0]
    summary = dict(body.summary)
    assert summary["职业（工种）"] == "6-31-01-03 电工" and summary["技能等级"] == "五级／初级工"
    assert person.name not in str(body.summary) and certificate.number not in str(body.summary)


def test_the_copy_is_refused_for_anothers_number_a_revoked_one_or_an_unknown_kind(town):
    builders.trained(town)
    certificate = builders.certified(town)
    other = builders.citizen(name="学员乙").person
    with pytest.raises(NotFound):
        dossier.certificate_body(dossier.CERTIFICATE, certificate.number, other.pk, on=TODAY)
    with pytest.raises(NotFound):
        dossier.certificate_body("training.other", certificate.number, town.citizen.person.pk, on=TODAY)

    services.certificate_revoke(scope=scope(town.approver), number=certificate.number, reason="考试作弊查实")
    with pytest.raises(NotFound):
        dossier.certificate_body(dossier.CERTIFICATE, certificate.number, town.citizen.person.pk, on=TODAY)
    assert dossier.certificate_offers(town.citizen.person.pk, on=TODAY) == []
    (entry,) = _sections(town.citizen.person.pk)["training.certificates"].entries
    assert entry.status == "已撤销"


def test_a_tampered_certificate_is_neither_offered_nor_copied(town):
    builders.trained(town)
    certificate = builders.certified(town)
    Certificate.objects.filter(pk=certificate.pk).update(level=3)  # the signature no longer covers it
    assert dossier.certificate_offers(town.citizen.person.pk, on=TODAY) == []
    with pytest.raises(NotFound):
        dossier.certificate_body(dossier.CERTIFICATE, certificate.number, town.citizen.person.pk, on=TODAY)


def test_a_trainee_with_many_records_takes_a_few_queries(
    town, paid_to_trainees, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    course, _enrolment = builders.trained(town)
    builders.certified(town)
    _subsidised(town, course, django_capture_on_commit_callbacks)
    for n in range(5):
        more = builders.course(town, title=f"电工培训班{n}", start_day=5 + n, sessions=1)
        services.enrol(scope=scope(town.citizen), course_id=more.pk)

    # three sections: a page each, and a count for the one that fills its page
    with django_assert_max_num_queries(4):
        sections = dossier.person_sections(town.citizen.person.pk, on=TODAY, limit=3)
    assert {s.key: (s.total, len(s.entries)) for s in sections} == {
        "training.courses": (6, 3),
        "training.certificates": (1, 1),
        "training.subsidies": (1, 1),
    }
    with django_assert_max_num_queries(1):
        dossier.certificate_offers(town.citizen.person.pk, on=TODAY)
