"""Real-name sign-up: registry match, SMS code to the registered phone, binding (A6)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hrss.core.models import AuditEntry
from hrss.identity import services
from hrss.identity.models import OneTimeCode, User
from hrss.identity.onetime import code_verify
from hrss.testing import make_id_number, make_person

pytestmark = pytest.mark.django_db

PASSWORD = "Hrss-test-2026"


def test_sign_up_pages_bind_the_account_to_the_person(zhang, last_code):
    client = Client()
    assert client.get("/accounts/signup/").status_code == 200
    response = client.post(
        "/accounts/signup/", {"name": "张伟", "id_number": zhang.id_number, "phone": "138 0013 8000"}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/verify/"
    code = last_code("13800138000")
    response = client.post(
        "/accounts/signup/verify/",
        {"code": code, "username": "zhangwei", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/my/"  # the citizen's home
    user = User.objects.get(username="zhangwei")
    assert user.person == zhang and user.role_codes() == {"citizen"} and user.phone == "13800138000"
    assert user.password.startswith("argon2")
    page = client.get("/accounts/me/").content.decode()
    assert "张伟" in page and zhang.id_number not in page and zhang.id_number[:4] in page
    assert AuditEntry.objects.filter(action="identity.account.bound", object_id=str(zhang.pk)).exists()


def test_wrong_name_and_unknown_number_are_refused_alike(zhang):
    with pytest.raises(services.IdentityMismatch) as wrong_name:
        services.signup_start(name="张玮", id_number=zhang.id_number, phone="13800138000")
    with pytest.raises(services.IdentityMismatch) as unknown:
        services.signup_start(name="张伟", id_number=make_id_number(), phone="13800138000")
    with pytest.raises(services.IdentityMismatch):
        services.signup_start(name="张伟", id_number=zhang.id_number, phone="13900000000")
    assert wrong_name.value.as_dict() == unknown.value.as_dict()
    assert wrong_name.value.code == "identity_mismatch"
    assert not OneTimeCode.objects.exists()


def test_refusal_is_shown_on_the_page(zhang):
    response = Client().post(
        "/accounts/signup/", {"name": "李四", "id_number": zhang.id_number, "phone": "13800138000"}
    )
    assert response.status_code == 422
    assert "do not match" in response.content.decode()


def test_code_is_stored_only_as_a_hash(zhang, last_code):
    challenge = services.signup_start(name="张伟", id_number=zhang.id_number, phone="13800138000")
    code = last_code("13800138000")
    row = OneTimeCode.objects.filter(pk=challenge.pk).values().get()
    assert code not in str(row) and len(row["code_hash"]) == 64


def test_expired_code_is_refused(zhang, last_code):
    challenge = services.signup_start(name="张伟", id_number=zhang.id_number, phone="13800138000")
    OneTimeCode.objects.filter(pk=challenge.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(Exception) as error:
        services.signup_complete(
            challenge_id=challenge.pk, code=last_code("13800138000"), username="zw", password=PASSWORD
        )
    assert error.value.code == "code_expired"
    assert not User.objects.filter(username="zw").exists()


def test_code_cannot_be_used_twice(zhang, last_code):
    challenge = services.signup_start(name="张伟", id_number=zhang.id_number, phone="13800138000")
    code = last_code("13800138000")
    services.signup_complete(challenge_id=challenge.pk, code=code, username="zw", password=PASSWORD)
    with pytest.raises(Exception) as error:
        services.signup_complete(challenge_id=challenge.pk, code=code, username="zw2", password=PASSWORD)
    assert error.value.code == "code_used"


def test_wrong_guesses_are_counted_and_limited(zhang, last_code):
    challenge = services.signup_start(name="张伟", id_number=zhang.id_number, phone="13800138000")
    right = last_code("13800138000")
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    for _ in range(4):
        with pytest.raises(Exception) as error:
            code_verify(challenge_id=challenge.pk, purpose="sign_up", code=wrong)
        assert error.value.code == "code_invalid"
    with pytest.raises(Exception) as error:
        code_verify(challenge_id=challenge.pk, purpose="sign_up", code=wrong)
    assert error.value.code == "code_attempts_exceeded"
    with pytest.raises(Exception) as error:
        code_verify(challenge_id=challenge.pk, purpose="sign_up", code=right)  # even the right one, now
    assert error.value.code == "code_attempts_exceeded"


def test_sending_is_rate_limited_per_phone(zhang):
    services.signup_start(name="张伟", id_number=zhang.id_number, phone="13800138000")
    with pytest.raises(Exception) as error:
        services.signup_start(name="张伟", id_number=zhang.id_number, phone="13800138000")
    assert error.value.code == "rate_limited" and error.value.status == 429


def test_a_person_binds_only_one_account(zhang, last_code):
    first = services.signup_start(name="张伟", id_number=zhang.id_number, phone="13800138000")
    services.signup_complete(challenge_id=first.pk, code=last_code("13800138000"), username="zw", password=PASSWORD)
    OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))  # past the resend wait
    second = services.signup_start(name="张伟", id_number=zhang.id_number, phone="13800138000")
    with pytest.raises(Exception) as error:
        services.signup_complete(
            challenge_id=second.pk, code=last_code("13800138000"), username="zw2", password=PASSWORD
        )
    assert error.value.code == "already_bound"


def test_weak_password_is_refused_before_the_code_is_spent(zhang, last_code):
    challenge = services.signup_start(name="张伟", id_number=zhang.id_number, phone="13800138000")
    with pytest.raises(Exception) as error:
        services.signup_complete(
            challenge_id=challenge.pk, code=last_code("13800138000"), username="zw", password="aaaaaaaaaaaa"
        )
    assert error.value.code == "weak_password"
    assert OneTimeCode.objects.get(pk=challenge.pk).used_at is None


def test_deceased_person_cannot_bind():
    person = make_person(name="王五", phone="13700000000", death_date=dt.date(2020, 1, 1))
    person.status = "deceased"
    person.save()
    with pytest.raises(services.IdentityMismatch):
        services.signup_start(name="王五", id_number=person.id_number, phone="13700000000")


def test_passwords_are_kept_as_argon2_at_production_cost(settings):
    """The suite hashes at test-sized costs (the root conftest); what production runs is
    Django's Argon2 hasher at its own costs, first in the project's settings."""
    from django.contrib.auth.hashers import identify_hasher, make_password

    import hrss.settings as project

    assert project.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    decoded = identify_hasher(encoded := make_password(PASSWORD)).decode(encoded)
    assert (decoded["algorithm"], decoded["memory_cost"], decoded["time_cost"]) == ("argon2", 102400, 2)
