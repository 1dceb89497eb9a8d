"""The knowledge base: generated from the catalogue and the policy tables, searched in
Chinese with synonyms, written by staff and published by someone else, and sent back to
review when a figure it cites changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from hrss.codes.models import PolicyParameter
from hrss.core import scope as roles
from hrss.core.errors import InvalidInput, PermissionDenied
from hrss.hotline import search, selectors, services
from hrss.hotline.models import Article
from hrss.servicehall.models import ServiceItem
from hrss.servicehall.tests.builders import bearer
from hrss.testing import make_user, sign_in, staff_scope

pytestmark = pytest.mark.django_db(transaction=False)

CLERK = staff_scope(role=roles.COUNTER_CLERK)
REVIEWER = staff_scope(role=roles.REVIEWER)


@pytest.fixture
def kb(db):
    return services.generate()


def codes_for(query: str, limit: int = 3) -> list[str]:
    return [f.article.code for f in selectors.search(query=query, limit=limit)]


def test_generation_covers_every_item_and_topic_and_a_second_run_changes_nothing(kb):
    items = ServiceItem.objects.count()
    assert kb["created"] == items + len(services._topics())
    assert Article.objects.filter(origin="generated", status="published").count() == kb["created"]
    assert services.generate() == {"created": 0, "updated": 0, "unchanged": kb["created"]}


def test_every_topic_cites_parameters_that_exist():
    names = set(PolicyParameter.objects.values_list("name", flat=True))
    for topic in services._topics():
        missing = set(topic["parameters"]) - names
        assert not missing, (topic["code"], missing)


def test_the_pension_question_finds_the_calculator_and_its_policy(kb):
    found = selectors.search(query="养老金怎么算", limit=3)
    top = found[0].article
    assert top.code == "policy-pension"
    assert top.link == "/insurance/estimate/"
    assert "pension.basic_accrual_rate" in top.parameters
    assert "国发" in top.body or "人社" in top.body or "国办" in top.body  # each figure names its source
    assert "Figures" not in top.body  # generated in Chinese


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("退休金能领多少", "policy-pension"),  # a synonym of 养老金
        ("社保卡丢了怎么办", "policy-card"),
        ("失业金", "item-sh-sy-001"),
        ("欠薪 仲裁", "policy-arbitration"),
    ],
)
def test_callers_words_and_synonyms(kb, query, expected):
    assert expected in codes_for(query)


def test_nonsense_and_stop_words_find_nothing(kb):
    assert codes_for("zzzz qqqq") == []
    assert codes_for("怎么 如何 请问") == []


def test_a_changed_figure_sends_its_articles_back_to_review(kb, django_capture_on_commit_callbacks):
    current = PolicyParameter.objects.filter(name="minimum_wage.monthly").order_by("-valid_from").first()
    start = max(timezone.localdate(), current.valid_from) + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        PolicyParameter.objects.create(
            name="minimum_wage.monthly",
            value=Decimal("2500"),
            unit=current.unit,
            valid_from=start,
            region=current.region,
            source="测试文件",
            confidence=current.confidence,
        )
    flagged = Article.objects.get(code="policy-minimum-wage")
    assert flagged.status == Article.Status.REVIEW
    assert "minimum_wage.monthly" in flagged.review_reason
    assert Article.objects.get(code="policy-pension").status == Article.Status.PUBLISHED
    # Still answered while under review, flagged on its page.
    assert "policy-minimum-wage" in codes_for("最低工资")
    page = Client().get("/hotline/articles/policy-minimum-wage/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "正在复核" in page.content.decode()
    # Regenerating on the day the figure takes effect writes it in and publishes again.
    services.generate(on=start)
    refreshed = Article.objects.get(code="policy-minimum-wage")
    assert refreshed.status == Article.Status.PUBLISHED and refreshed.version == 2
    assert "2,500.00" in refreshed.body and "测试文件" in refreshed.body


def test_staff_write_and_someone_else_publishes(kb):
    values = {
        "code": "qa-certification",
        "kind": "qa",
        "title": "领取待遇资格认证",
        "body": "每年通过数据比对完成资格认证。",
    }
    draft = services.article_create(scope=CLERK, values=values)
    assert services.article_create(scope=CLERK, values=values).pk == draft.pk  # a retry
    assert "qa-certification" not in codes_for("资格认证")  # drafts are never answered
    services.article_submit(scope=CLERK, code=draft.code)
    with pytest.raises(PermissionDenied):
        services.article_publish(scope=CLERK, code=draft.code)
    author_reviewer = staff_scope(role=roles.ADMINISTRATOR)
    mine = services.article_create(scope=author_reviewer, values={**values, "code": "qa-mine"})
    services.article_submit(scope=author_reviewer, code=mine.code)
    with pytest.raises(PermissionDenied):
        services.article_publish(scope=author_reviewer, code=mine.code)  # never one's own text
    published = services.article_publish(scope=REVIEWER, code=draft.code)
    assert published.version == 1 and published.reviewer == REVIEWER.actor
    assert codes_for("资格认证")[0] == "qa-certification"  # the index follows the database
    services.article_update(scope=CLERK, code=draft.code, values={"body": "改为每年刷脸认证。"})
    assert "qa-certification" not in codes_for("资格认证")  # new text waits for its review
    services.article_retire(scope=REVIEWER, code=draft.code)


def test_citations_are_checked(kb):
    with pytest.raises(InvalidInput) as error:
        services.article_create(
            scope=CLERK, values={"code": "qa-x", "title": "标题", "body": "正文", "parameters": ["no.such"]}
        )
    assert "parameters" in error.value.fields
    with pytest.raises(InvalidInput):
        services.article_create(
            scope=CLERK, values={"code": "qa-y", "title": "标题", "body": "正文", "items": ["SH-XX"]}
        )


def test_the_index_is_rebuilt_only_when_the_answerable_set_changes(kb, django_assert_num_queries):
    codes_for("养老金")
    before = search._index._index
    with django_assert_num_queries(3):  # the freshness check, the articles found, their items
        codes_for("养老金")
    assert search._index._index is before


def test_the_api(kb):
    anonymous = Client()
    hits = anonymous.get("/api/v1/hotline/kb/search", {"q": "养老金怎么算"})
    assert hits.status_code == 200 and hits.json()[0]["code"] == "policy-pension"
    assert anonymous.get("/api/v1/hotline/kb/search", {"q": ""}).status_code == 422
    article = anonymous.get("/api/v1/hotline/kb/articles/policy-pension")
    assert article.status_code == 200 and article.json()["link"] == "/insurance/estimate/"
    assert anonymous.get("/api/v1/hotline/kb/articles/no-such").status_code == 404
    assert anonymous.get("/api/v1/hotline/kb/queue").status_code == 401

    clerk = bearer(make_user("kb-clerk", roles.COUNTER_CLERK, city_wide=True))
    reviewer = bearer(make_user("kb-reviewer", roles.REVIEWER, city_wide=True))
    citizen = bearer(make_user("kb-citizen", roles.CITIZEN))
    body = {"code": "qa-api", "title": "接口写的问答", "body": "正文内容", "kind": "qa"}
    assert citizen.post("/api/v1/hotline/kb/articles", body, content_type="application/json").status_code == 403
    created = clerk.post("/api/v1/hotline/kb/articles", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    again = clerk.post("/api/v1/hotline/kb/articles", body, content_type="application/json")
    assert again.status_code == 201  # a retry answers the same draft
    other = clerk.post("/api/v1/hotline/kb/articles", {**body, "body": "另一段"}, content_type="application/json")
    assert other.status_code == 409
    bad = clerk.post("/api/v1/hotline/kb/articles", {**body, "code": "Not A Slug"}, content_type="application/json")
    assert bad.status_code == 422 and set(bad.json()) == {"code", "message", "fields"}
    assert clerk.post("/api/v1/hotline/kb/articles/qa-api/submit").status_code == 200
    assert [a["code"] for a in reviewer.get("/api/v1/hotline/kb/queue").json()] == ["qa-api"]
    assert clerk.post("/api/v1/hotline/kb/articles/qa-api/publish").status_code == 403
    published = reviewer.post("/api/v1/hotline/kb/articles/qa-api/publish")
    assert published.status_code == 200 and published.json()["version"] == 1
    assert anonymous.get("/api/v1/hotline/kb/articles/qa-api").status_code == 200


def test_the_pages_read_as_chinese(kb, client):
    page = client.get("/hotline/", {"q": "养老金怎么算"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200 and "基本养老金怎么算" in text and 'href="/insurance/estimate/"' in text
    partial = client.get("/hotline/", {"q": "社保卡"}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "<html" not in partial.content.decode() and "社会保障卡" in partial.content.decode()
    article = client.get("/hotline/articles/policy-pension/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert article.status_code == 200 and "计发月数" in article.content.decode()
    assert client.get("/hotline/articles/no-such/").status_code == 404


def test_the_reviewers_queue_page(kb):
    services.article_create(scope=CLERK, values={"code": "qa-page", "title": "待审问答", "body": "正文"})
    services.article_submit(scope=CLERK, code="qa-page")
    reviewer = sign_in(Client(), make_user("kb-page-reviewer", roles.REVIEWER, city_wide=True))
    queue = reviewer.get("/hotline/kb/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert queue.status_code == 200 and "待审问答" in queue.content.decode()
    done = reviewer.post("/hotline/kb/qa-page/publish/")
    assert done.status_code == 302
    assert Article.objects.get(code="qa-page").status == Article.Status.PUBLISHED
    citizen = sign_in(Client(), make_user("kb-page-citizen", roles.CITIZEN), second_factor=False)
    assert citizen.get("/hotline/kb/").status_code == 403
