"""A module another app declares on its AppConfig, found through the app registry in ready(),
so that an app reads a sibling's facts without importing it (the layers forbid that)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from django.apps import apps

from hrss.core.errors import Conflict


class DeclaredModule:
    """``ledger = DeclaredModule("ledger_facts", missing=_("..."), code="ledger_unavailable")``;
    the app's ready() calls ``ledger.register()``, its code ``ledger.get()`` (a Conflict with
    that message when no installed app declares the attribute)."""

    def __init__(self, attribute: str, *, missing: Any, code: str):
        self.attribute = attribute
        self.missing = missing
        self.code = code
        self.module: ModuleType | None = None

    def register(self) -> None:
        self.module = None
        for config in apps.get_app_configs():
            path = getattr(config, self.attribute, None)
            if path:
                self.module = importlib.import_module(path)
                return

    def get(self) -> ModuleType:
        if self.module is None:
            raise Conflict(self.missing, code=self.code)
        return self.module
