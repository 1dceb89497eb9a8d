"""Card pages: the holder's card with the electronic card's QR code, the catalogue, staff coverage and preferences."""

import pytest
from django.test import Client

from hrss.card import services
from hrss.card.models import Card
from hrss.card.tests.builders import ACCOUNT, OFFICE, active_card, produce
from hrss.testing import make_person, make_user

pytestmark = pytest.mark.django_db


def signed_in(user):
    """A signed-in client; staff also pass the second factor (as after /accounts/otp/)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # pages are asserted in English
    client.force_login(user)
    if getattr(user, "requires_second_factor", False):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def test_the_holder_applies_activates_and_shows_a_qr_code(tmp_path):
    person = make_person(name="赵六")
    me = signed_in(make_user("zhaoliu", "citizen", person=person))
    page = me.get("/card/")
    assert page.status_code == 200 and "Apply for your card" in page.content.decode()
    assert me.post("/card/apply/", {"kind": "first", "channel": "web"}).status_code == 302
    assert "Your application was received" in me.get("/card/").content.decode()
    produce(tmp_path)
    card = Card.objects.get(person=person)
    services.card_issue(scope=OFFICE, number=card.number)
    assert "Activate your card" in me.get("/card/").content.decode()
    me.post("/card/activate/", {"bank_code": "ICBC", "bank_account": ACCOUNT, "pin": "000000"})
    assert "may not repeat one digit" in me.get("/card/").content.decode()
    me.post("/card/activate/", {"bank_code": "ICBC", "bank_account": ACCOUNT, "pin": "258014"})
    body = me.get("/card/").content.decode()
    assert "Your card is active." in body and card.number in body and ACCOUNT not in body
    me.post("/card/ecard/")
    assert 'hx-get="/card/ecard/code/"' in me.get("/card/").content.decode()
    code = me.get("/card/ecard/code/", HTTP_HX_REQUEST="true")
    html = code.content.decode()
    assert code.status_code == 200 and "<svg" in html and 'hx-trigger="every ' in html
    me.post("/card/loss/")
    body = me.get("/card/").content.decode()
    assert "temporarily reported lost" in body and "unblock my card" in body
    assert me.get("/card/ecard/code/").status_code == 409  # no code while the card is blocked


def test_a_signed_out_visitor_is_sent_to_sign_in():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/card/")
    assert response.status_code == 302 and "next=/card/" in response["Location"]


def test_the_catalogue_page_is_public_and_says_the_list_is_unverified():
    body = Client(HTTP_ACCEPT_LANGUAGE="en").get("/card/catalogue/?domain=social_insurance").content.decode()
    assert "养老金领取" in body and "就医身份识别" not in body
    assert "has not yet been checked" in body


def test_coverage_page_draws_a_chart_for_the_staff_districts(tmp_path):
    active_card(tmp_path, make_person(district="120101"))
    make_person(district="120101")
    make_person(district="120103")
    clerk = make_user("cov_clerk", "counter_clerk", districts=["120101"])
    clerk_client = signed_in(clerk)
    response = clerk_client.get("/card/coverage/")
    body = response.content.decode()
    assert response.status_code == 200 and '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in body
    assert "和平区" in body and "河西区" not in body  # only the clerk's districts
    assert "50%" in body  # one of two residents holds a card
    assert 'stroke="#a40000"' in body  # the goal line


def test_preferences_page_shows_counts_not_people(tmp_path):
    card = active_card(tmp_path, make_person(district="120101", name="钱七"))
    scope = OFFICE
    services.card_use_record(scope=scope, card=card, kind="transport", channel="contactless", district="120101")
    analyst = signed_in(make_user("pref_analyst", "analyst", city_wide=True))
    body = analyst.get("/card/preferences/").content.decode()
    assert "transport" in body and "和平区" in body and "<svg" in body
    assert "钱七" not in body and card.number not in body


def test_staff_pages_refuse_citizens():
    citizen = signed_in(make_user("cit_cov", "citizen", person=make_person()))
    assert citizen.get("/card/coverage/").status_code == 403
    assert citizen.get("/card/preferences/").status_code == 403


def test_admin_shows_cards_read_only_with_the_bank_account_masked(tmp_path):
    card = active_card(tmp_path)
    admin = signed_in(make_user("card_admin", "administrator", city_wide=True, is_staff=True, is_superuser=True))
    body = admin.get(f"/admin/card/card/{card.pk}/change/").content.decode()
    assert card.number in body and ACCOUNT not in body and "****" + ACCOUNT[-4:] in body
    assert admin.get("/admin/card/cardapplication/").status_code == 200


def test_pages_speak_chinese_by_default(tmp_path):
    card = active_card(tmp_path)
    client = Client()
    client.force_login(make_user("zh_holder", "citizen", person=card.person))
    body = client.get("/card/").content.decode()
    assert "我的社保卡" in body and "正常" in body and "立即冻结（临时挂失）" in body
    assert "社会保障卡能做什么" in Client().get("/card/catalogue/").content.decode()
    assert "社會保障卡能做什麼" in Client(HTTP_ACCEPT_LANGUAGE="zh-hant").get("/card/catalogue/").content.decode()


# --- messages for people: sentences, labels and amounts, never codes ---------------------------


def test_a_get_of_an_action_address_goes_to_the_card_page():
    me = signed_in(make_user("qianqi", "citizen", person=make_person(name="钱七")))
    for action in ("ecard", "apply", "activate", "loss", "unfreeze"):
        answer = me.get(f"/card/{action}/")
        assert answer.status_code == 302 and answer["Location"] == "/card/", action
    assert Client().get("/card/ecard/").status_code == 302  # to sign-in


def test_activation_errors_are_sentences_next_to_their_fields(tmp_path):
    person = make_person(name="孙八")
    me = signed_in(make_user("sunba", "citizen", person=person))
    card = services.card_apply(person=person, channel="counter", scope=OFFICE)
    produce(tmp_path)
    card.refresh_from_db()
    services.card_issue(scope=OFFICE, number=card.number)
    me.post("/card/activate/", {"bank_code": "", "bank_account": ACCOUNT, "pin": "000000"})
    page = me.get("/card/").content.decode()
    assert 'id="e-pin"' in page and "may not repeat one digit" in page
    assert 'id="e-bank_code"' in page
    assert "pin: " not in page and "bank_code: " not in page
    # Shown once: a reload no longer carries them.
    assert 'id="e-pin"' not in me.get("/card/").content.decode()


def test_history_reasons_and_amounts_read_as_words_and_money(tmp_path):
    from decimal import Decimal

    from hrss.card.models import PaymentOrder

    person = make_person(name="周九")
    me = signed_in(make_user("zhoujiu", "citizen", person=person))
    card = active_card(tmp_path, person)
    page = me.get("/card/").content.decode()
    assert "Applied for" in page and "Activated" in page and "(active)" not in page
    assert "apply →" not in page and "→ active" not in page
    assert "The card has expired" in page and ">expiry<" not in page
    order = PaymentOrder.objects.create(
        reference="PAYTEST0001",
        person=person,
        card=card,
        purpose=PaymentOrder.Purpose.choices[0][0],
        description="补卡工本费",
        amount=Decimal("8540"),
        method=PaymentOrder.Method.choices[0][0],
        gateway="recording",
        created_by="test",
    )
    text = me.get("/card/").content.decode()
    assert "8,540.00 yuan" in text and "8540<" not in text and order.reference in text
