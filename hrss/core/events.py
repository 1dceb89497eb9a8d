"""A small domain-event bus for cross-app side effects, delivered after commit.

Apps publish facts (``PersonRegistered``, ``ApplicationDecided``...) and other apps
subscribe; the publisher never imports the subscriber. Handlers run once the surrounding
transaction commits, so a rolled-back change never notifies anyone.

Subscribers register when their module is imported by the app's ``AppConfig.ready()``
(``from hrss.card import subscribers``), so every process (web, task worker, scheduler) has
them from start-up; ``hrss/core/tests/test_registries.py`` checks every ``@subscribe`` site.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Base class of domain events: plain, immutable data."""

    metadata: dict[str, Any] = field(default_factory=dict, kw_only=True)


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]
_subscribers: dict[type[Event], list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Decorator: call the function with every published event of this type (or a subtype)."""

    def register(handler: Callable[[E], None]) -> Callable[[E], None]:
        if handler not in _subscribers[event_type]:
            _subscribers[event_type].append(handler)
        return handler

    return register


def unsubscribe(event_type: type[Event], handler: Handler) -> None:
    if handler in _subscribers[event_type]:
        _subscribers[event_type].remove(handler)


def handlers_for(event: Event) -> list[Handler]:
    found: list[Handler] = []
    for klass in type(event).__mro__:
        found.extend(_subscribers.get(klass, []))  # type: ignore[arg-type]
    return found


def _deliver(event: Event) -> None:
    for handler in handlers_for(event):
        try:
            handler(event)
        except Exception:  # one failing subscriber must not stop the others
            logger.exception(
                "event handler %s failed for %s", getattr(handler, "__qualname__", handler), type(event).__name__
            )


def publish(event: Event) -> None:
    """Deliver the event to its subscribers after the current transaction commits."""
    transaction.on_commit(lambda: _deliver(event), robust=False)
