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
