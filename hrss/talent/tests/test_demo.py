"""The demo of `make run`: the demo institution's recruitment plan can be applied for and approved."""

from __future__ import annotations

import pytest

from hrss.core import scope as roles
from hrss.talent.demo import DEMO_NAME, STAFF, demo_talent
from hrss.talent.models import Decision, Institution
from hrss.talent.quota import quota_figures
from hrss.talent.tests import builders
from hrss.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_institution_takes_a_plan_through_the_hall(django_capture_on_commit_callbacks):
    agent = make_user("institution", roles.EMPLOYER_AGENT)
    assert demo_talent(agent=agent)
    assert demo_talent(agent=agent)  # a second run keeps what exists
    institution = Institution.objects.get(name=DEMO_NAME)
    figures = quota_figures(institution_id=institution.pk, kind="full")
    assert (figures.quota, figures.staff) == (12, len(STAFF))
    agent.refresh_from_db()
    unit = builders.Unit(
        institution, agent, None, [], {"p10": institution.posts.get(category="professional", grade=10)}
    )
    plan = builders.plan(unit, numbers=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert builders.hall_decide(plan.hall_reference).status == "approved"
    plan.refresh_from_db()
    assert plan.status == Decision.APPROVED


def test_the_demo_citizen_qualifies_for_a_green_card_and_gets_it_through_the_hall(django_capture_on_commit_callbacks):
    from decimal import Decimal

    from hrss.codes import examples
    from hrss.talent.demo import demo_green_card
    from hrss.talent.models import GreenCard
    from hrss.testing import make_employer, make_employment, make_person

    person = make_person(name="张伟")
    make_employment(person, make_employer(credit_code=examples.CREDIT_CODE), wage=Decimal("9800.00"))
    citizen = make_user("citizen", roles.CITIZEN, person=person)
    lines = demo_green_card(citizen=citizen)
    assert lines == demo_green_card(citizen=citizen)
    assert "green card C" in lines[0] and "117600.00" in lines[0]
    application = builders.green_card_apply(citizen, degree="none")
    with django_capture_on_commit_callbacks(execute=True):
        assert builders.hall_decide(application.reference).status == "approved"
    assert GreenCard.objects.get(person=person).category == "c"
    assert demo_green_card(citizen=citizen) == lines


def test_the_demo_citizen_holds_a_title_recorded_once_and_shown_among_certificates():
    from hrss.exchange import selectors as exchange_selectors
    from hrss.talent.demo import DEMO_TITLE_NUMBER, demo_titles
    from hrss.talent.models import ProfessionalTitle
    from hrss.testing import make_person

    citizen = make_user("citizen", roles.CITIZEN, person=make_person(name="张伟"))
    lines = demo_titles(citizen=citizen)
    assert demo_titles(citizen=citizen) == lines and DEMO_TITLE_NUMBER in lines[0]
    assert ProfessionalTitle.objects.filter(number=DEMO_TITLE_NUMBER).count() == 1
    shown = exchange_selectors.certificates_mine(scope=builders.scope(citizen))
    assert [row["number"] for row in shown] == [DEMO_TITLE_NUMBER]
