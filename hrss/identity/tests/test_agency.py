"""Agency clients: client credentials → a Scope with the granted scopes for the API (A6, X1)."""

import base64
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from hrss.core.models import AuditEntry
from hrss.testing import make_person

pytestmark = pytest.mark.django_db


def _create(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def _access_token(credentials, scope=None):
    basic = base64.b64encode(f"{credentials['client_id']}:{credentials['client_secret']}".encode()).decode()
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    response = Client().post("/o/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")
    return response


def test_agency_client_reads_the_registry_with_its_grant_and_is_audited():
    person = make_person(name="被核验人")
    credentials = _create("agency", "client", "create", "--name", "市医保局", "--scopes", "registry:read")
    assert credentials["scopes"] == ["registry:read"] and credentials["kind"] == "agency"
    token = _access_token(credentials).json()
    assert token["scope"] == "registry:read"
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")
    response = api.get(f"/api/v1/registry/persons/{person.id_number}?purpose=eligibility")
    assert response.status_code == 200 and response.json()["name"] == "被核验人"
    entry = AuditEntry.objects.get(action="registry.person.read")
    assert (entry.actor, entry.actor_role) == ("市医保局", "agency_client")


def test_agency_client_without_the_grant_sees_nobody():
    person = make_person()
    credentials = _create("agency", "client", "create", "--name", "证书核验", "--scopes", "verify:certificates")
    token = _access_token(credentials).json()["access_token"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(f"/api/v1/registry/persons/{person.id_number}").status_code == 404
    # and it cannot ask for more than it was granted
    assert _access_token(credentials, scope="registry:read").json()["error"] == "invalid_scope"


def test_bad_or_foreign_tokens_are_refused():
    assert Client(HTTP_AUTHORIZATION="Bearer not-a-token").get("/api/v1/registry/persons").status_code == 401


def test_unknown_scope_is_refused_by_the_command():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown_scope"):
        _create("agency", "client", "create", "--name", "x", "--scopes", "everything")


def test_oidc_client_command_prints_id_and_secret():
    credentials = _create(
        "oidc", "client", "create", "--name", "人才服务平台", "--redirect-uri", "https://talent.example.gov.cn/cb"
    )
    assert credentials["client_id"] and len(credentials["client_secret"]) > 30
    assert credentials["scopes"] == ["openid", "phone", "profile"]
    from oauth2_provider.models import get_application_model

    application = get_application_model().objects.get(client_id=credentials["client_id"])
    assert application.client_secret != credentials["client_secret"]  # only a hash is stored
    assert application.post_logout_redirect_uris == "https://talent.example.gov.cn/"
