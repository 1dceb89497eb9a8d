from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import ANYONE, NavLink


class HotlineConfig(AppConfig):
    """The 12333 hotline (A1): the knowledge base every channel answers from."""

    name = "hrss.hotline"
    label = "hotline"
    verbose_name = _("12333 hotline")

    nav_links = (
        NavLink("hotline.search", _("Policy Q&A"), "hotline:search", frozenset({ANYONE}), order=90),
        NavLink(
            "hotline.review",
            _("Knowledge base"),
            "hotline:review",
            frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR}),
            order=90,
        ),
        NavLink(
            "hotline.desk",
            _("12333 desk"),
            "hotline:desk",
            frozenset({roles.COUNTER_CLERK, roles.ADMINISTRATOR}),
            order=45,
        ),
        NavLink(
            "hotline.tickets",
            _("Hotline tickets"),
            "hotline:tickets",
            frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.INSPECTOR, roles.ADMINISTRATOR}),
            order=46,
        ),
        NavLink(
            "hotline.statistics",
            _("Hotline statistics"),
            "hotline:statistics",
            frozenset({roles.COUNTER_CLERK, roles.ANALYST, roles.ADMINISTRATOR}),
            order=62,
            group="statistics",
        ),
    )

    # The hall answers SMS texts and WeChat keywords it does not know from the knowledge base
    # (hrss.servicehall.extension_points.channel_reply).
    channel_reply = "hrss.hotline.replies.channel_reply"
    agency_scopes = {
        # The IVR platform's AGI adapter: keypad queries after an SMS-code identity check.
        "hotline:ivr": _("Answer 12333 keypad queries for callers who pass the identity check"),
    }

    def ready(self) -> None:
        # A changed policy figure sends the articles citing it back to review.
        # Keypad queries other apps answer (``hotline_queries`` on their AppConfig, dotted paths):
        # the hotline never imports a sibling domain app.
        from django.apps import apps
        from django.utils.module_loading import import_string

        from hrss.hotline import (
            keypad,
            signals,  # noqa: F401
            tickets,
        )

        for config in apps.get_app_configs():
            for name, provider in (getattr(config, "hotline_queries", None) or {}).items():
                keypad.register_provider(name, import_string(provider))
            # Registers that take the complaints and reports of a category (labour: the
            # rights-protection register of hrss.labor), declared as ``hotline_intake``.
            for category, intake in (getattr(config, "hotline_intake", None) or {}).items():
                tickets.register_intake(category, import_string(intake))
