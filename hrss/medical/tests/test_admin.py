"""The back office: reference data edited with its sources; policy figures checked; claims read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from hrss.medical import services
from hrss.medical.admin import PolicyForm
from hrss.medical.models import Claim, Policy
from hrss.medical.tests.builders import BILL, PIN, hospital_scope, insured, lines
from hrss.testing import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db):
    user = make_user("medical-root", "administrator", city_wide=True, is_staff=True, is_superuser=True)
    return sign_in(Client(), user)


def test_every_medical_admin_page_opens(admin_client, tmp_path):
    person, card = insured(tmp_path)
    claim = services.claim_settle(
        scope=hospital_scope(),
        transaction_id="ADM-1",
        card_number=card.number,
        card_pin=PIN,
        visit=services.Visit(pooling="outpatient", lines=lines(*BILL)),
    )
    for name in ("catalogueitem", "institution", "personcategory", "policy", "claim", "filing"):
        response = admin_client.get(f"/admin/medical/{name}/")
        assert response.status_code in (200, 404), name  # filing has no admin page
    page = admin_client.get(f"/admin/medical/claim/{claim.pk}/change/")
    assert page.status_code == 200
    assert person.name not in page.content.decode() and person.id_number not in page.content.decode()
    assert admin_client.post(f"/admin/medical/claim/{claim.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_policy_figures_are_checked_before_they_are_saved():
    policy = Policy.objects.filter(region="120100", category_id="employee", pooling="inpatient", level="3").get()
    data = {
        field: getattr(policy, field)
        for field in PolicyForm.Meta.fields
        if field not in ("category", "bands", "valid_to", "note")
    }
    data.update({"category": "employee", "bands": '[["10000", "0.85"], [null, "0.88"]]', "valid_to": "", "note": ""})
    data["valid_from"] = "2027-01-01"
    assert PolicyForm(data=data).is_valid(), PolicyForm(data=data).errors
    falling = PolicyForm(data={**data, "bands": '[["10000", "0.85"], ["5000", "0.88"]]'})
    assert not falling.is_valid() and "bands" in falling.errors
    recalled_but_verified = PolicyForm(data={**data, "confidence": "R", "verified": True})
    assert not recalled_but_verified.is_valid()
