"""Message templates by name. SMS providers in China send only pre-registered templates,
so a message carries a template name and its parameters; the text here is what the
recording backend shows and what an in-app inbox renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from hrss.core.errors import ValidationError

TEMPLATES: dict[str, Any] = {
    "otp_code": _("Your verification code is {code}. It expires in {minutes} minutes. Never share it with anyone."),
    "employer_agent_code": _(
        "{agent} asks to act for your employer on the HR and social security platform. "
        "If you agree, give them this code: {code} (valid {minutes} minutes)."
    ),
    "generic": "{text}",
}


def template_register(name: str, text: Any) -> None:
    """Let another app add its own template (a lazy translatable string with ``{param}`` fields)."""
    TEMPLATES[name] = text


def template_check(name: str) -> None:
    if name not in TEMPLATES:
        raise ValidationError(_("Unknown message template."), code="unknown_template", fields={"template": name})


def template_render(name: str, params: Mapping[str, Any]) -> str:
    template_check(name)
    try:
        return str(TEMPLATES[name]).format(**params)
    except (KeyError, IndexError) as exc:
        raise ValidationError(
            _("The message is missing a parameter."), code="template_parameter_missing", fields={"template": name}
        ) from exc
