"""Scripts, the mobile app and agency systems POST with a bearer token and no CSRF token (X1).

Found by the load test: with the browser session tried first, ninja's cookie check refused
every such POST with "CSRF check Failed" (403). The test client here enforces CSRF as a
browser-less caller meets it.
"""

import base64

import pytest
from django.test import Client

from hrss.core import scope as roles
from hrss.identity.auth import token_create
from hrss.identity.clients import agency_client_create
from hrss.testing import make_person, make_user

pytestmark = pytest.mark.django_db
CHECK = {"kind": "photo", "reference": "media-1", "purpose": "counter check"}


def test_a_post_with_an_api_token_needs_no_csrf_token():
    person = make_person()
    user = make_user("token_poster", roles.CITIZEN, person=person)
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
    response = api.post(
        "/api/v1/identity/biometric-checks", {"person_id": str(person.pk), **CHECK}, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_a_post_with_an_agency_access_token_needs_no_csrf_token():
    person = make_person()
    credentials = agency_client_create(name="核验机构", scopes=["verify:biometric"])
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    token = Client().post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    response = api.post(
        "/api/v1/identity/biometric-checks", {"person_id": str(person.pk), **CHECK}, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_a_browser_session_still_needs_its_csrf_token():
    person = make_person()
    user = make_user("session_poster", roles.CITIZEN, person=person)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post(
        "/api/v1/identity/biometric-checks", {"person_id": str(person.pk), **CHECK}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
