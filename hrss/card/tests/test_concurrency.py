"""One card per person when two applications race.

On PostgreSQL two threads (two connections) apply at the same instant: the row lock on the
person serialises them and the second is refused. SQLite's in-memory test database cannot
be shared by two writing connections (and a real SQLite deployment serialises writers with
IMMEDIATE transactions anyway), so there the thread test is skipped and the database
backstop is tested directly: an application that got past the service's check is still
refused by the partial unique constraint.
"""

import threading

import pytest
from django.db import connection, connections

from hrss.card import rules, services
from hrss.card.models import Card
from hrss.card.tests.builders import OFFICE
from hrss.core.errors import Conflict
from hrss.testing import make_person


def _race(person, kinds=("first", "first")):
    barrier = threading.Barrier(len(kinds))
    outcomes: list[str] = []
    lock = threading.Lock()

    def apply(kind):
        try:
            barrier.wait(timeout=10)
            services.card_apply(person=person, channel="web", scope=OFFICE, kind=kind)
            result = "created"
        except Conflict as error:
            result = error.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=apply, args=(kind,)) for kind in kinds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_applications_give_one_card():
    if connection.vendor != "postgresql":
        pytest.skip("two writing connections need PostgreSQL (SQLite's test database is in memory)")
    person = make_person()
    for _round in range(3):
        Card.objects.filter(person=person).delete()
        assert _race(person) == ["card_application_pending", "created"]
        assert Card.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_an_application_that_slips_past_the_check_is_refused_by_the_database(monkeypatch):
    person = make_person()
    services.card_apply(person=person, channel="web", scope=OFFICE)
    # As if a concurrent transaction had not yet seen the first application:
    monkeypatch.setattr(rules, "application_refusal", lambda kind, live: None)
    with pytest.raises(Conflict) as refused:
        services.card_apply(person=person, channel="counter", scope=OFFICE)
    assert refused.value.code == "card_application_pending"
    assert Card.objects.filter(person=person).count() == 1
