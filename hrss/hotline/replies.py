"""Answers from the knowledge base for the hall's SMS and WeChat channels (A1, #24).

Registered with the hall through ``HotlineConfig.channel_reply`` (the hall never imports the
hotline). A WeChat menu key ``kb:<code>`` names an article; any other text is searched, and
the best published answer is sent back as its title and a short link to its page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from hrss.core.errors import NotFound
from hrss.hotline import selectors
from hrss.hotline.models import Article
from hrss.hotline.wechat_menu import absolute

ARTICLE_KEY = "kb:"
MAX_QUERY_CHARS = 100


def short_link(article: Article) -> str:
    return absolute(reverse("hotline:article", kwargs={"code": article.code}))


def answer_text(article: Article) -> str:
    return _("%(title)s: %(link)s") % {"title": article.title, "link": short_link(article)}


def channel_reply(*, text: str, channel: str) -> str:
    """The reply for an SMS text, WeChat keyword or WeChat menu key; "" when the base has none."""
    text = (text or "").strip()
    if not text:
        return ""
    if text.startswith(ARTICLE_KEY):
        try:
            return answer_text(selectors.article_public(code=text[len(ARTICLE_KEY) :]))
        except NotFound:
            return ""
    found = selectors.search(query=text[:MAX_QUERY_CHARS], limit=1)
    return answer_text(found[0].article) if found else ""
