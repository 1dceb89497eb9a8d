"""What people read when something is refused: a sentence in their language, shown in place
for htmx forms; codes and field names only for staff, in a disclosure; money as money."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.http import HttpRequest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from hrss.core.errors import InvalidInput
from hrss.core.middleware import DomainErrorMiddleware
from hrss.testing import make_person, make_user

STATIC = Path(__file__).resolve().parents[2] / "static" / "hrss"


def _refused(request: HttpRequest, user) -> str:
    request.user = user
    error = InvalidInput(
        "The amount is not valid.", code="invalid_amount", fields={"amount": "Enter a number that is not negative."}
    )
    with translation.override("en"):
        response = DomainErrorMiddleware(lambda r: None).process_exception(request, error)  # type: ignore[arg-type,return-value]
    assert response is not None and response.status_code == 422
    return response.content.decode()


@pytest.mark.django_db
def test_a_citizen_reads_the_sentence_without_codes_or_field_names():
    citizen = make_user("reader", "citizen", person=make_person())
    page = _refused(RequestFactory().get("/somewhere/"), citizen)
    visible = re.sub(r"<[^>]+>", " ", page)  # the code may sit in an attribute for tools, never in the text
    assert "The amount is not valid." in visible and "Enter a number that is not negative." in visible
    assert "invalid_amount" not in visible and "amount:" not in visible and "<html" in page


@pytest.mark.django_db
def test_staff_find_the_code_in_a_disclosure():
    clerk = make_user("disclosed", "counter_clerk", districts=["120101"])
    page = _refused(RequestFactory().get("/somewhere/"), clerk)
    assert '<details class="technical">' in page and "<code>invalid_amount</code>" in page


@pytest.mark.django_db
def test_an_htmx_request_gets_the_sentence_alone_to_swap_in_place():
    citizen = make_user("swapper", "citizen", person=make_person())
    partial = _refused(RequestFactory().post("/form/", HTTP_HX_REQUEST="true"), citizen)
    assert "The amount is not valid." in partial and "<html" not in partial and 'role="alert"' in partial


def test_htmx_swaps_4xx_answers_through_the_site_script_base_loads():
    script = (STATIC / "site.js").read_text(encoding="utf-8")
    assert "htmx:beforeSwap" in script and "shouldSwap = true" in script and "status < 500" in script
    base = (Path(__file__).resolve().parents[2] / "templates" / "base.html").read_text(encoding="utf-8")
    assert "{% static 'hrss/site.js' %}" in base


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("8540.000000"), "8,540.00 元"),
        (Decimal("0.005"), "0.01 元"),
        ("1234567.8", "1,234,567.80 元"),
        (0, "0.00 元"),
        (None, ""),
        ("not a number", "not a number"),
    ],
)
def test_money_reads_as_money(value, shown):
    with translation.override("zh-hans"):
        assert Template("{% load formatting %}{{ value|money }}").render(Context({"value": value})) == shown


def test_the_favicon_is_an_icon_of_our_own():
    icon = (STATIC / "favicon.ico").read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00" and icon[4] >= 1  # an ICO with at least one image
