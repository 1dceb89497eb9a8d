"""One domain error hierarchy with stable codes (rendered as ``{"code", "message", "fields"}``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base of every error a service raises on purpose. ``code`` is stable API contract."""

    status = 400
    code = "bad_request"
    default_message: Any = _("The request could not be processed.")

    def __init__(self, message: Any = None, *, code: str | None = None, fields: dict[str, Any] | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {name: str(value) for name, value in self.fields.items()},
        }


class InvalidInput(DomainError):
    """Input that breaks a rule (422). Named apart from Django's, Ninja's and pydantic's ``ValidationError``."""

    status = 422
    code = "invalid_input"
    default_message = _("Some of the information is not valid.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("Nothing was found.")


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = _("You are not allowed to do this.")


class AuthenticationRequired(DomainError):
    status = 401
    code = "authentication_required"
    default_message = _("Please sign in first.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("This conflicts with the current state.")
