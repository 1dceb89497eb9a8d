"""The pension award's bank account is encrypted in the service hall's tables, and the award
handler still pays to it: the database never holds the number, the result shows it masked."""

from __future__ import annotations

import pytest
from django.db import connection

from hrss.insurance.models import BenefitAward
from hrss.insurance.tests.builders import PENSION_FORM, citizen_user, step, submit
from hrss.servicehall import formdata

pytestmark = pytest.mark.django_db
ACCOUNT = "6222 0212 3456 7890"


def raw_columns(reference: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT form_data, workflow_state, result FROM servicehall_application WHERE reference = %s", [reference]
        )
        return " ".join(str(column) for column in cursor.fetchone())


def holds_account(raw: str) -> bool:
    return ACCOUNT in raw or ACCOUNT.replace(" ", "") in raw or ACCOUNT[5:14] in raw


def test_the_bank_account_is_stored_encrypted_and_the_award_still_pays_to_it(retiree, staff):
    application = submit(
        citizen_user(retiree), "SH-YL-004", {**PENSION_FORM, "payment_to": "bank", "bank_account": ACCOUNT}
    )
    assert formdata.is_sealed(application.form_data["bank_account"])
    assert not holds_account(raw_columns(application.reference))

    application = step(staff, step(staff, step(staff, application)))  # accept, review, approve
    assert application.status == "approved"
    assert BenefitAward.objects.filter(person=retiree, kind="pension").exists()
    assert (application.result["payment_to"], application.result["bank_account"]) == ("bank", "************7890")
    assert not holds_account(raw_columns(application.reference))
    assert formdata.unseal(application.pk, application.form_data)["bank_account"] == ACCOUNT
