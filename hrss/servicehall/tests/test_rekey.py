"""``hrss keys rotate`` re-encrypts the sealed form answers (``form_data`` and the workflow's
copy) under the new key, the applicant still reads them once the old key is dropped, and a
second rotation changes nothing."""

from __future__ import annotations

import base64
import functools
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client as DjangoClient
from django.test import override_settings

from hrss.core.rekey import rekeyers
from hrss.servicehall import formdata, selectors
from hrss.servicehall.formdata import SEALED
from hrss.servicehall.models import Application
from hrss.servicehall.rekey import NAME
from hrss.servicehall.tests.builders import ADDRESS, approve_every_step, sign_in, tamper, withdraw
from hrss.servicehall.tests.builders import submit_card_by_post as submit

pytestmark = pytest.mark.django_db
Client = functools.partial(DjangoClient, HTTP_ACCEPT_LANGUAGE="en")
OLD = "rot-old:" + base64.b64encode(b"o" * 32).decode()
NEW = "rot-new:" + base64.b64encode(b"n" * 32).decode()


def sealed_tokens(application) -> tuple[str, list[str]]:
    """The address's ciphertext in ``form_data`` and every one in the workflow's copies of the form."""
    stored = Application.objects.get(pk=application.pk)
    copies: list[str] = []
    formdata.map_workflow_forms(stored.workflow_state, lambda form: copies.append(form["address"][SEALED]))
    return stored.form_data["address"][SEALED], copies


def rotate() -> str:
    out = StringIO()
    call_command("keys", "rotate", stdout=out)
    return out.getvalue()


def test_the_service_hall_registers_its_rekeyer():
    assert NAME in rekeyers()


def test_rotation_reseals_form_answers_under_the_new_key(city):
    base = settings.FIELD_KEYS  # the fixture's people and accounts stay under the test key
    with override_settings(FIELD_KEYS=f"{OLD},{base}"):
        application = submit(city)
        before, copies = sealed_tokens(application)
        assert before.startswith("rot-old$") and copies and set(copies) == {before}

    with override_settings(FIELD_KEYS=f"{NEW},{OLD},{base}"):
        assert f"{NAME}: 1 rows re-encrypted under rot-new" in rotate()
        after, copies = sealed_tokens(application)
        assert after.startswith("rot-new$") and set(copies) == {after}
        stored = Application.objects.get(pk=application.pk)
        assert f"{NAME}: 0 rows re-encrypted under rot-new" in rotate()
        again = Application.objects.get(pk=application.pk)
        assert (again.form_data, again.workflow_state) == (stored.form_data, stored.workflow_state)

    with override_settings(FIELD_KEYS=f"{NEW},{base}"):  # the old key can now be dropped
        application = Application.objects.get(pk=application.pk)
        form = selectors.application_form(scope=city.scope(city.citizen), application=application)
        assert form["address"] == ADDRESS
        page = sign_in(Client(), city.citizen).get(f"/hall/applications/{application.reference}/")
        assert page.status_code == 200 and ADDRESS in page.content.decode()
        # The card handler unseals the workflow's copy: a postal delivery needs the address.
        application = approve_every_step(city, application)
        assert application.status == "approved", application.decision_reasons
        assert application.result["delivery"] == "post"


def test_an_answer_that_does_not_decrypt_is_left_and_the_others_move(city):
    base = settings.FIELD_KEYS
    with override_settings(FIELD_KEYS=f"{OLD},{base}"):
        broken, good = withdraw(city, submit(city)), submit(city)  # one open card application at a time
    tamper(broken)  # in form_data and in the workflow's copy
    flipped, copies = sealed_tokens(broken)

    with override_settings(FIELD_KEYS=f"{NEW},{OLD},{base}"):
        assert f"{NAME}: 1 rows re-encrypted under rot-new" in rotate()
        assert sealed_tokens(good)[0].startswith("rot-new$")
        # Left as it was (and logged): it is refused with a 409 on read either way.
        assert sealed_tokens(broken) == (flipped, copies)
