"""Sign-in by password or phone code; staff second factor; lockout; re-authentication (A6, X1)."""

import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrss.identity.auth import token_create
from hrss.identity.models import AccountSession
from hrss.testing import make_user, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _token(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_citizen_signs_in_with_password_and_the_session_is_listed(zhang):
    make_user("zw", "citizen", person=zhang)
    client = Client(HTTP_USER_AGENT="TestBrowser/1.0")
    response = client.post("/accounts/login/", {"username": "zw", "password": PASSWORD, "next": "/accounts/me/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    page = client.get("/accounts/me/").content.decode()
    assert "TestBrowser/1.0" in page and AccountSession.objects.filter(user__username="zw").count() == 1


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(zhang):
    make_user("zw", "citizen", person=zhang)
    response = Client().post("/accounts/login/", {"username": "zw", "password": "nope"})
    assert response.status_code == 401 and "not correct" in response.content.decode()


def test_sign_in_with_phone_and_code(zhang, last_code):
    make_user("zw", "citizen", person=zhang, phone="13800138000", phone_index=_phone_index("13800138000"))
    client = Client()
    response = client.post("/accounts/login/phone/", {"phone": "13800138000"})
    assert response["Location"] == "/accounts/login/code/"
    response = client.post("/accounts/login/code/", {"code": last_code("13800138000")})
    assert response.status_code == 302 and client.get("/accounts/me/").status_code == 200


def test_unknown_phone_gets_the_same_next_step_and_no_sms():
    from hrss.notify import backends

    client = Client()
    response = client.post("/accounts/login/phone/", {"phone": "13600000000"})
    assert response["Location"] == "/accounts/login/code/" and backends.outbox == []
    assert client.post("/accounts/login/code/", {"code": "123456"}).status_code == 422


def _phone_index(phone):
    from hrss.identity.onetime import phone_index

    return phone_index(phone)


def test_lockout_after_five_failures_and_reset(zhang):
    from axes.utils import reset

    make_user("zw", "citizen", person=zhang)
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "zw", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "zw", "password": PASSWORD})
    assert locked.status_code == 429 and "locked" in locked.content.decode()
    reset(username="zw")
    assert client.post("/accounts/login/", {"username": "zw", "password": PASSWORD}).status_code == 302


def test_staff_password_alone_does_not_sign_in():
    clerk = make_user("clerk", "counter_clerk", districts=["120101"])
    device = TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    client = Client()
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert response["Location"] == "/accounts/otp/"
    assert client.get("/accounts/me/").status_code == 302  # not signed in yet
    assert (
        client.post("/accounts/otp/", {"token": "000000" if _token(device) != "000000" else "111111"}).status_code
        == 401
    )
    # django-otp throttles a device after a wrong code; a user would wait a second
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post("/accounts/otp/", {"token": _token(device)})
    assert response.status_code == 302
    assert client.get("/api/v1/registry/persons?limit=1").status_code == 200


def test_staff_without_a_second_factor_is_refused_everywhere():
    admin = make_user("root", "administrator", city_wide=True, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)  # a session that never passed a second factor
    assert client.get("/api/v1/registry/persons?limit=1").status_code == 401
    admin_page = client.get("/admin/")
    assert admin_page.status_code == 302 and admin_page["Location"].startswith("/accounts/otp/")
    assert sign_in(Client(), admin).get("/admin/").status_code == 200


def test_staff_first_sign_in_enrols_an_authenticator():
    make_user("rev", "reviewer", city_wide=True)
    client = Client()
    response = client.post("/accounts/login/", {"username": "rev", "password": PASSWORD})
    assert response["Location"] == "/accounts/otp/setup/"
    page = client.get("/accounts/otp/setup/")
    assert page.status_code == 200 and "otpauth://totp/" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="rev", confirmed=False)
    assert client.post("/accounts/otp/setup/", {"token": _token(device)}).status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/api/v1/registry/persons?limit=1").status_code == 200


def test_authenticator_set_up_page_shows_the_key_as_a_qr_code():
    import html
    import re

    import segno

    make_user("rev", "reviewer", city_wide=True)
    client = Client()
    client.post("/accounts/login/", {"username": "rev", "password": PASSWORD})
    body = client.get("/accounts/otp/setup/").content.decode()
    device = TOTPDevice.objects.get(user__username="rev", confirmed=False)
    figure = re.search(r'<figure class="otp-qr" data-otpauth="([^"]+)">(<svg.*?</svg>)', body, re.S)
    assert figure, "no QR code on the set-up page"
    assert html.unescape(figure.group(1)) == device.config_url
    # the drawn symbol is exactly the QR code of this device's otpauth:// address
    qr = segno.make(device.config_url, error="m")
    assert qr.designator.endswith("-M")
    assert figure.group(2) == qr.svg_inline(scale=4, border=2, title="Set-up QR code")


def test_staff_script_tokens_stay_allowed():
    clerk = make_user("clerk", "counter_clerk", districts=["120101"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=clerk)}")
    assert client.get("/api/v1/registry/persons?limit=1").status_code == 200


def test_idle_staff_session_is_signed_out(settings):
    clerk = make_user("clerk", "counter_clerk", districts=["120101"])
    client = sign_in(Client(), clerk)
    session = client.session
    session["hrss_seen_at"] = time.time() - settings.HRSS_STAFF_IDLE_SECONDS - 5
    session.save()
    assert client.get("/api/v1/registry/persons?limit=1").status_code == 401


def test_sensitive_action_asks_for_the_password_again(zhang):
    make_user("zw", "citizen", person=zhang)
    client = Client()
    client.post("/accounts/login/", {"username": "zw", "password": PASSWORD})
    session = client.session
    session["hrss_auth_at"] = time.time() - 3600
    session.save()
    response = client.get("/accounts/me/employer/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauth/")
    response = client.post("/accounts/reauth/", {"password": PASSWORD, "next": "/accounts/me/employer/"})
    assert response["Location"] == "/accounts/me/employer/"
    assert client.get("/accounts/me/employer/").status_code == 200


def test_other_session_can_be_signed_out_from_my_account(zhang):
    make_user("zw", "citizen", person=zhang)
    phone, laptop = Client(), Client()
    phone.post("/accounts/login/", {"username": "zw", "password": PASSWORD})
    laptop.post("/accounts/login/", {"username": "zw", "password": PASSWORD})
    other = AccountSession.objects.get(session_key=phone.session.session_key)
    assert laptop.post(f"/accounts/me/sessions/{other.pk}/end/").status_code == 302
    assert phone.get("/accounts/me/").status_code == 302  # signed out remotely
    assert laptop.get("/accounts/me/").status_code == 200


def test_pages_are_translated():
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in page and 'for="id_username"' in page
