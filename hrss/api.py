"""The one JSON API behind every channel: ``/api/v1`` (OpenAPI 3 at ``/api/v1/openapi.json``)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from hrss.analytics.api import router as analytics_router
from hrss.archive.api import router as archive_router
from hrss.card.api import router as card_router
from hrss.codes.api import router as codes_router
from hrss.core.errors import DomainError
from hrss.credit.api import router as credit_router
from hrss.employment.api import router as employment_router
from hrss.exams.api import router as exams_router
from hrss.exchange.api import router as exchange_router
from hrss.hotline.api import router as hotline_router
from hrss.identity.api import router as identity_router
from hrss.insurance.api import router as insurance_router
from hrss.labor.api import router as labor_router
from hrss.medical.api import router as medical_router
from hrss.registry.api import router as registry_router
from hrss.servicehall.api import router as servicehall_router
from hrss.talent.api import router as talent_router
from hrss.training.api import router as training_router

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    """The one error shape of the API."""

    code: str
    message: str
    fields: dict[str, str]


class HrssNinjaAPI(NinjaAPI):
    def get_operation_url_name(self, operation: Any, router: Any) -> str:
        # "card.payment_notify", not "payment_notify": the insurance router has one too, and
        # the URL name is the operation's label in the request metrics (django-prometheus).
        module = operation.view_func.__module__.removeprefix("hrss.").removesuffix(".api")
        return f"{module}.{operation.view_func.__name__}"

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The document, plus the answers hrss.core.middleware gives before an operation runs:
        every write operation 400 (unreadable body, or a NUL character in the input), 413 (too
        large) and, where it takes a body, 415 (a content type it does not take); every other
        operation with parameters 400 (a NUL character in one). All in the one error shape."""
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        refusals = {
            "400": "The request body could not be read (malformed multipart, form or JSON) or holds a NUL character",
            "413": "The request body is too large",
            "415": "The operation does not accept this content type",
        }
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if not isinstance(operation, dict):
                    continue
                if method not in ("post", "put", "patch", "delete"):
                    if operation.get("parameters"):
                        # A NUL character in a path or query parameter (hrss.core.middleware).
                        operation.setdefault("responses", {}).setdefault(
                            "400", {"description": "A parameter holds a NUL character", "content": error}
                        )
                    continue
                responses = operation.setdefault("responses", {})
                for status, description in refusals.items():
                    if status == "415" and not operation.get("requestBody"):
                        continue
                    responses.setdefault(status, {"description": description, "content": error})
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "ErrorOut", ErrorOut.model_json_schema()
        )
        return schema


api = HrssNinjaAPI(
    title="hrss API",
    version="1",
    description="Internet + HR & Social Security: one API behind the web hall, app, WeChat, SMS, kiosk and 12333.",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, Any] | None = None
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "fields": fields or {}}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "form", "payload")
        ]
        fields[".".join(location) or "request"] = str(error.get("msg", ""))
    return _error(request, 422, "invalid_input", _("Some of the information is not valid."), fields)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "authentication_required", _("Please sign in first."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Nothing was found."))


def _database_unavailable(request: HttpRequest, exc: Any) -> HttpResponse:  # OperationalError, InterfaceError
    # The database went away mid-request (restart, fail-over, a cut connection): say so in the
    # API's one error shape, so clients retry, instead of a bare 500. The next request reconnects
    # (CONN_HEALTH_CHECKS). Logged with its traceback for the operators.
    logger.error("database error on %s", request.path, exc_info=exc)
    response = _error(request, 503, "service_unavailable", _("The service is briefly unavailable. Please try again."))
    response["Retry-After"] = "1"
    return response


# Only lost connections: an IntegrityError or a ProgrammingError is a bug, not an outage.
api.add_exception_handler(OperationalError, _database_unavailable)
api.add_exception_handler(InterfaceError, _database_unavailable)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja's "cannot parse request body": malformed input, reported like any invalid input.
        return _error(request, 422, "invalid_input", _("The request body could not be read."), {"body": str(exc)[:200]})
    return _error(request, exc.status_code, "http_error", str(exc))


api.add_router("/codes", codes_router)
api.add_router("/registry", registry_router)
api.add_router("/card", card_router)
api.add_router("/identity", identity_router)
api.add_router("/insurance", insurance_router)
api.add_router("/labor", labor_router)
api.add_router("/employment", employment_router)
api.add_router("/hotline", hotline_router)
api.add_router("/servicehall", servicehall_router)
api.add_router("/training", training_router)
api.add_router("/credit", credit_router)
api.add_router("/archive", archive_router)
api.add_router("/exchange", exchange_router)
api.add_router("/exams", exams_router)
api.add_router("/talent", talent_router)
api.add_router("/analytics", analytics_router)
api.add_router("/medical", medical_router)
