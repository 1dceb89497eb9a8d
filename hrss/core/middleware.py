"""Request and error middleware.

``ApiRequestMiddleware`` sits early (before sessions and authentication). For ``/api/``:

- it refuses a body it cannot read before any later layer touches it: a body larger than
  the limit (413), a multipart body without a boundary or otherwise broken, a form body
  with too many fields (400), broken JSON (400), a content type the operation does not
  accept (415). Authentication (oauthlib reads ``request.POST``) then never meets an
  unreadable body;
- it refuses a NUL character anywhere in the input (path, query string, JSON strings and
  keys, form fields) with a 400: no text the platform keeps may hold one, PostgreSQL cannot
  store one, and an ID or a code with one is no ID or code. Django's form fields refuse it on
  pages (``ProhibitNullCharactersValidator``); this is the same rule for the API;
- it turns every 4xx/5xx answer that is not yet in the one error shape
  ``{"code", "message", "fields"}`` (ninja's 405, Django's own 400 pages, ...) into it.

Which content types an operation accepts comes from the OpenAPI documents of the ninja
APIs named in ``settings.HRSS_API_OBJECTS``: an operation with a request body accepts the
types its ``requestBody`` lists (a form operation takes urlencoded and multipart alike); an
operation without one ignores a body, but still gets it checked for readability.

``DomainErrorMiddleware`` turns a DomainError escaping a page view into a friendly page.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from hrss.core import views
from hrss.core.errors import DomainError

_NUL = "\x00"
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}
# Headers of an original error answer kept when it is rewritten into the error shape.
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def _nul_in(value: Any, where: str = "") -> str | None:
    """Where in a parsed JSON document a string (or a key) holds a NUL character: a dotted
    path like ``items.1``, "body" for the document itself, or None."""
    if isinstance(value, str):
        return (where or "body") if _NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if _NUL in key:
                return f"{where}.{key.replace(_NUL, '')}".strip(".") or "body"
            found = _nul_in(item, f"{where}.{key}".strip("."))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_in(item, f"{where}.{index}".strip("."))
            if found is not None:
                return found
    return None


def _nul_refusal(request: HttpRequest, where: str) -> HttpResponse:
    return views.error_response(
        request,
        400,
        "nul_character",
        _("The request contains a NUL character, which no field may hold."),
        {where: "NUL"},
    )


class _OperationTable:
    """(method, path) → accepted request content types, from the APIs' OpenAPI documents."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._routes: list[tuple[re.Pattern[str], dict[str, frozenset[str]]]] | None = None

    def _build(self) -> list[tuple[re.Pattern[str], dict[str, frozenset[str]]]]:
        routes: list[tuple[int, re.Pattern[str], dict[str, frozenset[str]]]] = []
        for dotted in getattr(settings, "HRSS_API_OBJECTS", []):
            schema = import_string(dotted).get_openapi_schema()
            for path, operations in schema.get("paths", {}).items():
                pattern = re.compile(
                    "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "/?$",
                )
                accepted: dict[str, frozenset[str]] = {}
                for method, operation in operations.items():
                    if not isinstance(operation, dict):
                        continue
                    content = (operation.get("requestBody") or {}).get("content") or {}
                    accepted[method.upper()] = frozenset(content)
                routes.append((path.count("{"), pattern, accepted))
        # Literal routes before templated ones (/cards/search before /cards/{id}).
        routes.sort(key=lambda route: route[0])
        return [(pattern, accepted) for _count, pattern, accepted in routes]

    def accepted(self, method: str, path: str) -> frozenset[str] | None:
        """The content types the operation accepts; None if no operation is known for it."""
        if self._routes is None:
            with self._lock:
                if self._routes is None:
                    self._routes = self._build()
        for pattern, operations in self._routes:
            if pattern.match(path) and method in operations:
                return operations[method]
        return None


operation_table = _OperationTable()


class ApiRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not views.is_api_request(request):
            return self.get_response(request)
        refusal = self._refuse_nul(request)
        if refusal is None and request.method in _BODY_METHODS:
            refusal = self._refuse_body(request)
        response = refusal or self.get_response(request)
        return self._shape(request, response)

    # ---- NUL characters ----------------------------------------------------------------

    def _refuse_nul(self, request: HttpRequest) -> HttpResponse | None:
        where = None
        if _NUL in request.path_info:
            where = "path"
        else:
            for name, values in request.GET.lists():
                if _NUL in name or any(_NUL in value for value in values):
                    where = name.replace(_NUL, "") or "query"
                    break
        if where is None:
            return None
        return _nul_refusal(request, where)

    # ---- bodies ------------------------------------------------------------------------

    def _refuse_body(self, request: HttpRequest) -> HttpResponse | None:
        content_type = (request.content_type or "").lower()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return views.error_response(request, 400, "malformed_body", _("The request's length is not a number."))
        limit = (
            settings.HRSS_MAX_UPLOAD_BYTES
            if content_type == "multipart/form-data"
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if limit is not None and length > limit:
            return views.error_response(
                request,
                413,
                "body_too_large",
                _("The request is too large (at most %(limit)s bytes).") % {"limit": limit},
            )
        accepted = operation_table.accepted(request.method or "", request.path)
        if accepted and length > 0:
            acceptable = set(accepted)
            if acceptable & _FORM_TYPES:
                acceptable |= _FORM_TYPES
            if content_type not in acceptable:
                return views.error_response(
                    request,
                    415,
                    "unsupported_media_type",
                    _("This operation accepts %(types)s.") % {"types": ", ".join(sorted(accepted))},
                    {"content_type": content_type or "-"},
                )
        try:
            if content_type in _FORM_TYPES and request.method == "POST" and accepted:
                # The operation reads this form: parse (and keep) it now, streaming, so a broken
                # multipart body fails here, not in authentication.
                for name, values in request.POST.lists():
                    if _NUL in name or any(_NUL in value for value in values):
                        return _nul_refusal(request, name.replace(_NUL, "") or "body")
                request.FILES  # noqa: B018
            elif content_type == "multipart/form-data":
                # An operation that reads the raw body (a signed payment callback) keeps it
                # readable: the check parses a copy. Also PUT/PATCH/DELETE, whose forms Django
                # does not parse.
                MultiPartParser(
                    request.META, io.BytesIO(request.body), request.upload_handlers, request.encoding
                ).parse()
            elif content_type == "application/x-www-form-urlencoded":
                QueryDict(request.body, encoding=request.encoding)
            elif _is_json(content_type) and length > 0:
                body = request.body
                if body.strip():
                    where = _nul_in(json.loads(body))
                    if where is not None:
                        return _nul_refusal(request, where)
        except RequestDataTooBig:
            return views.error_response(request, 413, "body_too_large", _("The request is too large."))
        except (MultiPartParserError, BadRequest, SuspiciousOperation, UnicodeDecodeError) as error:
            return views.error_response(
                request, 400, "malformed_body", _("The request body could not be read."), {"body": str(error)[:200]}
            )
        except ValueError as error:  # json.JSONDecodeError
            return views.error_response(
                request, 400, "malformed_json", _("The request body is not valid JSON."), {"body": str(error)[:200]}
            )
        return None

    # ---- the one error shape -----------------------------------------------------------

    def _shape(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or getattr(response, "streaming", False):
            return response
        if _is_json((response.get("Content-Type") or "").split(";")[0].strip().lower()):
            try:
                payload = json.loads(response.content)
            except ValueError:
                payload = None
            if isinstance(payload, dict) and {"code", "message", "fields"} <= payload.keys():
                return response
        shaped = views.error_response(request, response.status_code)
        for header in _KEPT_HEADERS:
            if header in response:
                shaped[header] = response[header]
        return shaped


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
            return JsonResponse(exception.as_dict(), status=exception.status)
        context: dict[str, Any] = {"error": exception.as_dict(), "status": exception.status}
        # An htmx request swaps the answer into part of a page: the sentence alone, not a page.
        template = "_error.html" if request.headers.get("HX-Request") == "true" else "error.html"
        return render(request, template, context, status=exception.status)
