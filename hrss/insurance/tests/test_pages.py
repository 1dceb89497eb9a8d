"""Insurance pages: the citizen's records, the public calculator, the employer's page, staff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from hrss.insurance import services
from hrss.insurance.models import Enrolment
from hrss.insurance.tests.builders import employee
from hrss.testing import make_employer, make_employment, make_person, make_user

pytestmark = pytest.mark.django_db


def signed_in(user):
    """A signed-in client; staff also pass the second factor (as after /accounts/otp/)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    if getattr(user, "requires_second_factor", False):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def city():
    firm = make_employer(name="软件公司", industry="65")
    worker = employee(firm, wage=Decimal("10000"), name="程序员")
    services.contribution_assess_month(period=dt.date(2025, 3, 1))
    return {"firm": firm, "worker": worker}


def test_citizen_sees_status_contributions_and_account(city):
    client = signed_in(make_user("worker", "citizen", person=city["worker"]))
    response = client.get("/insurance/?year=2025")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Insured status" in text and "2025-03" in text and "10,000.00 yuan" in text
    assert "Personal pension account" in text


def test_unbound_citizen_is_told_to_verify():
    response = signed_in(make_user("nobody", "citizen")).get("/insurance/")
    assert response.status_code == 403
    assert "real-name verification" in response.content.decode()


def test_uninsured_citizen_enrols_online():
    person = make_person(name="骑手")
    client = signed_in(make_user("rider", "citizen", person=person))
    assert "flexible worker" in client.get("/insurance/").content.decode()
    response = client.post("/insurance/enrol/", {"start_month": "2025-05", "base": "6000"}, follow=True)
    assert "You are enrolled" in response.content.decode()
    assert Enrolment.objects.filter(person=person, category="flexible").exists()
    response = client.post("/insurance/enrol/", {"start_month": "2025-05", "base": "1"}, follow=True)
    assert "already insured" in response.content.decode()


def test_public_calculator_needs_no_sign_in():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get("/insurance/estimate/").status_code == 200
    response = client.post(
        "/insurance/estimate/",
        {
            "average_wage": "12049",
            "average_index": "0.8",
            "contribution_months": "360",
            "account_balance": "138096.30",
            "retirement_age_years": "62",
            "retirement_age_months": "10",
        },
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200 and "3253.23" in text and "1167.34" in text and "4,420.57 yuan" in text
    bad = client.post(
        "/insurance/estimate/", {"average_wage": "x", "retirement_age_years": "60"}, HTTP_HX_REQUEST="true"
    )
    # Named by its label, never by the field's name (htmx swaps the 422 in place: hrss/static/hrss/site.js).
    assert bad.status_code == 422 and "Calculation base C" in bad.content.decode()
    assert "average_wage" not in bad.content.decode()


def test_signed_in_citizen_gets_the_estimate_prefilled(city):
    client = signed_in(make_user("worker", "citizen", person=city["worker"]))
    text = client.get("/insurance/estimate/").content.decode()
    assert "Filled in from your record" in text and 'value="1.1969"' in text


def test_employer_page_enrols_declares_and_shows_the_statement(city):
    client = signed_in(make_user("hr", "employer_agent", employer=city["firm"]))
    page = client.get("/insurance/employer/?period=2025-03").content.decode()
    assert "3,520.00 yuan" in page and "程序员" in page
    newcomer = make_person(name="新人")
    make_employment(newcomer, city["firm"], start=dt.date(2025, 4, 1))
    response = client.post(
        "/insurance/employer/enrol/",
        {"id_number": newcomer.id_number, "insurance_types": ["pension_enterprise"], "start_month": "2025-04"},
        follow=True,
    )
    assert "Enrolled." in response.content.decode()
    response = client.post(
        "/insurance/employer/declare/", {"year": "2025", "lines": f"{newcomer.id_number}, 3000"}, follow=True
    )
    assert "1 bases declared, 1 of them brought into the allowed band" in response.content.decode()
    response = client.post("/insurance/employer/declare/", {"year": "2025", "lines": "nonsense"}, follow=True)
    assert "one employee per line" in response.content.decode().lower()


def test_staff_overview(city):
    clerk = signed_in(make_user("clerk", "counter_clerk", city_wide=True))
    make_person(name="无业", birth=dt.date(1992, 1, 1))
    text = clerk.get("/insurance/staff/").content.decode()
    assert "2025-03" in text and "No open cases." in text and "和平区" in text
    citizen = signed_in(make_user("someone", "citizen"))
    assert citizen.get("/insurance/staff/").status_code == 403
