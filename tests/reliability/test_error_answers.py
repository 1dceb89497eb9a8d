"""Every error answer is the one error shape (API) or the friendly page (pages), never a traceback.

Malformed bodies are refused before authentication (hrss.core.middleware.ApiRequestMiddleware):
each write operation of the OpenAPI document gets a multipart body without a boundary, broken
JSON, a content type it does not take and a body over the limit, with an (invalid) bearer
token, the way an outside fuzzer found them answered with 500s.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from hrss import urls as hrss_urls
from hrss.api import api

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")


def _operations() -> list[tuple[str, str, frozenset[str]]]:
    found = []
    for template, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if method in WRITE_METHODS:
                content = (operation.get("requestBody") or {}).get("content") or {}
                url = re.sub(r"\{[^}]+\}", "0", template)
                found.append((method, url, frozenset(content)))
    return sorted(found)


OPERATIONS = _operations()


def _assert_error_shape(response: HttpResponse, status: set[int] | int) -> dict:
    statuses = {status} if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert "Traceback" not in response.content.decode()
    return body


def _send(method: str, url: str, body: bytes, content_type: str, **extra: str) -> HttpResponse:
    client = Client(raise_request_exception=False)
    return getattr(client, method)(url, data=body, content_type=content_type, HTTP_AUTHORIZATION="Bearer x", **extra)


def test_the_schema_has_write_operations_to_try():
    assert sum(1 for method, _url, _types in OPERATIONS if method == "post") >= 30


@pytest.mark.parametrize(("method", "url", "accepted"), OPERATIONS, ids=[f"{m} {u}" for m, u, _a in OPERATIONS])
def test_malformed_bodies_are_refused_before_authentication(method, url, accepted):
    # The example: multipart without a boundary (oauth2_provider used to 500 on it).
    no_boundary = _send(method, url, b'{"a": 1}', "multipart/form-data")
    body = _assert_error_shape(no_boundary, {400, 415})
    assert body["code"] in {"malformed_body", "unsupported_media_type"}

    broken_json = _send(method, url, b'{"a": 1', "application/json")
    body = _assert_error_shape(broken_json, {400, 415})
    assert body["code"] in {"malformed_json", "unsupported_media_type"}

    # A truncated multipart body (Django's parser reads what is there): never a 500.
    truncated = _send(method, url, b"--x\r\nnot a part", "multipart/form-data; boundary=x")
    assert truncated.status_code < 500

    xml = _send(method, url, b"<a>1</a>", "application/xml")
    if accepted:
        assert _assert_error_shape(xml, 415)["code"] == "unsupported_media_type"
    else:  # an operation without a body ignores one: its own answer, never a 500
        assert xml.status_code < 500


@pytest.mark.parametrize(("method", "url", "accepted"), OPERATIONS[:1] + [op for op in OPERATIONS if op[2]][:3])
def test_a_body_over_the_limit_is_a_413(method, url, accepted, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.HRSS_MAX_UPLOAD_BYTES = 2000
    big_json = _send(method, url, b'{"a": "' + b"x" * 1500 + b'"}', "application/json")
    assert _assert_error_shape(big_json, 413)["code"] == "body_too_large"
    part = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n' + b"y" * 2500 + b"\r\n--x--\r\n"
    )
    big_upload = _send(method, url, part, "multipart/form-data; boundary=x")
    assert _assert_error_shape(big_upload, 413)["code"] == "body_too_large"


JSON_OPERATIONS = [op for op in OPERATIONS if "application/json" in op[2]]


@pytest.mark.parametrize(
    ("method", "url", "accepted"), JSON_OPERATIONS, ids=[f"{m} {u}" for m, u, _a in JSON_OPERATIONS]
)
def test_a_nul_character_in_a_json_body_is_a_400_naming_where(method, url, accepted):
    # The fuzzer's find on PostgreSQL (which cannot store NUL): an array of codes with "\u0000"
    # in one reached a query and answered 500. Refused at the edge, for every JSON operation.
    response = _send(method, url, b'{"title": "ok", "items": ["a", "b\\u0000c"]}', "application/json")
    body = _assert_error_shape(response, 400)
    assert body["code"] == "nul_character"
    assert body["fields"] == {"items.1": "NUL"}
    key = _send(method, url, b'{"ti\\u0000tle": "ok"}', "application/json")
    assert _assert_error_shape(key, 400)["fields"] == {"title": "NUL"}
    # An escaped backslash before "u0000" is text, not a NUL: the operation answers it.
    text = _send(method, url, b'{"title": "\\\\u0000"}', "application/json")
    assert text.status_code < 500 and text.json()["code"] != "nul_character", text.content


def test_a_nul_character_in_a_query_a_path_or_a_form_is_a_400():
    query = Client().get("/api/v1/hotline/kb/search", {"q": "养老\x00金"})
    assert _assert_error_shape(query, 400)["fields"] == {"q": "NUL"}
    path = Client().get("/api/v1/codes/id-number/11010519491231002%00")
    assert _assert_error_shape(path, 400)["fields"] == {"path": "NUL"}
    form_operation = next(op for op in OPERATIONS if "multipart/form-data" in op[2])
    form = Client().post(form_operation[1], {"note": "a\x00b"}, HTTP_AUTHORIZATION="Bearer x")
    assert _assert_error_shape(form, 400)["fields"] == {"note": "NUL"}


def test_the_nul_refusal_is_in_the_openapi_document():
    schema = api.get_openapi_schema()
    lookup = schema["paths"]["/api/v1/codes/id-number/{value}"]["get"]["responses"]
    assert "400" in lookup


def test_a_well_formed_request_still_reaches_authentication():
    response = _send("post", "/api/v1/card/cards/0/cancel", b'{"reason": "x"}', "application/json")
    assert _assert_error_shape(response, 401)["code"] == "authentication_required"


def test_a_method_the_path_does_not_take_is_a_405_in_the_error_shape():
    response = Client().put("/api/v1/card/cards/0/cancel", data=b"{}", content_type="application/json")
    assert _assert_error_shape(response, 405)["code"] == "method_not_allowed"
    assert "POST" in response["Allow"]


def test_an_unknown_api_path_is_a_404_in_the_error_shape():
    assert _assert_error_shape(Client().get("/api/v1/no-such-thing"), 404)["code"] == "not_found"
    assert _assert_error_shape(Client().get("/api/v2/"), 404)["code"] == "not_found"


# ---- pages ------------------------------------------------------------------------------


def test_a_404_page_is_friendly_chinese_and_lists_no_url_patterns():
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "页面不存在" in html and 'class="site-header"' in html  # the site's layout
    for leak in ("URLconf", "admin/", "oidc/", "didn’t match", "Traceback"):
        assert leak not in html


def test_a_404_page_follows_the_visitors_language():
    html = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "頁面不存在" in html


def test_a_malformed_page_form_post_is_the_friendly_400_page():
    response = Client(raise_request_exception=False).post(
        "/accounts/login/", data=b'{"a": 1}', content_type="multipart/form-data"
    )
    html = response.content.decode()
    assert response.status_code == 400 and 'class="error-page"' in html and "Traceback" not in html


def test_a_page_form_post_without_its_csrf_token_is_the_friendly_403_page():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})
    html = response.content.decode()
    assert response.status_code == 403 and "csrf_failed" in html and 'class="error-page"' in html
    assert "表单已过期" in html


# ---- 500s: an error id in the answer and in the log line with the traceback ------------------


def _crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: /srv/hrss/settings.py")


urlpatterns = [
    path("api/v1/test-crash", _crash),
    path("test-crash", _crash),
    *hrss_urls.urlpatterns,
]
handler400 = hrss_urls.handler400
handler403 = hrss_urls.handler403
handler404 = hrss_urls.handler404
handler500 = hrss_urls.handler500


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    from hrss.core.logging import ErrorIdFilter

    handler = _Capture()
    handler.addFilter(ErrorIdFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


@override_settings(ROOT_URLCONF=__name__)
def test_an_api_500_carries_an_error_id_that_the_log_line_with_the_traceback_carries(log_lines):
    response = Client(raise_request_exception=False).get("/api/v1/test-crash")
    body = _assert_error_shape(response, 500)
    assert body["code"] == "server_error" and "secret internals" not in response.content.decode()
    error_id = body["fields"]["error_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", error_id)
    logged = [line for line in log_lines if error_id in line]
    assert len(logged) == 1 and "RuntimeError: secret internals" in logged[0]


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_500_is_the_friendly_page_with_the_error_id(log_lines):
    response = Client(raise_request_exception=False).get("/test-crash", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 500 and "secret internals" not in html and "Traceback" not in html
    error_id = re.search(r'class="error-id">([0-9a-f]{32})<', html).group(1)
    assert any(error_id in line and "RuntimeError" in line for line in log_lines)
    assert "系统出错了" in html
