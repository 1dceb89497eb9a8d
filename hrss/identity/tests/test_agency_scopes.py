"""The scopes other apps publish for agency systems can be granted to a real client (X1):
the card service platform's and the service hall's feed."""

import base64

import pytest
from django.test import Client

from hrss.identity.clients import agency_client_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("scope", ["card:verify", "card:holder_name", "card:use:record", "servicehall:feed"])
def test_an_agency_client_gets_a_token_with_a_published_scope(scope):
    credentials = agency_client_create(name=f"机构 {scope}", scopes=[scope])
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    response = Client().post(
        "/o/token/", {"grant_type": "client_credentials", "scope": scope}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200 and response.json()["scope"] == scope


def test_the_service_hall_feed_opens_with_its_grant():
    credentials = agency_client_create(name="政务服务平台", scopes=["servicehall:feed"])
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    token = Client().post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    assert api.get("/api/v1/servicehall/feed/applications").status_code == 200
