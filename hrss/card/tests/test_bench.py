"""The card-verify benchmark's own parts: its codes verify through the API with its agency token."""

import json
import sys

import pytest
from django.conf import settings
from django.test import Client

from hrss.card.tests.builders import active_card

sys.path.insert(0, str(settings.BASE_DIR))

from bench import card_verify  # bench/ sits beside hrss/ in the source tree

pytestmark = pytest.mark.django_db


def test_prepared_codes_verify_with_the_prepared_token(tmp_path):
    for _ in range(3):
        active_card(tmp_path, ecard=True)
    out = tmp_path / "bodies.txt"
    prepared = card_verify.prepare(["card:verify"], 10, out)
    bodies = [line for line in out.read_text().splitlines() if line]
    assert prepared["codes"] == len(bodies) == 3
    client = Client(HTTP_AUTHORIZATION=f"Bearer {prepared['token']}")
    for body in bodies:
        answer = client.post(card_verify.PATH, body, content_type="application/json")
        assert answer.status_code == 200 and answer.json() == {
            "result": "valid",
            "expires_at": answer.json()["expires_at"],
        }
        # what the wrk script looks for in each answer
        assert '"result": "valid"' in answer.content.decode()
    again = card_verify.prepare(["card:verify"], 10, out)  # the same client, a new token
    assert again["token"] != prepared["token"]
    assert json.loads(bodies[0])["code"] != json.loads(out.read_text().splitlines()[0])["code"]
    assert card_verify.counts()["ecards"] == 3
