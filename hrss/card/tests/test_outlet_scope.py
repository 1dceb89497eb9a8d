"""Outlet staff act only on the cards of persons in their districts (X1, found by the
authorisation matrix): another district's card is answered like an unknown one and stays
as it was."""

import pytest
from django.test import Client

from hrss.card.models import Card
from hrss.card.tests.builders import active_card
from hrss.core import scope as roles
from hrss.testing import make_person, make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("issue", {"district": "120103"}),
        ("loss-report", {"formal": True}),
        ("loss-report", {"formal": False, "channel": "counter"}),
        ("unfreeze", {}),
        ("cancel", {"reason": "emigration"}),
    ],
)
def test_a_clerk_of_another_district_cannot_act_on_a_card(tmp_path, action, body):
    card = active_card(tmp_path, make_person(district="120101"))
    elsewhere = sign_in(Client(), make_user("clerk_hexi", roles.COUNTER_CLERK, districts=["120103"]))
    response = elsewhere.post(f"/api/v1/card/cards/{card.number}/{action}", body, content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Card.objects.get(pk=card.pk).status == "active"


def test_the_clerk_of_the_holders_district_still_can(tmp_path):
    card = active_card(tmp_path, make_person(district="120101"))
    here = sign_in(Client(), make_user("clerk_hp", roles.COUNTER_CLERK, districts=["120101"]))
    response = here.post(
        f"/api/v1/card/cards/{card.number}/loss-report", {"formal": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "lost"
