"""What citizens and staff read in zh-hans: the hall's own words win over other apps' (申请信息,
已撤回), no doubled 申请, no internal placeholder, the promised date (承诺时限), the workbench named
after the caller's tier."""

import functools
import re

import pytest
from django.test import Client as DjangoClient
from django.utils import timezone, translation
from django.utils.translation import gettext

from hrss.core import scope as roles
from hrss.core.workdays import add_workdays
from hrss.servicehall import channels
from hrss.servicehall.catalogue import read_items
from hrss.servicehall.models import ServiceItem
from hrss.servicehall.tests.builders import do, sign_in, submit, withdraw
from hrss.testing import make_user

pytestmark = pytest.mark.django_db
Chinese = functools.partial(DjangoClient, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_reviewer_reads_application_information_not_an_app(city):
    application = submit(city)
    do(city, application)  # the clerk accepts; the reviewer's step is open
    work = application.work_items.get(state="open")
    reviewer = sign_in(Chinese(), city.reviewer)
    for url in (f"/workbench/work/{work.pk}/", f"/workbench/applications/{application.reference}/"):
        page = reviewer.get(url).content.decode()
        assert "申请信息" in page and "应用" not in page, url


def test_a_withdrawn_application_reads_withdrawn_not_left(city):
    application = submit(city)
    withdraw(city, application)
    citizen = sign_in(Chinese(), city.citizen)
    for url in ("/hall/applications/", f"/hall/applications/{application.reference}/"):
        page = citizen.get(url).content.decode()
        assert "已撤回" in page and "已退出" not in page, url


def test_messages_name_the_item_without_doubling_the_word_application():
    names = [row["name_zh_hans"] for row in read_items()]
    assert any(name.endswith("申请") for name in names)  # 创业担保贷款申请: the case that doubled
    with translation.override("zh-hans"):
        for name in names:
            received = gettext("Your application %(reference)s for %(item)s was received.") % {
                "reference": "SH1",
                "item": name,
            }
            in_progress = gettext(
                "You already have an application for %(item)s in progress (%(reference)s). Follow it under "
                "My applications; apply again only after it is finished or withdrawn."
            ) % {"reference": "SH1", "item": name}
            for text in (received, in_progress):
                assert not re.search(r"申请”?申请", text), text


def test_the_public_never_sees_an_internal_placeholder(db):
    public = ("name_zh_hans", "name_en", "summary_zh_hans", "summary_en", "legal_basis", "department", "fees")
    for row in read_items():
        for field in public:
            assert "待核实" not in str(row.get(field, "")), (row["code"], field)
    page = Chinese().get("/hall/items/SH-RC-001/").content.decode()
    assert "海河英才" in page and "待核实" not in page
    assert not ServiceItem.objects.filter(legal_basis__contains="待核实").exists()


def test_the_applicant_is_told_the_promised_date_and_staff_the_statutory_one(city):
    application = submit(city)  # 失业登记: promised in 3 working days, 5 by law
    item = application.item
    assert item.promised_workdays is not None and item.promised_workdays < item.time_limit_workdays
    submitted_on = timezone.localdate(application.submitted_at)
    assert application.promised_by == add_workdays(submitted_on, item.promised_workdays)
    assert application.deadline == add_workdays(submitted_on, item.time_limit_workdays)
    page = sign_in(Chinese(), city.citizen).get(f"/hall/applications/{application.reference}/").content.decode()
    assert f'<dd id="answer-due">{application.promised_by:%Y-%m-%d}</dd>' in page
    with translation.override("zh-hans"):
        assert f"{application.promised_by:%Y-%m-%d}" in channels.status_text(application)
    staff = sign_in(Chinese(), city.reviewer).get(f"/workbench/applications/{application.reference}/")
    assert f"{application.deadline:%Y-%m-%d}" in staff.content.decode()


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        ("zh-hans", ("综合柜员工作台", "审核人员工作台", "审批人员工作台")),
        ("zh-hant", ("綜合櫃員工作臺", "審核人員工作臺", "審批人員工作臺")),
        ("en", ("Counter clerk's workbench", "Reviewer's workbench", "Approver's workbench")),
    ],
)
def test_the_workbench_is_named_after_the_callers_tier(city, language, titles):
    clerk_title, reviewer_title, approver_title = titles
    for user, title in ((city.clerk, clerk_title), (city.reviewer, reviewer_title), (city.approver, approver_title)):
        page = sign_in(DjangoClient(HTTP_ACCEPT_LANGUAGE=language), user).get("/workbench/").content.decode()
        heading = re.search(r"<h1>(.*?)</h1>", page)
        assert heading is not None and heading.group(1).replace("&#x27;", "'") == title, user.username
    both = make_user("two_tiers", roles.REVIEWER, roles.APPROVER, city_wide=True)
    page = sign_in(DjangoClient(HTTP_ACCEPT_LANGUAGE=language), both).get("/workbench/").content.decode()
    assert all(title not in page.split("<h1>")[1].split("</h1>")[0] for title in titles)


CJK = "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
ASCII_BESIDE_CJK = re.compile(f"{CJK}[,:;]|[,:;]{CJK}")


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ")).replace(" ", "")


def test_pages_join_chinese_with_full_width_punctuation(city):
    """Labels and lists the templates put together read 证明编号：… and 受理、初审, not ': ' and ', '."""
    with translation.override("zh-hans"):  # the steps' messages are written in the applicant's language
        refused = submit(city)
        do(city, refused, "reject", reasons="材料不全")
        open_one = submit(city, idempotency_key="second")
    work = open_one.work_items.get(state="open")
    citizen = sign_in(Chinese(), city.citizen)
    clerk = sign_in(Chinese(), city.clerk)
    pages = {
        "refused": citizen.get(f"/hall/applications/{refused.reference}/"),
        "item": citizen.get("/hall/items/SH-KA-001/"),
        "apply": citizen.get("/hall/items/SH-JY-001/apply/"),
        "work": clerk.get(f"/workbench/work/{work.pk}/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = _text(response.content.decode())
        assert not ASCII_BESIDE_CJK.search(text), (name, ASCII_BESIDE_CJK.findall(text))
    assert "理由：材料不全" in _text(pages["refused"].content.decode())
