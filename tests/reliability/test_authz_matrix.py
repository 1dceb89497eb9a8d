"""Authorisation matrix (X1): every API operation and every page, asked by every role.

The world (``authz_world.py``) is built once for this module inside a transaction that is
rolled back at the end; every request runs in its own savepoint, rolled back after it, so
no request sees what another did. Each test collects all mismatches and fails once with
the whole list: operation, role, expected, got.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.reliability.authz_matrix import API, PAGES, Case, body_of
from tests.reliability.authz_world import ROLES, World, world_build

# The marker makes pytest-django set up the test database (and wraps each test in a savepoint).
pytestmark = pytest.mark.django_db

REFUSALS = {"401", "403", "404", "405", "409", "422", "login", "otp", "3xx="}
PAGE_EXCLUDED = ("admin/", "api/v1/", "static/", "media/", "^media/")


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    directory = tmp_path_factory.mktemp("authz")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=str(directory / "media"),
            HRSS_CARD_AUTH_CACHE_SECONDS=0,
            HRSS_REAUTH_SECONDS=24 * 3600,
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield world_build(directory)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --------------------------------------------------------------------------- the lists to cover


def api_operations() -> set[str]:
    from hrss.api import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _normalise(route: str) -> str:
    """``^\\.well-known/openid-configuration/?$`` → ``/.well-known/openid-configuration``."""
    route = route.replace("^", "").replace("$", "").replace("/?", "").replace("\\", "")
    return "/" + route


def page_routes() -> set[str]:
    return {_normalise(route) for route in _walk(get_resolver().url_patterns) if not route.startswith(PAGE_EXCLUDED)}


# --------------------------------------------------------------------------- running one request


def _concrete(case: Case, world: World) -> str:
    values = case.path(world)
    route = case.route
    route = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    if case.query is not None:
        route += "?" + urlencode(case.query(world))
    return route


def _matches(token: str, status: int, location: str, unchanged: bool) -> bool:
    redirect = 300 <= status < 400
    target = location.split("?")[0]
    to_login = redirect and target == "/accounts/login/"
    to_otp = redirect and target == "/accounts/otp/"
    if token == "2xx":
        return 200 <= status < 300
    if token == "4xx":
        return 400 <= status < 500
    if token == "3xx":
        return redirect and not (to_login or to_otp)
    if token == "3xx=":
        return redirect and not (to_login or to_otp) and unchanged
    if token == "login":
        return to_login
    if token == "otp":
        return to_otp
    if token == "ok":
        return status < 500 and status not in (401, 403, 404) and not (to_login or to_otp)
    return status == int(token)


def _text(response: Any) -> str:
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if "json" in response.get("Content-Type", ""):
        try:
            return json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            pass
    return content.decode("utf-8", errors="replace")


def _describe(response: Any, location: str) -> str:
    if location:
        return f"{response.status_code} → {location.split('?')[0]}"
    code = ""
    if "json" in response.get("Content-Type", ""):
        try:
            code = " " + str(json.loads(response.content).get("code", ""))
        except (ValueError, AttributeError):
            code = ""
    return f"{response.status_code}{code}"


def check(case: Case, role: str, world: World) -> str | None:
    """Send the case's request as ``role``; None when the answer is the expected one."""
    expected = case.expect[role]
    tokens = expected if isinstance(expected, tuple) else (expected,)
    refusal = all(token in REFUSALS for token in tokens)
    client = world.clients[role]
    cookies = copy.deepcopy(client.cookies)  # a sign-out replaces the session cookie: keep the world's
    with transaction.atomic():
        if case.setup is not None:
            case.setup(world)
        before = world.fingerprint() if refusal else None
        with override_settings(**case.settings):
            path = _concrete(case, world)
            kwargs = _request_kwargs(case, world)
            sent = path + str(kwargs.get("data", ""))
            response = client.generic(case.method, path, **kwargs)
            text = _text(response)
        unchanged = before is None or world.fingerprint() == before
        transaction.set_rollback(True)
    client.cookies = cookies
    location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
    problems = []
    if not any(_matches(token, response.status_code, location, unchanged) for token in tokens):
        problems.append(f"expected {'/'.join(tokens)}, got {_describe(response, location)}")
    if refusal and not unchanged:
        problems.append("a refused request changed the state")
    if role not in case.leak_ok:
        seen = [marker for marker in world.forbidden_markers(role) if marker in text and marker not in sent]
        if seen:
            problems.append(f"answer shows out-of-scope personal data {seen}")
    return f"{case.name()} as {role}: " + "; ".join(problems) if problems else None


def _request_kwargs(case: Case, world: World) -> dict[str, Any]:
    kwargs = body_of(case, world)
    if "data" in kwargs and "content_type" not in kwargs:
        # a form: multipart, as a browser sends it (django.test's post does the encoding)
        from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

        kwargs["data"] = encode_multipart(BOUNDARY, kwargs["data"])
        kwargs["content_type"] = MULTIPART_CONTENT
    return kwargs


def _run(cases: list[Case], world: World) -> tuple[int, list[str]]:
    failures = []
    checked = 0
    for case in cases:
        for role in ROLES:
            checked += 1
            problem = check(case, role, world)
            if problem:
                failures.append(problem)
    return checked, failures


# --------------------------------------------------------------------------- the tests


def test_every_api_operation_is_in_the_matrix() -> None:
    covered = {case.key for case in API}
    missing = sorted(api_operations() - covered)
    stale = sorted(covered - api_operations())
    assert not missing, "API operations without an entry in tests/reliability/authz_matrix.py:\n" + "\n".join(missing)
    assert not stale, "matrix entries for operations that no longer exist:\n" + "\n".join(stale)


def test_every_page_is_in_the_matrix() -> None:
    covered = {case.route for case in PAGES}
    missing = sorted(page_routes() - covered)
    stale = sorted(covered - page_routes())
    assert not missing, "pages without an entry in tests/reliability/authz_matrix.py:\n" + "\n".join(missing)
    assert not stale, "matrix entries for pages that no longer exist:\n" + "\n".join(stale)


def test_every_case_names_every_role() -> None:
    incomplete = [case.name() for case in API + PAGES if set(case.expect) != set(ROLES)]
    assert not incomplete, incomplete


def test_api_authorisation_matrix(world: World) -> None:
    checked, failures = _run(API, world)
    assert checked == len(API) * len(ROLES)
    assert not failures, f"{len(failures)} of {checked} API checks failed:\n" + "\n".join(failures)


def test_page_authorisation_matrix(world: World) -> None:
    checked, failures = _run(PAGES, world)
    assert not failures, f"{len(failures)} of {checked} page checks failed:\n" + "\n".join(failures)
