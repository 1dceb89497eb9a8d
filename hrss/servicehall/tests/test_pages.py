"""Hall and workbench pages: a citizen applies, a clerk accepts, a reviewer approves; modes; channels."""

import functools
import hashlib
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as DjangoClient

from hrss.core import scope as roles
from hrss.servicehall.models import Application, StaffProfile, WechatSubscription
from hrss.servicehall.tests.builders import (
    PNG,
    UNEMPLOYMENT_FORM,
    another_citizen,
    do,
    make_retiree,
    shipped,
    sign_in,
    submit,
    submit_rated,
)
from hrss.testing import make_user

pytestmark = pytest.mark.django_db
# Pages negotiate their language; these tests read them in English.
Client = functools.partial(DjangoClient, HTTP_ACCEPT_LANGUAGE="en")


def test_catalogue_pages_are_public_and_searchable():
    client = Client()
    page = client.get("/hall/")
    assert page.status_code == 200 and "Pension insurance enrolment for flexible workers" in page.content.decode()
    partial = client.get("/hall/?q=失业", HTTP_HX_REQUEST="true").content.decode()
    assert "Unemployment registration" in partial and "<html" not in partial and "card application" not in partial
    chinese = client.get("/hall/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "灵活就业人员参保登记" in chinese and "网上服务大厅" in chinese
    detail = client.get("/hall/items/SH-JY-001/").content.decode()
    assert "就业服务与就业管理规定" in detail and "5 working days" in detail
    assert client.get("/hall/items/NOPE/").status_code == 404


def test_traditional_chinese_catalogue():
    page = Client().get("/hall/items/SH-YL-001/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "靈活就業人員參保登記" in page and "辦事指南" in page


def test_apply_is_prefilled_and_submit_is_idempotent(city):
    client = sign_in(Client(), city.citizen)
    form = client.get("/hall/items/SH-JY-001/apply/").content.decode()
    assert 'value="张伟"' in form and 'value="13800138000"' in form
    data = {"idempotency_key": "page-1", "phone": "13800138000", "unemployed_since": "2026-10-01"}
    first = client.post("/hall/items/SH-JY-001/apply/", data)
    again = client.post("/hall/items/SH-JY-001/apply/", data)
    assert first.status_code == 302 and first["Location"] == again["Location"]
    assert Application.objects.count() == 1
    detail = client.get(first["Location"]).content.decode()
    assert "submitted, waiting to be accepted" in detail and "受理" in detail


def test_apply_shows_field_errors(city):
    client = sign_in(Client(), city.citizen)
    response = client.post(
        "/hall/items/SH-JY-001/apply/", {"idempotency_key": "e1", "phone": "12", "unemployed_since": ""}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()


def test_full_flow_through_the_pages(city, django_capture_on_commit_callbacks):
    citizen = sign_in(Client(), city.citizen)
    # the notices go out once the submission commits (the message centre lists them)
    with django_capture_on_commit_callbacks(execute=True):
        location = citizen.post(
            "/hall/items/SH-KA-001/apply/",
            {"idempotency_key": "flow", "phone": "13800138000", "delivery": "post", "address": "和平区南京路1号"},
        )["Location"]
    reference = location.rstrip("/").split("/")[-1]
    clerk = sign_in(Client(), city.clerk)
    queue = clerk.get("/workbench/").content.decode()
    assert reference in queue
    work = Application.objects.get(reference=reference).work_items.get(state="open")
    page = clerk.get(f"/workbench/work/{work.pk}/").content.decode()
    assert 'id="record-h"' in page
    assert city.person.id_number in page
    clerk.post(
        f"/workbench/work/{work.pk}/decide/",
        {"decision": "supplement", "reasons": "Photo please.", "missing": ["photo"]},
    )
    detail = citizen.get(location).content.decode()
    assert "Photo please." in detail and "More is needed from you" in detail
    citizen.post(
        f"/hall/applications/{reference}/upload/",
        {"kind": "photo", "file": SimpleUploadedFile("p.png", PNG, content_type="image/png")},
    )
    citizen.post(f"/hall/applications/{reference}/supplement/", {"answer": "done"})
    work = Application.objects.get(reference=reference).work_items.get(state="open")
    assert work.step == "accept"
    clerk.post(f"/workbench/work/{work.pk}/decide/", {"decision": "approve"})
    assert Application.objects.get(reference=reference).status == "approved"
    final = citizen.get(location).content.decode()
    assert "It will be made and sent to you by post." in final
    assert Application.objects.get(reference=reference).result["card_id"]
    material = Application.objects.get(reference=reference).materials.get()
    download = citizen.get(f"/hall/materials/{material.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert sign_in(Client(), city.clerk_hexi).get(f"/hall/materials/{material.pk}/").status_code == 404
    messages = citizen.get("/hall/messages/").content.decode()
    assert reference in messages


def test_workbench_is_for_staff_and_scope_holds(city):
    application = submit(city)
    assert sign_in(Client(), city.citizen).get("/workbench/").status_code == 403
    hexi = sign_in(Client(), city.clerk_hexi)
    assert hexi.get(f"/workbench/applications/{application.reference}/").status_code == 404
    work = application.work_items.get()
    assert hexi.get(f"/workbench/work/{work.pk}/").status_code == 404
    assert Client().get("/workbench/").status_code == 302


def test_walk_in_at_another_district(city):
    hexi = sign_in(Client(), city.clerk_hexi)
    found = hexi.get(f"/workbench/walk-in/?id_number={city.person.id_number}").content.decode()
    assert "张伟" in found
    response = hexi.post(
        "/workbench/walk-in/SH-JY-001/",
        {"idempotency_key": "w1", "id_number": city.person.id_number, **UNEMPLOYMENT_FORM},
    )
    assert response.status_code == 302 and "/workbench/work/" in response["Location"]
    application = Application.objects.get()
    assert (application.channel, application.district_id, application.accepted_office) == (
        "counter",
        "120101",
        "120103",
    )


def test_take_next_and_supervisor(city):
    StaffProfile.objects.create(user=city.clerk, on_duty=False)
    submit(city)
    clerk = sign_in(Client(), city.clerk)
    response = clerk.post("/workbench/next/")
    assert "/workbench/work/" in response["Location"]
    assert clerk.get("/workbench/supervisor/").status_code == 403
    supervisor = make_user("boss", roles.COUNTER_CLERK, districts=["120101"])
    StaffProfile.objects.create(user=supervisor, supervisor=True)
    page = sign_in(Client(), supervisor).get("/workbench/supervisor/").content.decode()
    assert "clerk_hp" in page


def test_fast_track_is_shown_to_staff_and_to_the_applicant(city):
    """绿色通道 (A7): a badge in the clerk's queue, on the work and staff pages; a sentence for the applicant."""
    ordinary = submit(city)
    good = another_citizen("citizen_a", "李娜", "13900000001")
    fast = submit_rated(city, "A", form={**UNEMPLOYMENT_FORM, "phone": "13900000001"}, user=good)
    fast_work, ordinary_work = fast.work_items.get(), ordinary.work_items.get()
    assert fast_work.assignee == ordinary_work.assignee == city.clerk
    assert fast_work.due_date == ordinary_work.due_date

    clerk = sign_in(Client(), city.clerk)
    for page in (clerk.get("/workbench/").content.decode(), clerk.get("/my/").content.decode()):
        assert page.count("Fast track (good credit)") == 1
        # Listed first although it came in later; the badge sits next to its reference.
        assert page.index(fast.reference) < page.index("Fast track (good credit)") < page.index(ordinary.reference)
    assert "绿色通道" in clerk.get("/workbench/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="fast-track"' in clerk.get(f"/workbench/work/{fast_work.pk}/").content.decode()
    assert 'id="fast-track"' not in clerk.get(f"/workbench/work/{ordinary_work.pk}/").content.decode()
    assert 'id="fast-track"' in clerk.get(f"/workbench/applications/{fast.reference}/").content.decode()

    applicant = sign_in(Client(), good)
    mine = applicant.get(f"/hall/applications/{fast.reference}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "绿色通道：信用良好，优先办理" in mine
    traditional = applicant.get(f"/hall/applications/{fast.reference}/", HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert "綠色通道：信用良好，優先辦理" in traditional.content.decode()
    other = sign_in(Client(), city.citizen).get(f"/hall/applications/{ordinary.reference}/").content.decode()
    assert 'id="fast-track"' not in other and "Fast track" not in other


def test_the_workbench_queue_costs_the_same_however_much_fast_track_work_it_lists(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit(city)
    clerk = sign_in(Client(), city.clerk)

    def queries() -> int:
        clerk.get("/workbench/")  # warm: the session, code tables and caches a first request fills
        with CaptureQueriesContext(connection) as captured:
            assert clerk.get("/workbench/").status_code == 200
        return len(captured)

    one = queries()
    for n in range(3):
        phone = f"1390000001{n}"
        user = another_citizen(f"citizen_q{n}", f"申请人{n}", phone)
        submit_rated(city, "AB"[n % 2], form={**UNEMPLOYMENT_FORM, "phone": phone}, user=user)
    page = clerk.get("/workbench/").content.decode()
    assert page.count("Fast track (good credit)") == 2
    assert queries() == one


def test_elderly_and_kiosk_modes_in_the_hall():
    """The site-wide mode switch (portal /mode/) reaches the hall; the kiosk page turns both on."""
    client = Client()
    response = client.post("/mode/", {"elderly": "1", "next": "/hall/"})
    assert response.status_code == 302 and response["Location"] == "/hall/"
    assert '<html lang="en" class="elderly">' in client.get("/hall/").content.decode()
    client.post("/mode/", {"elderly": "0"})
    assert 'class="elderly"' not in client.get("/hall/").content.decode()
    kiosk = client.get("/hall/kiosk/")
    assert kiosk.cookies["hrss_kiosk"].value == "1"
    page = client.get("/hall/").content.decode()
    assert "data-kiosk-timeout" in page and 'name="kiosk" value="0"' in page
    client.post("/mode/", {"kiosk": "0"})
    assert "data-kiosk-timeout" not in client.get("/hall/").content.decode()


def test_pwa_manifest_and_service_worker():
    manifest = Client().get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert body["display"] == "standalone" and any(icon["sizes"] == "512x512" for icon in body["icons"])
    assert Client().get("/sw.js")["Content-Type"] == "application/javascript"


# ------------------------------------------------------------- channels


def wechat_signature(token, timestamp, nonce):
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324 - WeChat's protocol


def test_wechat_signature_check_and_status_query(city, settings):
    settings.HRSS_WECHAT_TOKEN = "wechat-token"
    application = submit(city)
    ts, nonce = str(int(time.time())), "n1"
    good = f"signature={wechat_signature('wechat-token', ts, nonce)}&timestamp={ts}&nonce={nonce}"
    assert Client().get(f"/channels/wechat/?{good}&echostr=hello").content == b"hello"
    assert Client().get(f"/channels/wechat/?signature=bad&timestamp={ts}&nonce={nonce}&echostr=x").status_code == 403
    xml = (
        "<xml><ToUserName>gh_bureau</ToUserName><FromUserName>openid-1</FromUserName><CreateTime>1</CreateTime>"
        f"<MsgType>text</MsgType><Content>{application.reference} {city.person.id_number[-4:]}</Content><MsgId>1</MsgId></xml>"
    )
    reply = Client().post(f"/channels/wechat/?{good}", xml, content_type="text/xml").content.decode()
    assert application.reference in reply and "<ToUserName><![CDATA[openid-1]]></ToUserName>" in reply
    assert WechatSubscription.objects.filter(application=application, openid="openid-1").exists()
    wrong = xml.replace(city.person.id_number[-4:], "0000" if city.person.id_number[-4:] != "0000" else "1111")
    assert (
        application.reference
        not in Client()
        .post(f"/channels/wechat/?{good}", wrong, content_type="text/xml")
        .content.decode()
        .split("Content")[1]
    )


def test_sms_reply_code(city, settings):
    import hmac

    settings.HRSS_SMS_CALLBACK_SECRET = "sms-secret"
    application = submit(city)
    ts = str(int(time.time()))

    def post(phone, text, secret="sms-secret"):  # noqa: S107 - a test secret
        signature = hmac.new(secret.encode(), f"{ts}\n{phone}\n{text}".encode(), hashlib.sha256).hexdigest()
        return Client().post("/channels/sms/", {"phone": phone, "text": text, "timestamp": ts, "signature": signature})

    answer = post("13800138000", f"CX {application.reference}")
    assert answer.status_code == 200 and application.reference in answer.json()["reply"]
    assert application.reference not in post("13900000000", f"CX {application.reference}").json()["reply"]
    assert post("13800138000", f"CX {application.reference}", secret="wrong").status_code == 403


def test_admin_refuses_an_invalid_process_upload(city):
    admin_user = make_user("boss_admin", roles.ADMINISTRATOR, city_wide=True, is_staff=True, is_superuser=True)
    client = sign_in(Client(), admin_user)
    bad = shipped("contribution_certificate").replace("bpmn:serviceTask", "bpmn:scriptTask").encode()
    response = client.post(
        "/admin/servicehall/processdefinition/add/",
        {"bpmn_file": SimpleUploadedFile("bad.bpmn", bad, content_type="application/xml")},
    )
    assert response.status_code == 200
    assert "script tasks run arbitrary code" in response.content.decode()
    good = shipped("contribution_certificate").replace("开具证明", "开具参保证明").encode()
    response = client.post(
        "/admin/servicehall/processdefinition/add/",
        {"bpmn_file": SimpleUploadedFile("good.bpmn", good, content_type="application/xml")},
    )
    assert response.status_code == 302
    from hrss.servicehall.models import ProcessDefinition

    assert ProcessDefinition.objects.filter(process_key="contribution_certificate", source="upload").exists()


def test_walk_in_by_card_number_finds_the_person_through_the_card_app(city, tmp_path):
    """The card app registers its lookup in CardConfig.ready(): no test registers anything here."""
    from hrss.card.tests.builders import active_card
    from hrss.servicehall import extension_points

    assert extension_points._card_lookup, "CardConfig.ready() registers the walk-in card lookup"
    card = active_card(tmp_path, city.person)  # applied, produced, issued and activated for real

    hexi = sign_in(Client(), city.clerk_hexi)  # another district: 全城通办 at the counter
    page = hexi.get(f"/workbench/walk-in/?card_number={card.number}").content.decode()
    assert "张伟" in page and city.person.id_number in page
    assert "use the ID number" not in page

    unknown = hexi.get("/workbench/walk-in/?card_number=A12345678").content.decode()
    assert city.person.id_number not in unknown
    assert "No such card" in unknown or "not a valid card number" in unknown


# ------------------------------------------------------------- computed figures (计算结果)


def test_the_reviewer_sees_the_computed_pension_and_the_applicant_does_not(city):
    applicant = make_user("citizen_retiree", roles.CITIZEN, person=make_retiree())
    application = submit(city, "SH-YL-004", {"phone": "13800138000", "payment_to": "card"}, user=applicant)
    application = do(city, application)  # accepted: the preview computes the pension
    review = application.work_items.get(state="open")
    assert review.step == "review"

    reviewer = sign_in(Client(), city.reviewer)
    page = reviewer.get(f"/workbench/work/{review.pk}/").content.decode()
    assert 'id="computed-h"' in page and "Computed by the system" in page
    assert "Pension preview" in page and "Basic pension computed for review" in page
    # The monthly amount as computed, grouped for reading, the stored figure kept exact.
    assert '<dt>Monthly benefit</dt><dd><data value="2014.83">2,014.83 yuan</data></dd>' in page
    assert '<data value="1434.28">1,434.28 yuan</data>' in page  # nested: the parts of the pension
    assert '<time datetime="2025-07">2025-07</time>' in page  # the retirement month
    assert "60 years 2 months" in page and "<dt>Eligible</dt><dd>yes</dd>" in page
    assert "The months divisor for 60y2m is interpolated by month: 137.8." in page  # a list: the notes
    chinese = reviewer.get(f"/workbench/work/{review.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "计算结果" in chinese and "<dt>月基本养老金</dt>" in chinese and "2,014.83 元" in chinese

    # Before the decision the figures are the reviewer's alone.
    citizen = sign_in(Client(), applicant)
    detail = citizen.get(f"/hall/applications/{application.reference}/").content.decode()
    assert application.reference in detail
    assert "2014.83" not in detail and "2,014.83" not in detail and "computed-h" not in detail

    # Granted: the approver's finished step shows the result too, its payment schedule as a table.
    application = do(city, do(city, application))
    assert application.status == "approved"
    approval = application.work_items.get(step="approve")
    page = sign_in(Client(), city.approver).get(f"/workbench/work/{approval.pk}/").content.decode()
    assert 'id="computed-result"' in page and "Basic pension awarded: 2014.83 yuan a month from 2025-08." in page
    assert '<th scope="col">Month</th><th scope="col">Amount</th>' in page
    assert '<td><time datetime="2025-09">2025-09</time></td><td><data value="2014.83">2,014.83 yuan</data></td>' in page
    # And the staff view of the whole application (from search or the supervisor) shows them.
    record = sign_in(Client(), city.reviewer).get(f"/workbench/applications/{application.reference}/")
    assert record.status_code == 200
    assert 'id="computed-result"' in record.content.decode() and "2,014.83 yuan" in record.content.decode()


def test_computed_figures_are_for_staff_and_read_by_shape(city):
    import datetime as dt

    from django.utils import translation

    from hrss.core.errors import PermissionDenied
    from hrss.servicehall import computed_figures, selectors

    application = submit(city)
    with pytest.raises(PermissionDenied):
        selectors.application_previews(scope=city.scope(city.citizen), application=application)
    assert selectors.application_previews(scope=city.scope(city.clerk), application=application) == []

    fields = [{"name": "separation_reason", "text": "Why the job ended", "options": [("dismissed", "Dismissed")]}]
    answer = {
        "what": "assessed",
        "separation_reason": "dismissed",
        "separation_date": "2025-01-05",
        "checked_at": "2026-03-02T10:15:00+00:00",
        "amount_basis": "minimum_wage_ratio",
        "capped": False,
        "months": 12,
        "average_index": "1.0000",
        "end_month": None,
        "reasons": [],
    }
    with translation.override("en"):
        (section,) = computed_figures.figure_sections([("claim_preview", answer)], fields=fields)
    shown = {f.label: (f.kind, f.value) for f in section.figures}
    assert (section.title, section.summary) == ("Claim preview", "assessed")
    assert shown["Why the job ended"] == ("text", "Dismissed")  # the form's choice, labelled
    assert shown["Separation date"] == ("date", dt.date(2025, 1, 5))
    assert shown["Checked at"][0] == "datetime" and shown["Checked at"][1].hour == 18  # Asia/Shanghai
    assert shown["Amount basis"] == ("text", "Minimum wage ratio")
    assert shown["Capped"] == ("text", "no") and shown["Months"] == ("text", "12")
    assert shown["Average index"] == ("text", "1.0000")  # four places: an index, not money
    assert shown["End month"] == ("none", None) and shown["Reasons"] == ("none", None)


def test_walk_in_serves_an_employers_agent_by_credit_code(city):
    hexi = sign_in(Client(), city.clerk_hexi)  # another district: 全城通办 at the counter
    page = hexi.get(f"/workbench/walk-in/?credit_code={city.employer.credit_code}").content.decode()
    assert city.employer.name in page and "/workbench/walk-in/SH-YL-003/?credit_code=" in page
    assert "SH-JY-001" not in page  # citizens' items are not offered to an employer
    from hrss.core.models import AuditEntry

    assert AuditEntry.objects.filter(object_id=str(city.employer.pk), purpose="walk-in").exists()
    bad = hexi.get("/workbench/walk-in/?credit_code=91120000XXXXXXXXXX").content.decode()
    assert city.employer.name not in bad and 'role="alert"' in bad
