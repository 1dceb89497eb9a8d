"""API schemas of the knowledge base; every request body carries a valid example."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.hotline.models import Article


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class ArticleOut(Schema):
    code: str
    kind: str
    title: str
    question: str
    body: str
    link: str
    items: list[str]
    parameters: list[str]
    status: str
    review_reason: str
    origin: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    version: int

    @classmethod
    def build(cls, article: Article) -> ArticleOut:
        return cls(
            code=article.code,
            kind=article.kind,
            title=article.title,
            question=article.question,
            body=article.body,
            link=article.link,
            items=sorted(item.code for item in article.items.all()),
            parameters=list(article.parameters),
            status=article.status,
            review_reason=article.review_reason,
            origin=article.origin,
            valid_from=article.valid_from,
            valid_to=article.valid_to,
            version=article.version,
        )


class HitOut(Schema):
    code: str
    title: str
    question: str
    snippet: str
    link: str
    score: float


_EXAMPLE: dict[str, Any] = {
    "code": "qa-pension-certificate",
    "kind": "qa",
    "title": "领取养老金资格认证",
    "question": "退休人员每年都要做领取待遇资格认证吗？",
    "body": "本市通过数据比对完成大部分退休人员的资格认证，无需本人办理；比对未通过的，可以在网上服务大厅或自助终端刷脸认证。",
    "link": "",
    "keywords": "资格认证 刷脸",
    "items": [],
    "parameters": [],
    "valid_from": None,
    "valid_to": None,
}


class ArticleUpdateIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{k: v for k, v in _EXAMPLE.items() if k not in ("code", "kind")}]}
    )

    title: str = Field(..., min_length=2, max_length=200)
    question: str = Field("", max_length=300)
    body: str = Field(..., min_length=2, max_length=20000)
    link: str = Field("", max_length=300, pattern=r"^(/[^\s]*)?$")
    keywords: str = Field("", max_length=300)
    items: list[str] = Field(default_factory=list, max_length=20)
    parameters: list[str] = Field(default_factory=list, max_length=40)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class ArticleIn(ArticleUpdateIn):
    """A new article: the text of ``ArticleUpdateIn`` with its code and kind."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    code: str = Field(..., min_length=3, max_length=80, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    kind: Article.Kind = Article.Kind.QA


class TicketIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "consultation",
                    "category": "insurance",
                    "summary": "来电咨询退休后养老金怎么计算。",
                    "answer": "介绍了基本养老金的计算办法，并告知可以使用网上的养老金测算器。",
                    "resolved_on_call": True,
                    "articles": ["policy-pension"],
                    "caller_phone": "13800138000",
                    "callback": False,
                    "idempotency_key": "call-20261204-0001",
                }
            ]
        }
    )

    kind: str = Field(..., pattern=r"^(consultation|complaint|report|petition)$")
    category: str = Field(..., max_length=20, description="a category of hrss/hotline/data/routing.csv")
    summary: str = Field(..., min_length=2, max_length=4000)
    answer: str = Field("", max_length=4000)
    resolved_on_call: bool = False
    articles: list[str] = Field(default_factory=list, max_length=10)
    id_number: str = Field("", max_length=18, description="the caller's ID number, when they gave it")
    caller_phone: str = Field("", pattern=r"^(1\d{10})?$")
    employer_credit_code: str = Field("", max_length=18)
    callback: bool = False
    idempotency_key: str = Field("", max_length=64)


class TicketOut(Schema):
    reference: str
    kind: str
    category: str
    status: str
    summary: str
    answer: str
    first_contact_resolved: bool
    unit: str
    linked_reference: str
    due_on: dt.date | None
    callback_due: dt.date | None
    called_back: bool
    resolution: str
    person_name: str | None
    employer_name: str | None
    sampled_on: dt.date | None
    quality_score: int | None
    agent: str
    created_at: dt.datetime

    @classmethod
    def build(cls, ticket: Any) -> TicketOut:
        return cls(
            reference=ticket.reference,
            kind=ticket.kind,
            category=ticket.category,
            status=ticket.status,
            summary=ticket.summary,
            answer=ticket.answer,
            first_contact_resolved=ticket.first_contact_resolved,
            unit=ticket.unit,
            linked_reference=ticket.linked_reference,
            due_on=ticket.due_on,
            callback_due=ticket.callback_due,
            called_back=ticket.callback_done_at is not None,
            resolution=ticket.resolution,
            person_name=ticket.person.name if ticket.person_id else None,
            employer_name=ticket.employer.name if ticket.employer_id else None,
            sampled_on=ticket.sampled_on,
            quality_score=ticket.quality_score,
            agent=ticket.agent,
            created_at=ticket.created_at,
        )


class ResolveIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"resolution": "已联系用人单位，核实情况后责令限期补缴。"}]}
    )

    resolution: str = Field(..., min_length=2, max_length=4000)


class CallbackIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"note": "已回电，来电人对答复满意。"}]})

    note: str = Field(..., min_length=2, max_length=2000)


class QualityIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"score": 5, "note": "答复准确，用语规范。"}]})

    score: int = Field(..., ge=1, le=5)
    note: str = Field("", max_length=2000)


class CallerOut(Schema):
    id: Any
    name: str
    id_number: str
    phone: str


class StatisticsOut(Schema):
    since: dt.date
    until: dt.date
    total: int
    by_category: list[dict[str, Any]]
    by_hour: list[dict[str, Any]]
    consultations: int
    first_contact_resolved: int
    first_contact_rate: float | None
    overdue: int
    callbacks_overdue: int
