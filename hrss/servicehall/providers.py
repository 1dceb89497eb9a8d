"""Facts other apps provide to the hall's gateways, without the hall importing them.

The credit app (A7) registers ``register_credit_provider(fn)``; until it exists, no
applicant has a credit class and gateways see ``credit_class == None``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)
CreditProvider = Callable[..., str | None]
_credit_providers: list[CreditProvider] = []


def register_credit_provider(provider: CreditProvider) -> CreditProvider:
    """``provider(person=..., employer=...)`` returns a credit class such as "A".."D", or None."""
    if provider not in _credit_providers:
        _credit_providers.append(provider)
    return provider


def unregister_credit_provider(provider: CreditProvider) -> None:
    if provider in _credit_providers:
        _credit_providers.remove(provider)


def credit_class_for(*, person: Any = None, employer: Any = None) -> str | None:
    for provider in _credit_providers:
        try:
            found = provider(person=person, employer=employer)
        except Exception:  # a failing provider must not stop an application; review then decides
            logger.exception("credit provider %s failed", provider)
            continue
        if found:
            return str(found)
    return None
