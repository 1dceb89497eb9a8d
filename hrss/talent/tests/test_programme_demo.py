"""The programmes' demo of `make run`: a published result with the demo citizen ranked, and a
review task waiting for the demo expert; a second run changes nothing and prints the same."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from hrss.codes import examples
from hrss.core import scope as roles
from hrss.talent.demo import PROGRAMME_DONE, PROGRAMME_OPEN, demo_programmes
from hrss.talent.programme_models import Declaration, ReviewAssignment, ScoreSheet
from hrss.testing import make_employer, make_employment, make_person, make_user, sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_result_and_leaves_a_task_for_the_expert():
    person = make_person(name="张伟")
    make_employment(person, make_employer(credit_code=examples.CREDIT_CODE, name="天津示范科技有限公司"))
    citizen = make_user("citizen", roles.CITIZEN, person=person)
    expert = make_user("expert", roles.CITIZEN)
    lines = demo_programmes(citizen=citizen, expert=expert)
    sheets = ScoreSheet.objects.count()
    assert demo_programmes(citizen=citizen, expert=expert) == lines and ScoreSheet.objects.count() == sheets == 10
    mine = Declaration.objects.get(person=person)
    assert (mine.rank, mine.funded, mine.score, mine.status) == (1, True, Decimal("87.67"), "published")
    assert "87.67" in lines[0]
    page = Client().get(f"/talent/programmes/{PROGRAMME_DONE}/").content.decode()
    assert "张*" in page and "张伟" not in page and "87.67" in page
    expert.refresh_from_db()
    waiting = ReviewAssignment.objects.get(expert__person=expert.person, declaration__programme__code=PROGRAMME_OPEN)
    assert waiting.status == "assigned"
    tasks = sign_in(Client(), expert).get("/talent/reviews/").content.decode()
    assert "氢燃料电池催化剂研究" in tasks
