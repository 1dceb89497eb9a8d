"""The analytics app's message templates, as data: ``AnalyticsConfig.ready()`` registers them
with notify in every process (web, task worker, scheduler), never on first use."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

WARNINGS_RAISED_TEMPLATE = "analytics_warnings_raised"

NOTIFY_TEMPLATES = {
    WARNINGS_RAISED_TEMPLATE: _(
        "[HR and Social Security] {count} new unemployment early warnings for {period} in your districts. "
        "See the queue: {url}"
    ),
}
