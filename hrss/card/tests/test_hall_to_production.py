"""社保卡申领 through the service hall ends with a card in production (制卡中), end to end:
the citizen applies through the hall's API, the staff approve every step, the card app's
``card.apply`` applies for the card, and the daily production job (the task the scheduler
runs, in the worker) sends it to the card factory; the citizen follows it on /card/."""

import csv

import pytest
from django.test import Client

from hrss.card.models import Card, CardEvent, ProductionBatch
from hrss.card.rules import CardStatus
from hrss.card.tasks import production_batches_send
from hrss.card.tests.builders import AT_OUTLET, ITEM
from hrss.identity.auth import token_create
from hrss.servicehall.models import Application
from hrss.servicehall.tests.builders import approve_every_step, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def factory(settings, tmp_path):
    """Tasks run as the worker runs them; the factory's pick-up directory is a temporary one."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.HRSS_CARD_FACTORY_DIR = str(tmp_path / "factory")
    return tmp_path / "factory"


def card_page(client: Client) -> str:
    return client.get("/card/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_the_halls_card_application_ends_with_a_card_in_production(city, factory):
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=city.citizen)}")
    answer = api.post(
        "/api/v1/servicehall/applications",
        {"item_code": ITEM, "form": AT_OUTLET, "channel": "app"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="card-to-factory",
    )
    assert answer.status_code == 201, answer.content
    application = Application.objects.get(reference=answer.json()["application"]["reference"])

    application = approve_every_step(city, application)

    assert application.status == "approved"
    card = Card.objects.get(person=city.person)
    assert (card.status, card.number) == (CardStatus.APPLIED, None)
    assert application.result["card_id"] == str(card.pk) and application.result["card_status"] == "applied"
    citizen = sign_in(Client(), city.citizen)
    page = card_page(citizen)
    assert "<strong>已申领</strong>" in page and "制卡时分配" in page  # applied, the number comes with production
    # The citizen reads the result of the application on the hall's page.
    shown = citizen.get(f"/api/v1/servicehall/applications/{application.reference}")
    assert shown.status_code == 200 and shown.json()["result"]["card_id"] == str(card.pk)

    # The daily production job sends it to the factory: 制卡中, with its number.
    assert production_batches_send.enqueue().return_value == 1
    card.refresh_from_db()
    assert card.status == CardStatus.IN_PRODUCTION and card.number and card.valid_until
    batch = ProductionBatch.objects.get()
    assert card.batch_id == batch.pk and batch.created_by == "card"
    with open(batch.filename, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["card_number"], row["id_number"]) for row in rows] == [(card.number, city.person.id_number)]
    event = CardEvent.objects.get(card=card, action="send_to_production")
    assert (event.from_status, event.to_status, event.note) == ("applied", "in_production", batch.reference)
    page = card_page(citizen)
    assert "<strong>制卡中</strong>" in page and card.number in page

    # Run again (twice a day, or after downtime): nothing more to send, no empty file.
    assert production_batches_send.enqueue().return_value == 0
    assert ProductionBatch.objects.count() == 1 and len(list(factory.iterdir())) == 1
