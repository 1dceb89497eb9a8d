"""Single sign-on driven end to end with a real OIDC client library (authlib) (A6).

The relying party talks to hrss over HTTP (httpx through a WSGI transport to this very
application); the person's browser is Django's test client.
"""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from hrss.core.models import AuditEntry
from hrss.identity.clients import relying_party_create
from hrss.testing import make_user

pytestmark = pytest.mark.django_db

REDIRECT = "https://rp.example.gov.cn/callback"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _plain_http(monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the test server speaks http://testserver


class _Handler(WSGIHandler):
    """The application over WSGI, keeping the test's database connection open across
    requests (as Django's test client does)."""

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = b"".join(response)
            response.close()
            return [body]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _relying_party(scopes):
    credentials = relying_party_create(name="社保卡服务平台", redirect_uris=[REDIRECT], scopes=scopes)
    client = OAuth2Client(
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        scope=" ".join(scopes),
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
        transport=httpx.WSGITransport(app=_Handler()),
    )
    return credentials, client


def _sign_in_and_consent(browser, authorize_url):
    response = browser.get(authorize_url)
    next_url = authorize_url
    if response.status_code == 302:  # not signed in yet: the one hrss sign-in page
        assert response["Location"].startswith("/accounts/login/")
        next_url = parse_qs(urlsplit(response["Location"]).query)["next"][0]
        response = browser.post("/accounts/login/", {"username": "zw", "password": PASSWORD, "next": next_url})
        assert response.status_code == 302 and response["Location"] == next_url
    consent = browser.get(next_url)
    assert consent.status_code == 200 and "asks to use your hrss account" in consent.content.decode()
    fields = {k: v for k, v in consent.context["form"].initial.items() if v is not None}
    return browser.post(next_url, {**fields, "allow": "Authorize"})


def _flow(browser, rp, credentials, scope):
    metadata = rp.request("GET", "http://testserver/.well-known/openid-configuration", withhold_token=True).json()
    assert metadata["issuer"] == "http://testserver"
    assert "S256" in metadata.get("code_challenge_methods_supported", ["S256"])
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = rp.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce, scope=scope
    )
    assert "code_challenge=" in url
    redirect = _sign_in_and_consent(browser, url)
    assert redirect.status_code == 302 and redirect["Location"].startswith(REDIRECT)
    token = rp.fetch_token(
        metadata["token_endpoint"], authorization_response=redirect["Location"], code_verifier=verifier, state=state
    )
    jwks = JsonWebKey.import_key_set(rp.request("GET", metadata["jwks_uri"], withhold_token=True).json())
    claims = jwt.decode(
        token["id_token"],
        jwks,
        claims_cls=CodeIDToken,
        claims_options={"iss": {"values": [metadata["issuer"]]}},
        claims_params={"nonce": nonce, "client_id": credentials.client_id, "access_token": token["access_token"]},
    )
    claims.validate()
    userinfo = rp.get(metadata["userinfo_endpoint"]).json()
    return metadata, token, claims, userinfo


def test_code_flow_with_pkce_discovery_jwks_userinfo_and_logout(zhang):
    user = make_user("zw", "citizen", person=zhang, phone="13800138000")
    credentials, rp = _relying_party(["openid", "profile", "phone"])
    browser = Client()
    metadata, token, claims, userinfo = _flow(browser, rp, credentials, "openid profile phone")

    assert claims["sub"] == str(user.pk) and claims["aud"] == credentials.client_id
    assert claims["name"] == "张伟" and "id_number" not in claims
    assert userinfo["sub"] == str(user.pk) and userinfo["phone_number"] == "13800138000"
    assert userinfo["id_number_masked"].startswith(zhang.id_number[:4]) and "*" in userinfo["id_number_masked"]
    assert "id_number" not in userinfo

    # the account page lists the application; then the relying party signs the person out
    assert "社保卡服务平台" in browser.get("/accounts/me/").content.decode()
    logout = browser.get(
        metadata["end_session_endpoint"],
        {
            "id_token_hint": token["id_token"],
            "post_logout_redirect_uri": "https://rp.example.gov.cn/",
            "state": "bye",
            "client_id": credentials.client_id,
        },
    )
    assert logout.status_code == 302 and logout["Location"] == "https://rp.example.gov.cn/?state=bye"
    assert browser.get("/accounts/me/").status_code == 302  # signed out of hrss as well


def test_client_granted_id_number_receives_it_and_the_release_is_audited(zhang):
    make_user("zw", "citizen", person=zhang)
    credentials, rp = _relying_party(["openid", "profile", "id_number"])
    _metadata, _token, claims, userinfo = _flow(Client(), rp, credentials, "openid profile id_number")
    assert claims["id_number"] == userinfo["id_number"] == zhang.id_number
    entry = AuditEntry.objects.filter(action="identity.oidc.id_number_released").first()
    assert entry is not None and entry.object_id == str(zhang.pk) and "社保卡服务平台" in entry.actor


def test_client_without_id_number_scope_never_receives_the_number(zhang):
    make_user("zw", "citizen", person=zhang)
    credentials, rp = _relying_party(["openid", "profile"])
    browser = Client()
    browser.post("/accounts/login/", {"username": "zw", "password": PASSWORD})
    verifier = generate_token(48)
    url, _state = rp.create_authorization_url(
        "http://testserver/o/authorize/", code_verifier=verifier, nonce="n", scope="openid profile id_number"
    )
    response = browser.get(url)
    # refused outright: invalid_scope back to the relying party, nothing to consent to
    assert response.status_code == 302 and "error=invalid_scope" in response["Location"]
    assert zhang.id_number not in response["Location"]
    # and its ordinary sign-in carries only the masked number
    _metadata, _token, claims, userinfo = _flow(browser, rp, credentials, "openid profile")
    assert "id_number" not in claims and "id_number" not in userinfo and "id_number_masked" in userinfo


def test_pkce_is_required(zhang):
    make_user("zw", "citizen", person=zhang)
    credentials, _rp = _relying_party(["openid"])
    browser = Client()
    browser.post("/accounts/login/", {"username": "zw", "password": PASSWORD})
    response = browser.get(
        "/o/authorize/",
        {"client_id": credentials.client_id, "response_type": "code", "redirect_uri": REDIRECT, "scope": "openid"},
    )
    assert "error=invalid_request" in response.get("Location", "") or response.status_code == 400


def test_revoking_an_application_cuts_its_access(zhang):
    make_user("zw", "citizen", person=zhang)
    credentials, rp = _relying_party(["openid", "profile"])
    browser = Client()
    metadata, _token, _claims, _userinfo = _flow(browser, rp, credentials, "openid profile")
    from oauth2_provider.models import get_application_model

    application = get_application_model().objects.get(client_id=credentials.client_id)
    assert browser.post(f"/accounts/me/apps/{application.pk}/revoke/").status_code == 302
    assert rp.get(metadata["userinfo_endpoint"]).status_code == 401
    assert "社保卡服务平台" not in browser.get("/accounts/me/").content.decode()
