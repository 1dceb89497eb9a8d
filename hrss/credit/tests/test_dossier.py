"""The credit app's part of the dossier (A4): a person's or an employer's credit records, the
latest first, with points, until when each counts and whether it counts now, in a query or
two however many records there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from hrss.core.creditfacts import CreditFact
from hrss.credit import dossier, services
from hrss.credit.models import CreditEvent
from hrss.testing import make_employer, make_person, staff_scope

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def record(*facts: CreditFact) -> None:
    services.record(facts, source="test")


def fraud(person, ref, occurred_on):
    return CreditFact("benefit_fraud", ref, occurred_on, f"骗取待遇认定 {ref}", person_id=person.pk)


def test_a_persons_records_newest_first_with_points_and_standing():
    person = make_person(name="信用甲")
    record(
        fraud(person, "F-OLD", dt.date(2020, 2, 1)),  # counted 60 months: expired by ON
        fraud(person, "F-FIXED", dt.date(2023, 1, 10)),
        fraud(person, "F-NOW", dt.date(2024, 5, 1)),
    )
    fixed = CreditEvent.objects.get(source_ref="F-FIXED")
    services.objection_decide(
        scope=staff_scope(),
        reference="XY-T-1",
        upheld=True,
        form_data={"record": str(fixed.pk), "reason": "认定已撤销"},
    )

    (section,) = dossier.person_sections(person.pk, on=ON, limit=20)
    assert (section.key, section.title, section.total) == ("credit.events", "信用记录", 3)
    now, corrected, old = section.entries
    assert [e.on for e in section.entries] == [dt.date(2024, 5, 1), dt.date(2023, 1, 10), dt.date(2020, 2, 1)]
    assert now.title == "以欺诈、伪造证明材料等手段骗取社会保险待遇"
    assert now.detail == "骗取待遇认定 F-NOW · -45 分，计分截止 2029-05-01"
    assert (now.status, corrected.status, old.status) == ("计分", "已更正，不计分", "已过期，不计分")
    assert now.link == "/credit/mine/" and corrected.reference == ""


def test_an_employers_records_and_the_limit():
    firm = make_employer(name="信用单位")
    record(
        *(
            CreditFact("contribution_arrears", f"A-{n}", dt.date(2026, 1 + n, 5), f"{n}月欠缴", employer_id=firm.pk)
            for n in range(4)
        ),
        CreditFact("timely_payment", "P-1", dt.date(2026, 5, 20), "连续缴费", employer_id=firm.pk),
    )
    (section,) = dossier.employer_sections(firm.pk, on=ON, limit=2)
    assert section.total == 5 and [e.on for e in section.entries] == [dt.date(2026, 5, 20), dt.date(2026, 4, 5)]
    assert section.entries[0].detail == "连续缴费 · +10 分，计分截止 2027-05-20"
    assert dossier.person_sections(make_person(name="信用乙").pk, on=ON, limit=20) == []
    assert dossier.employer_sections(make_employer(name="无记录").pk, on=ON, limit=20) == []


def test_a_subject_with_many_records_takes_two_queries(django_assert_max_num_queries):
    person = make_person(name="信用丙")
    record(*(fraud(person, f"F-{n}", dt.date(2021, 1, 1) + dt.timedelta(days=40 * n)) for n in range(30)))
    with django_assert_max_num_queries(2):
        (section,) = dossier.person_sections(person.pk, on=timezone.localdate(), limit=5)
    assert section.total == 30 and len(section.entries) == 5
    assert section.entries[0].on == dt.date(2021, 1, 1) + dt.timedelta(days=40 * 29)
