"""The certificate checks other apps answer (``exchange = "hrss.<app>.exchange"`` on their
AppConfig, ``hrss.core.exchange``), collected in ``ExamsConfig.ready()`` so that a post may
require a certificate without this app importing the one that issues it."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from types import ModuleType

from django.apps import apps

from hrss.core.exchange import CertificateCheck

_CHECKS: dict[str, ModuleType] = {}  # kind -> module


def register() -> None:
    _CHECKS.clear()
    for config in apps.get_app_configs():
        dotted = getattr(config, "exchange", None)
        if dotted:
            module = import_module(dotted)
            for kind in getattr(module, "CERTIFICATES", {}):
                _CHECKS[kind] = module


def certificate_check(kind: str, number: str, *, on: dt.date) -> CertificateCheck | None:
    module = _CHECKS.get(kind)
    if module is None or not number:
        return None
    found: CertificateCheck | None = module.certificate_check(kind, number, on=on)
    return found
