"""Sensitive form answers are encrypted at rest: the database holds a ciphertext, the applicant
and the service-task handler read the clear value, staff see it masked, a tampered ciphertext
is refused with a 409, and migration 0006 encrypts answers stored before it."""

from __future__ import annotations

import functools
import importlib
import json

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as DjangoClient

from hrss.servicehall import formdata, selectors
from hrss.servicehall.formdata import FormDataUnreadable
from hrss.servicehall.models import Application, ServiceItem
from hrss.servicehall.tests.builders import (
    ADDRESS,
    BY_POST,
    approve_every_step,
    bearer,
    sign_in,
    tamper,
    withdraw,
)
from hrss.servicehall.tests.builders import submit_card_by_post as submit

pytestmark = pytest.mark.django_db
Client = functools.partial(DjangoClient, HTTP_ACCEPT_LANGUAGE="en")
migration = importlib.import_module("hrss.servicehall.migrations.0006_sensitive_form_fields")

MASKED = "天津市和平区" + "*" * 7  # the first six characters of the address


def raw_columns(application) -> str:
    """``form_data`` and ``workflow_state`` as the database holds them (no field decoding)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT form_data, workflow_state FROM servicehall_application WHERE reference = %s",
            [application.reference],
        )
        form, state = cursor.fetchone()
    return (form if isinstance(form, str) else json.dumps(form)) + (state or "")


def holds(raw: str, value: str) -> bool:
    """Whether the raw text holds the value, as written or JSON-escaped (SQLite keeps ``\\uXXXX``)."""
    return value in raw or json.dumps(value)[1:-1] in raw


def test_the_catalogue_marks_the_bank_account_and_the_address_sensitive():
    flagged = {(item.code, name) for item in ServiceItem.objects.all() for name in formdata.sensitive_names(item.form)}
    assert flagged == {("SH-KA-001", "address"), ("SH-YL-004", "bank_account"), ("SH-SY-001", "bank_account")}


def test_the_address_is_stored_encrypted_and_the_handler_reads_it(city):
    application = submit(city)
    stored = raw_columns(application)
    assert not holds(stored, ADDRESS) and not holds(stored, "南京路")
    assert holds(stored, "13800138000")  # the check itself sees a clear answer
    assert formdata.is_sealed(application.form_data["address"])
    assert application.form_data["delivery"] == "post"  # other answers stay readable
    assert selectors.application_form(scope=city.scope(city.citizen), application=application)["address"] == ADDRESS

    # The card handler refuses a postal delivery without an address: it got the clear one.
    application = approve_every_step(city, application)
    assert application.status == "approved", application.decision_reasons
    assert application.result["delivery"] == "post"
    assert not holds(raw_columns(application), ADDRESS)


def test_the_applicant_sees_the_clear_value_and_staff_a_masked_one(city):
    application = submit(city)
    mine = sign_in(Client(), city.citizen).get(f"/hall/applications/{application.reference}/").content.decode()
    assert ADDRESS in mine
    clerk = sign_in(Client(), city.clerk)
    page = clerk.get(f"/workbench/applications/{application.reference}/")
    assert page.status_code == 200
    assert ADDRESS not in page.content.decode() and MASKED in page.content.decode()
    work = application.work_items.get(state="open")
    assert ADDRESS not in clerk.get(f"/workbench/work/{work.pk}/").content.decode()

    url = f"/api/v1/servicehall/applications/{application.reference}"
    assert bearer(city.citizen).get(url).json()["form"]["address"] == ADDRESS
    assert bearer(city.clerk).get(url).json()["form"]["address"] == MASKED


def test_a_bank_account_is_masked_to_its_last_four_digits():
    form = [{"name": "bank_account", "sensitive": True}]
    sealed = formdata.seal(form, "app-1", {"bank_account": "6222 0212 3456 7890", "payment_to": "bank"})
    assert formdata.unseal("app-1", sealed)["bank_account"] == "6222 0212 3456 7890"
    assert formdata.masked(form, "app-1", sealed) == {"bank_account": "************7890", "payment_to": "bank"}


def test_a_ciphertext_moved_to_another_application_does_not_decrypt(city):
    first = withdraw(city, submit(city))  # one open card application at a time
    second = submit(city, {**BY_POST, "address": "天津市河西区友谊路1号"})
    data = dict(second.form_data, address=first.form_data["address"])
    with pytest.raises(FormDataUnreadable):
        formdata.unseal(second.pk, data)


def test_a_tampered_ciphertext_is_refused_cleanly(city):
    application = submit(city)
    tamper(application)
    application.refresh_from_db()
    with pytest.raises(FormDataUnreadable):
        selectors.application_form(scope=city.scope(city.citizen), application=application)

    page = sign_in(Client(), city.citizen).get(f"/hall/applications/{application.reference}/")
    assert page.status_code == 409
    staff_page = sign_in(Client(), city.clerk).get(f"/workbench/applications/{application.reference}/")
    assert staff_page.status_code == 409
    answer = bearer(city.citizen).get(f"/api/v1/servicehall/applications/{application.reference}")
    assert answer.status_code == 409 and answer.json()["code"] == "form_data_unreadable"

    # The handler that needs the address refuses the step; nothing of it is kept.
    with pytest.raises(FormDataUnreadable):
        approve_every_step(city, application)
    application.refresh_from_db()
    assert application.is_open and application.work_items.filter(state="open").exists()


def test_one_unreadable_application_does_not_fail_the_list(city):
    readable = withdraw(city, submit(city))  # one open card application at a time
    broken = submit(city)
    tamper(broken)
    answer = bearer(city.citizen).get("/api/v1/servicehall/applications")
    assert answer.status_code == 200
    entries = {entry["reference"]: entry for entry in answer.json()}
    assert entries[readable.reference]["form"]["address"] == ADDRESS
    assert entries[readable.reference]["form_readable"] is True
    assert entries[broken.reference]["form_readable"] is False
    assert "address" not in entries[broken.reference]["form"]
    assert entries[broken.reference]["form"]["delivery"] == "post"  # the rest of the form stays
    single = bearer(city.citizen).get(f"/api/v1/servicehall/applications/{broken.reference}")
    assert single.status_code == 409


def _legacy(application) -> None:
    """Put the application back as it was stored before 0006: answers and workflow copy in the clear."""
    Application.objects.filter(pk=application.pk).update(
        form_data=formdata.unseal(application.pk, application.form_data),
        workflow_state=formdata.map_workflow_forms(
            application.workflow_state, lambda form: formdata.unseal(application.pk, form)
        ),
    )


def test_migration_flags_the_fields_and_encrypts_legacy_clear_values(city):
    application = submit(city)
    _legacy(application)
    item = ServiceItem.objects.get(code="SH-KA-001")
    item.form = [{k: v for k, v in f.items() if k not in ("sensitive", "mask")} for f in item.form]
    item.save()
    assert holds(raw_columns(application), ADDRESS)

    migration.flag(apps, None)
    migration.encrypt_existing(apps, None)

    item.refresh_from_db()
    assert formdata.sensitive_names(item.form) == {"address"}
    assert not holds(raw_columns(application), ADDRESS)
    application.refresh_from_db()
    assert formdata.unseal(application.pk, application.form_data)["address"] == ADDRESS
    sealed_once = application.form_data["address"]
    migration.encrypt_existing(apps, None)  # a second run changes nothing
    application.refresh_from_db()
    assert application.form_data["address"] == sealed_once
    assert approve_every_step(city, application).status == "approved"
