"""The apps whose dossier sections make the history S7 answers (``dossier`` on their
AppConfig, employment and insurance only), found once in ``ExchangeConfig.ready()``. What
the apps answer and verify (``exchange`` on their AppConfig) is collected by
``hrss.core.exchange``."""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps

_HISTORY: list[ModuleType] = []  # dossier modules of the apps whose records make the history

# The apps whose dossier sections the history (S7) is made of: employment and insurance only.
HISTORY_APPS = ("employment", "insurance")


def register() -> None:
    _HISTORY.clear()
    for config in apps.get_app_configs():
        dossier = getattr(config, "dossier", None)
        if dossier and config.label in HISTORY_APPS:
            _HISTORY.append(importlib.import_module(dossier))


def history_modules() -> list[ModuleType]:
    return list(_HISTORY)
