import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_home_page_lists_districts():
    response = Client().get("/")
    assert response.status_code == 200
    assert "和平区" in response.content.decode()


def test_identifier_check_full_page_and_partial():
    page = Client().get("/check/?value=11010519491231002x")
    assert page.status_code == 200 and "11010519491231002X" in page.content.decode()
    partial = Client().get("/check/?value=110105194912310021", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200 and "invalid_id_number" in html and "<html" not in html


def test_admin_login_page():
    # The back office uses the one hrss sign-in (identity:login).
    response = Client().get("/admin/login/", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_unknown_page_is_a_friendly_404():
    with override_settings(DEBUG=False):
        response = Client().get("/no-such-page/")
    assert response.status_code == 404 and "not_found" in response.content.decode()


def test_unknown_api_path_is_json_404():
    with override_settings(DEBUG=False):
        response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_health():
    assert Client().get("/healthz").json() == {"status": "ok"}


def test_home_page_links_every_service():
    html = Client().get("/").content.decode()
    for href in ("/hall/", "/insurance/", "/insurance/estimate/", "/card/", "/accounts/login/", "/accounts/signup/"):
        assert f'href="{href}"' in html
    for href in ("/hall/", "/insurance/estimate/", "/accounts/login/", "/accounts/signup/"):
        assert Client().get(href).status_code == 200


def test_demo_accounts_are_refused_with_production_settings(settings):
    from django.core.management import CommandError, call_command

    settings.HRSS_PRODUCTION = True
    with pytest.raises(CommandError, match="production settings"):
        call_command("demo")
