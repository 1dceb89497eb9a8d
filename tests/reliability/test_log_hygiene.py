"""Log hygiene (X1): requests that log — not found, refused, failed sign-ins, token requests —
leave no ID number or phone number in clear, and no secret at all, in the log the
operators read (the handlers configured in settings.LOGGING, with their masking filter)."""

from __future__ import annotations

import base64
import io
import logging

import pytest
from django.test import Client

from hrss.core import scope as roles
from hrss.core.logging import MaskPersonalDataFilter
from hrss.identity.auth import token_create
from hrss.identity.clients import agency_client_create
from hrss.testing import make_person, make_user, sign_in

pytestmark = pytest.mark.django_db
PHONE = "13812345678"
PASSWORD = "correct horse battery staple"  # make_user's test password


@pytest.fixture
def captured():
    """The configured handlers that carry the masking filter, writing into one buffer, at DEBUG."""
    root = logging.getLogger()
    handlers = [h for h in root.handlers if any(isinstance(f, MaskPersonalDataFilter) for f in h.filters)]
    assert handlers, "settings.LOGGING should put the masking filter on the root handlers"
    buffer = io.StringIO()
    streams = [h.setStream(buffer) for h in handlers if isinstance(h, logging.StreamHandler)]
    level = root.level
    root.setLevel(logging.DEBUG)
    yield buffer
    root.setLevel(level)
    for handler, stream in zip(handlers, streams, strict=False):
        handler.setStream(stream)


def test_requests_that_log_leave_no_personal_data_or_secret_in_clear(captured, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    person = make_person(district="120101", name="日志测试", phone=PHONE)
    number = person.id_number
    clerk = make_user("log_clerk", roles.COUNTER_CLERK, districts=["120103"])
    elsewhere = sign_in(Client(), clerk)
    bearer = token_create(user=clerk)
    credentials = agency_client_create(name="日志机构", scopes=["registry:read"])

    # out of scope: "Not Found: /api/v1/registry/persons/<ID number>"
    assert elsewhere.get(f"/api/v1/registry/persons/{number}?purpose=call {PHONE}").status_code == 404
    assert Client(HTTP_AUTHORIZATION=f"Bearer {bearer}").get(f"/api/v1/registry/persons/{number}").status_code == 404
    # a phone number where a card number belongs: "Unprocessable Content: /api/v1/card/cards/<phone>"
    assert elsewhere.get(f"/api/v1/card/cards/{PHONE}").status_code in (404, 422)
    # pages: not found with personal data in the path
    assert elsewhere.get(f"/hall/applications/{number}/").status_code == 404
    # a failed sign-in (the password is wrong by one letter) and a failed token request
    Client().post("/accounts/login/", {"username": "log_clerk", "password": PASSWORD + "x"})
    wrong = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}x".encode()).decode()
    assert (
        Client()
        .post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {wrong}")
        .status_code
        == 401
    )
    right = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    access = Client().post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {right}")
    token = access.json()["access_token"]
    agency = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert agency.get(f"/api/v1/registry/persons/{number}/employments?purpose={PHONE}").status_code == 200

    log = captured.getvalue()
    assert f"/api/v1/registry/persons/{number[:6]}" in log or number[:4] + "**" in log, (
        "the requests should have logged"
    )
    for secret, what in [
        (number, "an ID number"),
        (PHONE, "a phone number"),
        (PASSWORD, "a password"),
        (credentials.client_secret, "a client secret"),
        (token, "an access token"),
        (bearer, "an API token"),
    ]:
        assert secret not in log, f"{what} in clear in the log"
