"""Public pages of the web hall (A1): home, the identifier check helper, health."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hrss.codes import selectors as codes
from hrss.codes.identifiers import parse_credit_code, parse_id_number
from hrss.core.errors import DomainError


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"districts": codes.districts_current()})


@require_GET
def identifier_check(request: HttpRequest) -> HttpResponse:
    """Check an ID number or credit code as a person types it (htmx partial or full page)."""
    value = request.GET.get("value", "").strip()
    result: dict[str, object] = {"value": value}
    if value:
        try:
            if len(value) == 18 and not value[:17].isdigit():
                code = parse_credit_code(value)
                result.update(kind="credit_code", parsed=code, district=codes.district_name(code.district_code))
            else:
                number = parse_id_number(value)
                result.update(kind="id_number", parsed=number, district=codes.district_name(number.address_code))
        except DomainError as error:
            result["error"] = error.as_dict()
    template = "portal/home.html#check-result" if request.htmx else "portal/check.html"  # type: ignore[attr-defined]
    return render(request, template, result)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
