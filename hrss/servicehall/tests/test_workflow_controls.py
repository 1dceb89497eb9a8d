"""Workflow controls as people meet them: separation of duties on the workbench (职责分离), what
is known at submission refused at the form, and sentences (not codes) next to the fields."""

import functools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as DjangoClient

from hrss.servicehall import services
from hrss.servicehall.models import Application
from hrss.servicehall.tests.builders import (
    ARBITRATION_FORM,
    PNG,
    UNEMPLOYMENT_FORM,
    bearer,
    do,
    key,
    sign_in,
    submit,
)

pytestmark = pytest.mark.django_db
English = functools.partial(DjangoClient, HTTP_ACCEPT_LANGUAGE="en")
Chinese = functools.partial(DjangoClient, HTTP_ACCEPT_LANGUAGE="zh-hans")


def _at_second_review(city):
    application = submit(city, "SH-ZC-001", {**ARBITRATION_FORM, "amount": "250000"})
    application = do(city, do(city, application))
    return application, application.work_items.get(state="open")


# ------------------------------------------------------------- separation of duties on the workbench


def test_the_work_page_says_why_the_next_tier_is_someone_elses(city):
    _application, work = _at_second_review(city)
    reviewer = sign_in(English(), city.reviewer)
    page = reviewer.get(f"/workbench/work/{work.pk}/").content.decode()
    assert "so a colleague must do the" in page
    assert f"/workbench/work/{work.pk}/decide/" not in page  # no decision form

    # A decision sent anyway is refused, and the sentence is shown on the page.
    answer = reviewer.post(f"/workbench/work/{work.pk}/decide/", {"decision": "approve"})
    assert answer.status_code == 302
    page = reviewer.get(answer["Location"]).content.decode()
    assert 'class="error-summary"' in page and "one person may act on only one review tier" in page
    work.refresh_from_db()
    assert work.state == "open"


def test_the_refusal_is_in_chinese_for_a_chinese_reader(city):
    _application, work = _at_second_review(city)
    page = sign_in(Chinese(), city.reviewer).get(f"/workbench/work/{work.pk}/").content.decode()
    assert "职责分离" in page or "同一申请" in page
    assert "separation_of_duties" not in page


def test_a_decision_error_is_a_sentence_next_to_its_field(city):
    application = submit(city)
    work = application.work_items.get(state="open")
    clerk = sign_in(English(), city.clerk)
    answer = clerk.post(f"/workbench/work/{work.pk}/decide/", {"decision": "reject", "reasons": ""})
    page = clerk.get(answer["Location"]).content.decode()
    assert 'id="e-reasons"' in page and "Give the reasons" in page
    assert "required" not in re.sub(r"<[^>]+>", " ", page).split("Reasons (required")[0].split("Outcome")[-1]


# ------------------------------------------------------------- refused at submission, shown at the form


def test_a_duplicate_application_is_refused_at_the_form_with_the_reason(city):
    first = submit(city)
    citizen = sign_in(English(), city.citizen)
    form = citizen.get("/hall/items/SH-JY-001/apply/")
    text = form.content.decode()
    assert form.status_code == 200
    assert "You already have an application for Unemployment registration in progress" in text
    assert first.reference in text and 'name="idempotency_key"' not in text  # no form to fill in for nothing

    sent = citizen.post(
        "/hall/items/SH-JY-001/apply/",
        {"idempotency_key": "again", **UNEMPLOYMENT_FORM, "unemployed_since": "2026-09-01"},
    )
    assert sent.status_code == 409 and first.reference in sent.content.decode()
    assert Application.objects.count() == 1


def test_a_card_holder_is_told_at_the_form_in_chinese(city, tmp_path):
    from hrss.card.tests.builders import active_card

    active_card(tmp_path, city.person)
    citizen = sign_in(Chinese(), city.citizen)
    page = citizen.get("/hall/items/SH-KA-001/apply/").content.decode()
    assert "您已持有社保卡" in page
    sent = citizen.post(
        "/hall/items/SH-KA-001/apply/",
        {"idempotency_key": "card", "phone": "13800138000", "delivery": "outlet"},
    )
    assert sent.status_code == 409 and "您已持有社保卡" in sent.content.decode()
    assert "card_already_held" not in sent.content.decode()
    assert not Application.objects.exists()


def test_the_api_refuses_a_duplicate_with_a_stable_code(city):
    api = bearer(city.citizen)
    body = {"item_code": "SH-JY-001", "form": UNEMPLOYMENT_FORM}
    assert (
        api.post(
            "/api/v1/servicehall/applications", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key()
        ).status_code
        == 201
    )
    again = api.post(
        "/api/v1/servicehall/applications", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key()
    )
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_open_application"


def test_the_walk_in_form_says_the_applicant_has_one_open(city):
    submit(city)
    clerk = sign_in(English(), city.clerk)
    page = clerk.get(f"/workbench/walk-in/SH-JY-001/?id_number={city.person.id_number}").content.decode()
    assert "This applicant already has an application for Unemployment registration in progress" in page
    assert 'name="idempotency_key"' not in page


# ------------------------------------------------------------- what the applicant reads


def test_materials_show_their_kind_and_no_hash_to_the_applicant(city):
    application = submit(city)
    services.material_upload(
        scope=city.scope(city.citizen),
        application=application,
        kind="id_card",
        upload=SimpleUploadedFile("id.png", PNG, content_type="image/png"),
    )
    page = sign_in(Chinese(), city.citizen).get(f"/hall/applications/{application.reference}/").content.decode()
    material = application.materials.get()
    assert "居民身份证" in page and ">id_card<" not in page
    assert material.sha256[:16] not in page and "SHA-256" not in page
    staff = sign_in(Chinese(), city.clerk).get(f"/workbench/applications/{application.reference}/").content.decode()
    assert material.sha256 in staff  # staff may check the content's fingerprint, in a disclosure


def test_the_timeline_says_the_decision_in_words(city):
    application = do(city, submit(city))
    page = sign_in(English(), city.citizen).get(f"/hall/applications/{application.reference}/").content.decode()
    assert "Step done: " in page and "(approve)" not in page and "(approved)" in page
    staff = sign_in(English(), city.clerk).get(f"/workbench/applications/{application.reference}/").content.decode()
    assert "<td>approve</td>" not in staff and "<td>approved</td>" in staff


def test_form_errors_are_in_the_readers_language(city):
    page = sign_in(Chinese(), city.citizen).post(
        "/hall/items/SH-JY-001/apply/", {"idempotency_key": "e1", "phone": "12", "unemployed_since": ""}
    )
    text = page.content.decode()
    assert page.status_code == 422
    assert "Enter an 11-digit mobile number." not in text and "This field is required." not in text


def test_the_favicon_is_served_at_its_address():
    answer = DjangoClient().get("/favicon.ico")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/x-icon"
    assert b"".join(answer.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_computed_figures_drop_a_stored_scale():
    from decimal import Decimal

    from hrss.servicehall.computed_figures import figure_sections

    sections = figure_sections(
        [
            (
                "insurance.pension_award_preview",
                {"divisor": "117.000000", "index": Decimal("1.050000"), "kept": "1.0000"},
            )
        ],
        fields=[],
    )
    shown = {figure.label: figure.value for section in sections for figure in section.figures}
    assert "117" in shown.values() and "1.05" in shown.values() and "1.0000" in shown.values()
    assert not any("000000" in str(value) for value in shown.values())
