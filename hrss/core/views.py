"""The error answers of the whole site: handler400/403/404/500 and the CSRF failure view.

An ``/api/`` request gets the API's one error shape ``{"code", "message", "fields"}``; any
other request gets the friendly page (``error.html``, in the site's layout and the visitor's
language). Neither ever carries a traceback or lists URL patterns. A 500 carries an error id
(``fields.error_id`` in the API, shown on the page) that the log line with the exception
also carries (``hrss.core.logging.ErrorIdFilter``), so a citizen's report leads to the trace.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

ERROR_ID_ATTRIBUTE = "hrss_error_id"


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def note_error_id(sender: Any = None, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """``got_request_exception`` receiver: give the failed request its error id (once)."""
    if request is not None and not getattr(request, ERROR_ID_ATTRIBUTE, None):
        setattr(request, ERROR_ID_ATTRIBUTE, uuid.uuid4().hex)


def error_id(request: HttpRequest) -> str:
    note_error_id(request=request)
    return getattr(request, ERROR_ID_ATTRIBUTE)  # type: ignore[no-any-return]


# Status → (code, message) of the error shape, for answers that carry no error of their own.
def standard_error(status: int) -> tuple[str, str]:
    known = {
        400: ("bad_request", _("The request could not be read.")),
        401: ("authentication_required", _("Please sign in first.")),
        403: ("permission_denied", _("You are not allowed to do this.")),
        404: ("not_found", _("The page you asked for does not exist.")),
        405: ("method_not_allowed", _("This address does not accept this kind of request.")),
        406: ("not_acceptable", _("This answer cannot be given in the form you asked for.")),
        409: ("conflict", _("This conflicts with the current state.")),
        413: ("body_too_large", _("The request is too large.")),
        415: ("unsupported_media_type", _("This kind of content is not accepted here.")),
        422: ("invalid_input", _("Some of the information is not valid.")),
        429: ("too_many_requests", _("Too many attempts. Please wait a while and try again.")),
        500: ("server_error", _("Something went wrong on our side; it has been logged.")),
        503: ("service_unavailable", _("The service is briefly unavailable. Please try again.")),
    }
    if status in known:
        return known[status]
    if status >= 500:
        return known[500]
    return known[400]


def error_response(
    request: HttpRequest, status: int, code: str | None = None, message: str | None = None, fields: dict | None = None
) -> HttpResponse:
    default_code, default_message = standard_error(status)
    error_fields: dict[str, str] = {name: str(value) for name, value in (fields or {}).items()}
    if status >= 500:
        error_fields.setdefault("error_id", error_id(request))
    error = {"code": code or default_code, "message": message or default_message, "fields": error_fields}
    if is_api_request(request):
        return JsonResponse(error, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "error.html", {"error": error, "status": status}, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403)


@requires_csrf_token
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Never the resolver's tried patterns or the exception's text: only what was not found.
    return error_response(request, 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(
        request,
        403,
        code="csrf_failed",
        message=_(
            "This form has expired or was not sent from this site. Please go back, reload the page and try again."
        ),
    )
