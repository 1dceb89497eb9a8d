"""Cross-region settlement (S5): a filing through the hall (异地就医备案 SH-YB-001) keeps the
insuring region's ratios at a hospital in another region; a temporary outing without referral,
or no filing, gets the reduced ratio; the catalogue is the place of treatment's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from hrss.core.models import AuditEntry
from hrss.medical import services
from hrss.medical.models import Filing
from hrss.medical.tests.builders import BEIJING, PIN, SYSTEM, hospital_scope, insured, lines
from hrss.medical.tests.test_claims import ADMISSION
from hrss.servicehall.tests.builders import approve_every_step, make_city, submit

pytestmark = pytest.mark.django_db
D = Decimal


def _form(kind: str, region: str = "110100") -> dict[str, str]:
    today = timezone.localdate()
    return {
        "phone": "13800138000",
        "filing_type": kind,
        "region": region,
        "hospital": "北京协和医院",
        "valid_from": (today - dt.timedelta(days=1)).isoformat(),
        "valid_to": (today + dt.timedelta(days=90)).isoformat(),
    }


def _admission(card_number: str, transaction_id: str):
    return services.claim_settle(
        scope=hospital_scope(BEIJING),
        transaction_id=transaction_id,
        card_number=card_number,
        card_pin=PIN,
        visit=services.Visit(pooling="inpatient", lines=lines(*ADMISSION)),
    )


def test_a_referral_filed_in_the_hall_settles_at_the_insuring_regions_full_ratio(tmp_path):
    city = make_city()
    _person, card = insured(tmp_path, person=city.person)
    unfiled = _admission(card.number, "BJ-1")
    assert (unfiled.cross_region, unfiled.referred, unfiled.fund) == (True, False, D("4722.00"))  # 0.85 − 0.10

    application = approve_every_step(city, submit(city, "SH-YB-001", form=_form("referral")))
    assert application.status == "approved", application.decision_reasons
    filing = Filing.objects.get(person=city.person)
    assert (filing.kind, filing.region, filing.reference) == ("referral", "110100", application.reference)
    assert AuditEntry.objects.filter(action="medical.filing", object_id=str(city.person.pk)).exists()

    referred = _admission(card.number, "BJ-2")
    assert referred.referred and referred.policy.region == "120100"
    assert referred.fund == D("5351.60")  # (7,996 − 1,700) × 0.85: Tianjin's ratio, not reduced


def test_a_temporary_outing_keeps_the_reduced_ratio(tmp_path):
    city = make_city()
    _person, card = insured(tmp_path, person=city.person)
    application = approve_every_step(city, submit(city, "SH-YB-001", form=_form("temporary")))
    assert application.status == "approved", application.decision_reasons
    assert _admission(card.number, "BJ-3").fund == D("4722.00")


def test_a_filing_the_handler_cannot_record_ends_rejected_with_the_reason(tmp_path):
    city = make_city()
    insured(tmp_path, person=city.person)
    application = approve_every_step(city, submit(city, "SH-YB-001", form=_form("long_term", region="120100")))
    assert application.status == "rejected" and not Filing.objects.exists()
    application = approve_every_step(city, submit(city, "SH-YB-001", form=_form("long_term", region="999999")))
    assert application.status == "rejected" and not Filing.objects.exists()


def test_the_filing_service_answers_a_retry_with_the_first_filing(tmp_path):
    person, _card = insured(tmp_path)
    first = services.filing_record(
        scope=SYSTEM,
        person_id=person.pk,
        kind="long_term",
        region="110100",
        valid_from=dt.date(2026, 1, 1),
        valid_to=None,
        reference="SH-TEST-1",
    )
    again = services.filing_record(
        scope=SYSTEM,
        person_id=person.pk,
        kind="long_term",
        region="110100",
        valid_from=dt.date(2026, 1, 1),
        valid_to=None,
        reference="SH-TEST-1",
    )
    assert again.pk == first.pk and Filing.objects.count() == 1
