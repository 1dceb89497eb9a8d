"""The per-process principal cache: a token's account, roles and scope read once, dropped at
once when this process changes them, and never past an expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrss.identity.auth import token_create, token_digest
from hrss.identity.models import ApiToken, Role
from hrss.identity.principals import principal_for_token
from hrss.testing import make_user

pytestmark = pytest.mark.django_db


def _me(token: str) -> int:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/identity/me").status_code


def test_a_token_is_resolved_once_with_its_scope_and_each_request_gets_its_own_copy():
    user = make_user("clerk_pc", "counter_clerk", districts=["120101"])
    digest = token_digest(token_create(user=user))
    first = principal_for_token(digest)
    with CaptureQueriesContext(connection) as captured:
        second = principal_for_token(digest)
    assert len(captured) == 0
    assert first is not second and first.pk == second.pk == user.pk
    assert second._hrss_scope.districts == frozenset({"120101"})
    second.temporary_mark = "this request only"
    assert not hasattr(principal_for_token(digest), "temporary_mark")


def test_revoking_a_token_or_deactivating_its_account_refuses_it_at_once():
    user = make_user("citizen_pc", "citizen")
    token = token_create(user=user)
    assert _me(token) == 200
    stored = ApiToken.objects.get(user=user)
    stored.revoked = True
    stored.save()
    assert _me(token) == 401
    other = token_create(user=user)
    assert _me(other) == 200
    user.is_active = False
    user.save()
    assert _me(other) == 401


def test_a_role_or_district_change_applies_at_once():
    user = make_user("reviewer_pc", "counter_clerk", districts=["120101"])
    digest = token_digest(token_create(user=user))
    assert principal_for_token(digest)._hrss_scope.districts == frozenset({"120101"})
    user.districts.add("120102")
    assert principal_for_token(digest)._hrss_scope.districts == frozenset({"120101", "120102"})
    user.roles.add(Role.objects.get(code="reviewer"))
    assert "reviewer" in principal_for_token(digest)._hrss_scope.roles


def test_an_expired_token_is_refused_even_while_cached(monkeypatch):
    from hrss.identity import principals

    user = make_user("script_pc", "citizen")
    digest = token_digest(token_create(user=user))
    ApiToken.objects.filter(digest=digest).update(expires_at=timezone.now() + dt.timedelta(minutes=1))
    assert principal_for_token(digest) is not None  # cached with its expiry
    later = timezone.now() + dt.timedelta(minutes=2)
    monkeypatch.setattr(principals.timezone, "now", lambda: later)
    with CaptureQueriesContext(connection) as captured:
        assert principal_for_token(digest) is None
    assert len(captured) == 0  # refused from the cache, not by asking the database again


def test_a_change_made_elsewhere_applies_after_the_stated_seconds(settings, monkeypatch):
    import time

    user = make_user("citizen_pc2", "citizen")
    digest = token_digest(token_create(user=user))
    assert principal_for_token(digest) is not None
    ApiToken.objects.filter(digest=digest).update(revoked=True)  # as another process would
    assert principal_for_token(digest) is not None
    later = time.monotonic() + settings.HRSS_PRINCIPAL_CACHE_SECONDS + 0.1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert principal_for_token(digest) is None
