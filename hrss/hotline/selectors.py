"""Reading the knowledge base: what any channel may answer with, and the staff's queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.hotline import search as kb_search
from hrss.hotline.models import Article
from hrss.hotline.services import AUTHORS, REVIEWERS

SNIPPET_CHARS = 120


@dataclass(frozen=True)
class Found:
    article: Article
    score: float

    @property
    def snippet(self) -> str:
        text = " ".join(self.article.body.split())
        return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS] + "…"


def search(*, query: str, limit: int = 10) -> list[Found]:
    """The best answers for a caller's words (any channel; no sign-in: the base is public)."""
    hits = kb_search.search(query, limit=limit)
    if not hits:
        return []
    articles = Article.objects.prefetch_related("items").in_bulk([h.article_id for h in hits])
    return [Found(articles[h.article_id], h.score) for h in hits if h.article_id in articles]


def article_public(*, code: str) -> Article:
    found = kb_search.answerable().prefetch_related("items").filter(code=code).first()
    if found is None:
        raise NotFound(_("No such article."))
    return found


def _staff(scope: Scope) -> None:
    if not scope.has_role(*AUTHORS, *REVIEWERS):
        raise PermissionDenied(_("Only knowledge-base staff may do this."))


def article_staff(*, scope: Scope, code: str) -> Article:
    _staff(scope)
    found = Article.objects.prefetch_related("items").filter(code=code).first()
    if found is None:
        raise NotFound(_("No such article."))
    return found


def work_queue(*, scope: Scope, status: str = "", limit: int = 50, offset: int = 0) -> list[Article]:
    """Articles waiting for someone: drafts, texts awaiting review, and those a figure's change flagged."""
    _staff(scope)
    waiting: QuerySet[Article] = Article.objects.prefetch_related("items")
    if status:
        waiting = waiting.filter(status=status)
    else:
        waiting = waiting.filter(status__in=(Article.Status.DRAFT, Article.Status.PENDING, Article.Status.REVIEW))
    return list(waiting.order_by("status", "code")[offset : offset + limit])
