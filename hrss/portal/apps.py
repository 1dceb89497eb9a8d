from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import SIGNED_IN, SIGNED_OUT, HomePanel, NavLink


class PortalConfig(AppConfig):
    name = "hrss.portal"
    label = "portal"
    verbose_name = _("Portal")
    # The menu's first entry and the back office; each app declares its own (hrss.core.nav).
    nav_links = (
        NavLink("portal.home", _("Home"), "portal:home", frozenset({SIGNED_OUT}), order=0),
        NavLink("portal.my-home", _("My home"), "portal:my-home", frozenset({SIGNED_IN}), order=0),
        NavLink("portal.admin", _("Back office"), "admin:index", frozenset({roles.ADMINISTRATOR}), order=90),
    )
    # The statistics links of every app (``group="statistics"``), for analysts and supervisors.
    home_panels = (
        HomePanel(
            "portal.statistics",
            _("Statistics"),
            "portal/panels/statistics.html",
            "hrss.portal.home.statistics_panel",
            frozenset({roles.ANALYST, roles.FUND_SUPERVISOR, roles.ADMINISTRATOR}),
            order=50,
        ),
    )
