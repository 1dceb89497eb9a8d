"""Two server processes submitting the first application of an item at once load its shipped
process once, and neither fails (PostgreSQL: two writing connections).

The shipped BPMN files are validated at start-up (system check ``hrss.S001``) and stored on
first use. Two first uses at the same instant both see no stored version and both insert
version 1: before, the loser's unique-constraint error was a 500 for the citizen. The
validation is slowed down so that both always get past the "already stored?" look first.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

KEY = "contribution_certificate"


@pytest.mark.django_db(transaction=True)
def test_the_same_shipped_process_loaded_twice_at_once_is_stored_once(monkeypatch):
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("two writing connections need PostgreSQL (SQLite's test database is in memory)")
    from hrss.servicehall import engine, services
    from hrss.servicehall.models import ProcessDefinition

    ProcessDefinition.objects.filter(process_key=KEY).delete()
    validate = engine.process_validate

    def slow_validate(*args: Any, **kwargs: Any) -> Any:
        validated = validate(*args, **kwargs)
        time.sleep(0.3)  # both threads are now past the "already stored?" look
        return validated

    monkeypatch.setattr(engine, "process_validate", slow_validate)
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def first_use() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(services.process_current(KEY).pk)
        except Exception as error:  # the test reports it below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(results) == 2 and results[0] == results[1]
    assert ProcessDefinition.objects.filter(process_key=KEY).count() == 1
