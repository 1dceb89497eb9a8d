"""Unemployment registration ↔ unemployment benefit (E1): the citizen's jobs page and the staff
view of a registration show the person's unemployment benefit award, read through the insurance
app's declared ledger facts, else a link to apply for it in the hall (SH-SY-001)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.models import AuditEntry
from hrss.employment import benefit_link
from hrss.employment.models import UnemploymentRegistration
from hrss.employment.tests import builders
from hrss.testing import make_user, sign_in

pytestmark = pytest.mark.django_db


def registered(user):
    return UnemploymentRegistration.objects.create(
        person_id=user.person_id,
        unemployed_since=timezone.localdate() - dt.timedelta(days=40),
        registered_on=timezone.localdate() - dt.timedelta(days=30),
        hall_reference=f"UR-{user.pk}"[:20],  # the column holds 20 characters (PostgreSQL checks)
        registered_by="test",
    )


def award(person_id, **kw):
    from hrss.insurance.models import BenefitAward

    values = {
        "person_id": person_id,
        "kind": "unemployment",
        "start_month": timezone.localdate().replace(day=1),
        "end_month": None,
        "monthly_fen": 187000,
        "entitled_months": 12,
        "decided_by": "test",
        **kw,
    }
    return BenefitAward.objects.create(**values)


def test_the_claim_is_read_through_the_declared_ledger_facts():
    user = builders.seeker()
    claim = benefit_link.benefit_claim(user.person_id)
    assert claim.available and claim.award is None and claim.may_apply
    award(user.person_id)
    claim = benefit_link.benefit_claim(user.person_id)
    assert claim.award["monthly_fen"] == 187000 and claim.monthly_yuan == "1870.00" and not claim.may_apply


def test_the_citizens_page_links_to_the_hall_without_a_claim_and_shows_the_award_with_one():
    user = builders.seeker()
    registered(user)
    client = sign_in(Client(), user)
    page = client.get("/employment/").content.decode()
    assert "/hall/items/SH-SY-001/" in page
    award(user.person_id)
    page = client.get("/employment/").content.decode()
    assert "1870.00" in page and "/hall/items/SH-SY-001/" not in page


def test_staff_of_the_persons_district_see_the_registration_with_the_claim_audited():
    user = builders.seeker(district="120101", name="登记人甲")
    registration = registered(user)
    award(user.person_id)
    clerk = make_user("ur-clerk", roles.COUNTER_CLERK, districts=["120101"])
    page = sign_in(Client(), clerk).get(f"/employment/registrations/{registration.pk}/")
    assert page.status_code == 200 and "1870.00" in page.content.decode()
    assert AuditEntry.objects.filter(action="employment.registration_read", actor=clerk.username).count() == 1
    other = make_user("ur-clerk-3", roles.COUNTER_CLERK, districts=["120103"])
    assert sign_in(Client(), other).get(f"/employment/registrations/{registration.pk}/").status_code == 404
    assert sign_in(Client(), builders.agent()).get(f"/employment/registrations/{registration.pk}/").status_code == 403


# --- training courses on the seeker's jobs page (the training app's declared recommendations) ---


def test_the_jobs_page_shows_the_training_courses_recommended_through_the_declaration(db):
    from hrss.employment import course_facts
    from hrss.employment.models import JobSeekerProfile
    from hrss.training import recommendation_facts
    from hrss.training.tests import builders as training

    town = training.make_town()
    assert course_facts.courses.module is recommendation_facts
    training.course(town, title="养老护理员（五级）培训班", qualification="4-10-01-05")
    JobSeekerProfile.objects.create(person=town.citizen.person, occupations=["4-10"])
    page = sign_in(Client(), town.citizen).get("/employment/").content.decode()
    assert "养老护理员（五级）培训班" in page
