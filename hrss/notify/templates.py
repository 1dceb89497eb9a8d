"""Message templates by name. SMS providers in China send only pre-registered templates,
so a message carries a template name and its parameters; the text here is what the
recording backend shows and what an in-app inbox renders.

The registry is filled only in ``AppConfig.ready()``: notify registers its own templates
(``BUILTIN_TEMPLATES``) in ``NotifyConfig.ready()``, and every app that sends a message
declares its templates as data and registers them in its own ``ready()``, so the web
server, the task worker and the scheduler all know the same names from start-up. The
system check ``hrss.N001`` (``hrss.notify.checks``) refuses to start when a template an
app declares is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from hrss.core.errors import InvalidInput

BUILTIN_TEMPLATES: dict[str, Any] = {
    "otp_code": _("Your verification code is {code}. It expires in {minutes} minutes. Never share it with anyone."),
    "employer_agent_code": _(
        "{agent} asks to act for your employer on the HR and social security platform. "
        "If you agree, give them this code: {code} (valid {minutes} minutes)."
    ),
    "generic": "{text}",
}
TEMPLATES: dict[str, Any] = {}


def template_register(name: str, text: Any) -> None:
    """Add an app's template (a lazy translatable string with ``{param}`` fields); call it from ``ready()``."""
    TEMPLATES[name] = text


def templates_register(templates: Mapping[str, Any]) -> None:
    """Register an app's declared templates (``{name: text}``) at once, from its ``ready()``."""
    for name, text in templates.items():
        template_register(name, text)


def template_names() -> set[str]:
    return set(TEMPLATES)


def template_check(name: str) -> None:
    if name not in TEMPLATES:
        raise InvalidInput(_("Unknown message template."), code="unknown_template", fields={"template": name})


def template_render(name: str, params: Mapping[str, Any]) -> str:
    template_check(name)
    try:
        return str(TEMPLATES[name]).format(**params)
    except (KeyError, IndexError, AttributeError, ValueError) as exc:
        raise InvalidInput(
            _("The message is missing a parameter."), code="template_parameter_missing", fields={"template": name}
        ) from exc
