"""System checks of the message templates: run by ``hrss serve``, ``migrate``, ``check`` and the worker.

- ``hrss.N001``: a template an app sends (``notify_sends`` on its AppConfig) is not registered.
- ``hrss.N002``: a template's text, in one of the site's languages, does not render with the
  parameters of its source text (a translation lost or renamed a ``{field}``), or is malformed.
"""

from __future__ import annotations

import string
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.utils import translation

from hrss.notify.templates import TEMPLATES


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


@checks.register("hrss")
def templates_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for config in apps.get_app_configs():
        for name in getattr(config, "notify_sends", ()):
            if name not in TEMPLATES:
                problems.append(
                    checks.Error(
                        f"the message template {name!r} that {config.label} sends is not registered",
                        hint="register it in the app's AppConfig.ready() (hrss.notify.templates.templates_register)",
                        id="hrss.N001",
                    )
                )
    for name, text in TEMPLATES.items():
        with translation.override("en"):
            source = str(text)
        try:
            expected = _fields(source)
        except ValueError as error:
            problems.append(checks.Error(f"message template {name!r} is malformed: {error}", id="hrss.N002"))
            continue
        for code, _label in settings.LANGUAGES:
            with translation.override(code):
                rendered = str(text)
            try:
                found = _fields(rendered)
            except ValueError as error:
                found = {f"<malformed: {error}>"}
            if found != expected:
                problems.append(
                    checks.Error(
                        f"message template {name!r} in {code} has the fields {sorted(found)}, not {sorted(expected)}",
                        hint="fix the translation in the app's locale/*/LC_MESSAGES/django.po",
                        id="hrss.N002",
                    )
                )
    return problems
