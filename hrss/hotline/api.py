"""Knowledge base API (A1): the search every channel answers from (public), an article, and
the staff's drafting and review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hrss.core.errors import InvalidInput
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.hotline import selectors, services, tickets
from hrss.hotline.models import Article, Ticket
from hrss.hotline.schemas import (
    ArticleIn,
    ArticleOut,
    ArticleUpdateIn,
    CallbackIn,
    CallerOut,
    ErrorOut,
    HitOut,
    QualityIn,
    ResolveIn,
    StatisticsOut,
    TicketIn,
    TicketOut,
)
from hrss.identity.auth import API_AUTH, request_scope

router = Router(tags=["hotline"])
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
SEARCH_LIMIT = 20


@router.get("/kb/search", response={200: list[HitOut], 422: ErrorOut}, summary="Search the knowledge base")
def kb_search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=100, description="the caller's words, e.g. 养老金怎么算"),
    limit: int = Query(10, ge=1, le=SEARCH_LIMIT),
) -> Any:
    return [
        {
            "code": f.article.code,
            "title": f.article.title,
            "question": f.article.question,
            "snippet": f.snippet,
            "link": f.article.link,
            "score": round(f.score, 4),
        }
        for f in selectors.search(query=q, limit=limit)
    ]


@router.get("/kb/articles/{code}", response={200: ArticleOut, 404: ErrorOut}, summary="A published article")
def kb_article(request: HttpRequest, code: str) -> Any:
    return ArticleOut.build(selectors.article_public(code=code))


@router.get(
    "/kb/queue", response={200: list[ArticleOut], **_ERRORS}, auth=API_AUTH, summary="Articles waiting for staff"
)
def kb_queue(
    request: HttpRequest,
    status: Article.Status | None = None,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    found = selectors.work_queue(scope=request_scope(request), status=status or "", limit=limit, offset=offset)
    return [ArticleOut.build(a) for a in found]


@router.post("/kb/articles", response={201: ArticleOut, **_ERRORS}, auth=API_AUTH, summary="Draft an article")
def kb_create(request: HttpRequest, payload: ArticleIn) -> Status:
    article = services.article_create(scope=request_scope(request), values=payload.dict())
    return Status(201, ArticleOut.build(article))


@router.put("/kb/articles/{code}", response={200: ArticleOut, **_ERRORS}, auth=API_AUTH, summary="Edit an article")
def kb_update(request: HttpRequest, code: str, payload: ArticleUpdateIn) -> Any:
    return ArticleOut.build(services.article_update(scope=request_scope(request), code=code, values=payload.dict()))


@router.post(
    "/kb/articles/{code}/submit", response={200: ArticleOut, **_ERRORS}, auth=API_AUTH, summary="Send for review"
)
def kb_submit(request: HttpRequest, code: str) -> Any:
    return ArticleOut.build(services.article_submit(scope=request_scope(request), code=code))


@router.post("/kb/articles/{code}/publish", response={200: ArticleOut, **_ERRORS}, auth=API_AUTH, summary="Publish")
def kb_publish(request: HttpRequest, code: str) -> Any:
    return ArticleOut.build(services.article_publish(scope=request_scope(request), code=code))


@router.post("/kb/articles/{code}/retire", response={200: ArticleOut, **_ERRORS}, auth=API_AUTH, summary="Retire")
def kb_retire(request: HttpRequest, code: str) -> Any:
    return ArticleOut.build(services.article_retire(scope=request_scope(request), code=code))


# --- the agent desk ---------------------------------------------------------------------


@router.get("/callers", response={200: CallerOut, **_ERRORS}, auth=API_AUTH, summary="Who is calling")
def caller(
    request: HttpRequest,
    id_number: str = Query("", max_length=18),
    phone: str = Query("", max_length=20),
) -> Any:
    if not id_number and not phone:
        raise InvalidInput(fields={"id_number": _("Give an ID number or a phone number.")})
    person = tickets.caller_lookup(scope=request_scope(request), id_number=id_number, phone=phone)
    return {"id": person.pk, "name": person.name, "id_number": person.id_number, "phone": person.phone}


@router.post("/tickets", response={201: TicketOut, **_ERRORS}, auth=API_AUTH, summary="Open a ticket for a call")
def ticket_open(request: HttpRequest, payload: TicketIn) -> Status:
    values = payload.dict()
    key = values.pop("idempotency_key")
    ticket = tickets.ticket_open(scope=request_scope(request), values=values, idempotency_key=key)
    return Status(201, TicketOut.build(ticket))


@router.get("/tickets", response={200: list[TicketOut], **_ERRORS}, auth=API_AUTH, summary="Tickets in my scope")
def ticket_list(
    request: HttpRequest,
    status: Ticket.Status | None = None,
    overdue: bool = False,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    found = tickets.ticket_list(
        scope=request_scope(request), status=status or "", overdue=overdue, limit=limit, offset=offset
    )
    return [TicketOut.build(t) for t in found]


@router.get("/tickets/{reference}", response={200: TicketOut, **_ERRORS}, auth=API_AUTH, summary="A ticket")
def ticket_get(request: HttpRequest, reference: str) -> Any:
    return TicketOut.build(tickets.ticket_get(scope=request_scope(request), reference=reference))


@router.post(
    "/tickets/{reference}/resolve", response={200: TicketOut, **_ERRORS}, auth=API_AUTH, summary="The unit's answer"
)
def ticket_resolve(request: HttpRequest, reference: str, payload: ResolveIn) -> Any:
    scope = request_scope(request)
    return TicketOut.build(tickets.ticket_resolve(scope=scope, reference=reference, resolution=payload.resolution))


@router.post(
    "/tickets/{reference}/callback", response={200: TicketOut, **_ERRORS}, auth=API_AUTH, summary="Called back"
)
def ticket_callback(request: HttpRequest, reference: str, payload: CallbackIn) -> Any:
    return TicketOut.build(tickets.callback_done(scope=request_scope(request), reference=reference, note=payload.note))


@router.post(
    "/tickets/{reference}/quality",
    response={200: TicketOut, **_ERRORS},
    auth=API_AUTH,
    summary="Score a sampled ticket",
)
def ticket_quality(request: HttpRequest, reference: str, payload: QualityIn) -> Any:
    scope = request_scope(request)
    return TicketOut.build(
        tickets.quality_score(scope=scope, reference=reference, score=payload.score, note=payload.note)
    )


@router.get("/statistics", response={200: StatisticsOut, **_ERRORS}, auth=API_AUTH, summary="The desk's statistics")
def desk_statistics(request: HttpRequest, since: dt.date, until: dt.date) -> Any:
    found = tickets.statistics(scope=request_scope(request), since=since, until=until)
    return {**found.__dict__, "first_contact_rate": found.first_contact_rate}


# The IVR platform: the voice menu's export and the keypad queries (hrss.hotline.ivr_api).
from hrss.hotline.ivr_api import router as ivr_router  # noqa: E402

router.add_router("/ivr", ivr_router)
