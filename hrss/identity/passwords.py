"""Password policy beyond Django's validators: mixed character classes (等级保护 practice, X1)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrss.identity.rules import character_classes


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Use at least %(n)d kind of character: lower case, upper case, digits, symbols.",
            "Use at least %(n)d kinds of characters among lower case, upper case, digits and symbols.",
            self.min_classes,
        ) % {"n": self.min_classes} or _("Use a mix of characters.")
