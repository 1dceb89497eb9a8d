"""The apps that answer the exchange (``exchange`` on their AppConfig, see
``hrss.core.exchange``) and those that offer the dossier (whose employment and insurance
sections make the history S7 answers), found once in ``ExchangeConfig.ready()``."""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps

_ANSWERS: dict[str, ModuleType] = {}  # question -> module
_CERTIFICATES: dict[str, ModuleType] = {}  # kind -> module
_LABELS: dict[str, object] = {}  # question or kind -> label
_HISTORY: list[ModuleType] = []  # dossier modules of the apps whose records make the history

# The apps whose dossier sections the history (S7) is made of: employment and insurance only.
HISTORY_APPS = ("employment", "insurance")


def register() -> None:
    _ANSWERS.clear()
    _CERTIFICATES.clear()
    _LABELS.clear()
    _HISTORY.clear()
    for config in apps.get_app_configs():
        path = getattr(config, "exchange", None)
        if path:
            module = importlib.import_module(path)
            for question, label in getattr(module, "QUESTIONS", {}).items():
                _ANSWERS[question] = module
                _LABELS[question] = label
            for kind, label in getattr(module, "CERTIFICATES", {}).items():
                _CERTIFICATES[kind] = module
                _LABELS[kind] = label
        dossier = getattr(config, "dossier", None)
        if dossier and config.label in HISTORY_APPS:
            _HISTORY.append(importlib.import_module(dossier))


def questions() -> dict[str, ModuleType]:
    return dict(_ANSWERS)


def certificate_kinds() -> dict[str, ModuleType]:
    return dict(_CERTIFICATES)


def label(name: str) -> str:
    return str(_LABELS.get(name, name))


def history_modules() -> list[ModuleType]:
    return list(_HISTORY)
