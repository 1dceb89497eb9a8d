"""The bureau's support for people through the API (201, 409, 422, 403) and the pages in
zh-hans: special groups and follow-ups, guidance booking, start-ups."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hrss.core import scope as roles
from hrss.employment.support_models import GuidanceBooking, SpecialGroupMembership, StartupRegistration
from hrss.employment.tests import builders
from hrss.identity.auth import token_create
from hrss.testing import make_person, make_user, sign_in

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def bearer(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


def test_the_api_identifies_follows_up_and_refuses_bad_input_and_citizens():
    clerk = make_user("api_support_clerk", roles.COUNTER_CLERK, districts=["120101"])
    staff = bearer(clerk)
    person = make_person(name="残疾求职者")
    body = {"id_number": person.id_number, "category": "disabled", "evidence": "残疾人证 第1号"}
    created = staff.post("/api/v1/employment/special-group-members", body, content_type="application/json")
    assert created.status_code == 201, created.content
    member = created.json()
    assert member["person"]["id_number"].startswith("1201") and "*" in member["person"]["id_number"]
    assert (
        staff.post("/api/v1/employment/special-group-members", body, content_type="application/json").json()["id"]
        == member["id"]
    )
    missing = staff.post(
        "/api/v1/employment/special-group-members",
        {**body, "id_number": make_person(name="无证明者").id_number, "evidence": ""},
        content_type="application/json",
    )
    assert missing.status_code == 422 and "evidence" in missing.json()["fields"]
    bad = staff.post(
        "/api/v1/employment/special-group-members",
        {**body, "id_number": "12010119900307321X"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert staff.get("/api/v1/employment/special-group-members?due=true").json()[0]["id"] == member["id"]
    assert staff.get("/api/v1/employment/special-group-members?limit=0").status_code == 422
    today = timezone.localdate()
    url = f"/api/v1/employment/special-group-members/{member['id']}"
    recorded = staff.post(
        f"{url}/follow-ups",
        {
            "on": today.isoformat(),
            "way": "visit",
            "notes": "上门走访",
            "next_due": (today + dt.timedelta(days=30)).isoformat(),
        },
        content_type="application/json",
    )
    assert recorded.status_code == 201, recorded.content
    assert (
        staff.post(f"{url}/follow-ups", {"on": "soon", "way": "visit"}, content_type="application/json").status_code
        == 422
    )
    assert (
        staff.post(
            f"{url}/measures",
            {"kind": "career_guidance", "given_on": today.isoformat()},
            content_type="application/json",
        ).status_code
        == 201
    )
    detail = staff.get(url).json()
    assert len(detail["follow_ups"]) == 1 and detail["measures"][0]["kind"] == "career_guidance"
    assert staff.post("/api/v1/employment/special-group-review").status_code == 403  # reviewers only
    citizen = bearer(builders.seeker())
    assert citizen.get("/api/v1/employment/special-group-members").status_code == 403
    assert citizen.get(url).status_code == 403
    far = bearer(make_user("api_far_clerk", roles.COUNTER_CLERK, districts=["120103"]))
    assert far.get(url).status_code == 404
    ended = staff.post(f"{url}/end", {"reason": "employed"}, content_type="application/json")
    assert ended.json()["status"] == "ended"
    assert citizen.get("/api/v1/employment/special-groups").status_code == 200


def test_the_api_books_a_slot_once_and_registers_a_start_up():
    counsellor = bearer(make_user("api_counsellor", roles.COUNTER_CLERK, districts=["120101"]))
    starts = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    slot = counsellor.post(
        "/api/v1/employment/guidance/slots",
        {"starts_at": starts.isoformat(), "place": "三楼职业指导室", "district": "120101"},
        content_type="application/json",
    )
    assert slot.status_code == 201, slot.content
    user = builders.seeker()
    citizen = bearer(user)
    assert [s["id"] for s in citizen.get("/api/v1/employment/guidance/slots").json()] == [slot.json()["id"]]
    booked = citizen.post(
        f"/api/v1/employment/guidance/slots/{slot.json()['id']}/booking",
        {"topic": "转行"},
        content_type="application/json",
    )
    assert booked.status_code == 201, booked.content
    other = bearer(builders.seeker())
    taken = other.post(
        f"/api/v1/employment/guidance/slots/{slot.json()['id']}/booking", {}, content_type="application/json"
    )
    assert taken.status_code == 409 and taken.json()["code"] == "slot_taken"
    mine = counsellor.get("/api/v1/employment/guidance/slots/mine").json()
    assert mine[0]["bookings"][0]["id"] == booked.json()["id"]
    outcome = counsellor.post(
        f"/api/v1/employment/guidance/bookings/{booked.json()['id']}/outcome",
        {"attended": True, "outcome": "推荐技能培训"},
        content_type="application/json",
    )
    assert outcome.json()["status"] == "attended"
    assert (
        counsellor.post(
            "/api/v1/employment/guidance/slots",
            {"starts_at": "yesterday", "place": "x", "district": "120101"},
            content_type="application/json",
        ).status_code
        == 422
    )
    assert (
        citizen.post(
            "/api/v1/employment/guidance/slots",
            {"starts_at": starts.isoformat(), "place": "x", "district": "120101"},
            content_type="application/json",
        ).status_code
        == 403
    )

    startup = {
        "business_name": "小王花店",
        "started_on": "2026-09-01",
        "industry": "F",
        "district": "120101",
        "employees": 2,
    }
    registered = citizen.post("/api/v1/employment/startups", startup, content_type="application/json")
    assert registered.status_code == 201, registered.content
    bad_code = citizen.post(
        "/api/v1/employment/startups", {**startup, "credit_code": "91120101MA05K1230X"}, content_type="application/json"
    )
    assert bad_code.status_code == 422 and "credit_code" in bad_code.json()["fields"]
    assert [s["business_name"] for s in citizen.get("/api/v1/employment/me/startups").json()] == ["小王花店"]
    assert citizen.get("/api/v1/employment/startups").status_code == 403
    listed = counsellor.get("/api/v1/employment/startups").json()
    assert listed[0]["person"]["name"] == user.person.name
    guidance = counsellor.post(
        f"/api/v1/employment/startups/{listed[0]['id']}/guidance",
        {"on": timezone.localdate().isoformat(), "adviser": "王建国", "topics": ["财务"]},
        content_type="application/json",
    )
    assert guidance.status_code == 201


def test_the_pages_in_chinese_identify_follow_up_book_and_register():
    clerk = make_user("page_support_clerk", roles.COUNTER_CLERK, districts=["120101"])
    staff = sign_in(Client(), clerk)
    person = make_person(name="低保家庭成员甲")
    page = staff.get("/employment/support/groups/", **ZH).content.decode()
    assert "零就业家庭成员" in page and "就业促进法" in page
    refused = staff.post(
        "/employment/support/groups/", {"id_number": person.id_number, "category": "subsistence_allowance"}, **ZH
    )
    assert refused.status_code == 422
    done = staff.post(
        "/employment/support/groups/",
        {"id_number": person.id_number, "category": "subsistence_allowance", "evidence": "低保证 第8号"},
        **ZH,
    )
    assert done.status_code == 302
    member = SpecialGroupMembership.objects.get()
    page = staff.get(f"/employment/support/groups/{member.pk}/", **ZH).content.decode()
    assert "低保家庭成员甲" in page and "低保家庭成员" in page
    today = timezone.localdate().isoformat()
    assert (
        staff.post(f"/employment/support/groups/{member.pk}/follow-up/", {"on": today, "way": "phone"}).status_code
        == 302
    )
    assert (
        staff.post(f"/employment/support/groups/{member.pk}/follow-up/", {"on": "明天", "way": "phone"}).status_code
        == 422
    )

    counsellor_page = staff.get("/employment/guidance/slots/", **ZH)
    assert counsellor_page.status_code == 200
    starts = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    assert (
        staff.post(
            "/employment/guidance/slots/", {"starts_at": starts, "place": "三楼", "district": "120101", "minutes": "45"}
        ).status_code
        == 302
    )
    user = builders.seeker()
    citizen = sign_in(Client(), user)
    page = citizen.get("/employment/guidance/", **ZH).content.decode()
    assert "三楼" in page
    slot_id = page.split("/employment/guidance/slots/")[1].split("/book/")[0]
    assert citizen.post(f"/employment/guidance/slots/{slot_id}/book/", {"topic": "求职"}).status_code == 302
    booking = GuidanceBooking.objects.get()
    assert citizen.post(f"/employment/guidance/bookings/{booking.pk}/cancel/").status_code == 302
    assert citizen.get("/employment/support/groups/").status_code == 403

    form = {
        "business_name": "小李便利店",
        "started_on": "2026-08-01",
        "industry": "F",
        "district": "120101",
        "employees": "1",
    }
    assert citizen.post("/employment/startups/mine/", form).status_code == 302
    assert citizen.post("/employment/startups/mine/", {**form, "started_on": "八月"}, **ZH).status_code == 422
    page = citizen.get("/employment/startups/mine/", **ZH).content.decode()
    assert "小李便利店" in page and '<html lang="zh-hans"' in page
    registration = StartupRegistration.objects.get()
    staff_page = staff.get("/employment/startups/", **ZH).content.decode()
    assert "小李便利店" in staff_page
    assert (
        staff.post(
            f"/employment/startups/{registration.pk}/guidance/",
            {"on": today, "adviser": "王老师", "topics": "财务，营销"},
        ).status_code
        == 302
    )
