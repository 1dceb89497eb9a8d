"""The apps that offer the dossier their records (``dossier`` on their AppConfig, see
``hrss.core.dossier``), found once in ``ArchiveConfig.ready()``."""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps

_MODULES: list[tuple[str, ModuleType]] = []


def register() -> None:
    _MODULES.clear()
    for config in apps.get_app_configs():
        path = getattr(config, "dossier", None)
        if path:
            _MODULES.append((config.label, importlib.import_module(path)))


def modules() -> list[tuple[str, ModuleType]]:
    """(app label, dossier module) of every installed app that offers one."""
    return list(_MODULES)


def certificate_module(kind: str) -> ModuleType | None:
    """The module that issues a kind of certificate (``<app label>.<kind>``), or None."""
    label = kind.partition(".")[0]
    for app_label, module in _MODULES:
        if app_label == label and hasattr(module, "certificate_body"):
            return module
    return None
