from dataclasses import dataclass

import pytest
from django.db import transaction

from hrss.core.events import Event, publish, subscribe, unsubscribe


@dataclass(frozen=True)
class Happened(Event):
    value: int


@pytest.fixture
def received():
    seen: list[int] = []

    def handler(event: Happened) -> None:
        seen.append(event.value)

    subscribe(Happened)(handler)
    yield seen
    unsubscribe(Happened, handler)


@pytest.mark.django_db(transaction=True)
def test_delivered_after_commit(received):
    with transaction.atomic():
        publish(Happened(value=1))
        assert received == []
    assert received == [1]


@pytest.mark.django_db(transaction=True)
def test_not_delivered_on_rollback(received):
    def failing_change():
        with transaction.atomic():
            publish(Happened(value=2))
            raise ValueError

    with pytest.raises(ValueError):
        failing_change()
    assert received == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_handler_does_not_stop_others(received):
    def broken(event):
        raise RuntimeError("boom")

    subscribe(Happened)(broken)
    try:
        publish(Happened(value=3))
    finally:
        unsubscribe(Happened, broken)
    assert received == [3]
