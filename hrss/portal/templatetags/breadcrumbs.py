"""``without_current``: the breadcrumb trail shows the way back, never the page itself.

The page's title is its ``<h1>`` (and the menu marks the section with ``aria-current``); a
last crumb repeating it reads the title twice to a screen reader and wastes a line on a
phone. Pages across the apps write their crumbs in ``{% block crumb %}``, the current page
as an ``<li>`` carrying ``aria-current="page"``; base.html passes the block through this
filter, which drops those items and keeps the links above the page.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

CURRENT_ITEM = re.compile(r"<li\b[^>]*>(?:(?!</li>).)*?aria-current=\"page\"(?:(?!</li>).)*?</li>", re.DOTALL)
CURRENT_ATTRIBUTE = re.compile(r"<li\b[^>]*\baria-current=\"page\"[^>]*>.*?</li>", re.DOTALL)


@register.filter(is_safe=True)
def without_current(crumbs: str) -> SafeString:
    """The crumbs' HTML without the items that mark the current page."""
    kept = CURRENT_ATTRIBUTE.sub("", str(conditional_escape(crumbs)))  # text not marked safe is escaped first
    return mark_safe(CURRENT_ITEM.sub("", kept).strip())  # noqa: S308 - escaped or template-rendered HTML, items only removed
