"""Page parameters typed into the address are validated: a bad year is a friendly 400 with
the form and a sentence next to it, never a 500 (issue #15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hrss.testing import make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("yearly", "citizen", person=make_person(name="年份")))
    return client


@pytest.mark.parametrize("year", ["-1", "10000", "99999999999999999999", "abc", "1989", "0"])
def test_a_bad_year_is_a_friendly_400_with_the_form(citizen, year):
    answer = citizen.get(f"/insurance/?year={year}")
    text = answer.content.decode()
    assert answer.status_code == 400
    assert 'id="e-year"' in text and "Choose a year from 1990 to" in text
    assert '<select id="year" name="year"' in text  # the form to choose again


def test_a_good_year_and_no_year_are_shown(citizen):
    this_year = dt.date.today().year
    assert citizen.get("/insurance/").status_code == 200
    page = citizen.get(f"/insurance/?year={this_year - 1}")
    assert page.status_code == 200 and 'id="e-year"' not in page.content.decode()
