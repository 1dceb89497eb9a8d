from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import ANYONE, NavLink
from hrss.core.schedule import Job

# Who reads the analytics platform: decision makers and analysts, and the staff who run the
# bureau's funds; each sees the districts of their data scope.
READERS = frozenset({roles.ANALYST, roles.FUND_SUPERVISOR, roles.ADMINISTRATOR})


class AnalyticsConfig(AppConfig):
    """The analytics platform (E3, E5, R2, S8): the de-identified lake the apps' declared
    extracts are written to, and metrics written once in Ibis over it."""

    name = "hrss.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    # Collected by CoreConfig.ready() into hrss.core.schedule.
    scheduled_jobs = (
        Job(
            name="analytics.lake_export",
            cron="30 3 * * *",
            func="hrss.analytics.jobs.lake_export",
            description="统计数据湖: export the day's new ledger rows and changed registry snapshots, de-identified",
        ),
        Job(
            name="analytics.early_warning",
            cron="0 4 10 * *",
            func="hrss.analytics.jobs.early_warning",
            description="失业预警: last month's unemployment early warnings, raised once and sent to the districts' staff",
        ),
    )

    # Message templates this app sends (notify's system check makes sure they are registered).
    notify_sends = ("analytics_warnings_raised",)

    nav_links = (
        NavLink(
            "analytics.metrics", _("Employment statistics"), "analytics:metrics", READERS, order=60, group="statistics"
        ),
        NavLink("analytics.map", _("Employment map"), "analytics:map", READERS, order=60, group="statistics"),
        NavLink(
            "analytics.warnings",
            _("Unemployment early warnings"),
            "analytics:warnings",
            READERS,
            order=61,
            group="statistics",
        ),
        NavLink("analytics.open", _("Open statistics"), "analytics:open", frozenset({ANYONE}), order=92),
    )

    def ready(self) -> None:
        # The lake tables every app declares (``lake_tables``: the dotted path of a sequence of
        # hrss.core.lake.LakeTable); analytics never imports a domain app.
        from django.apps import apps
        from django.utils.module_loading import import_string

        from hrss.analytics import declared_facts, lake

        # The facts modules the early warning reads (``ledger_facts``, ``unemployment_facts``).
        declared_facts.ledger_facts.register()
        declared_facts.unemployment_facts.register()
        if apps.is_installed("hrss.notify"):
            from hrss.analytics.notify_templates import NOTIFY_TEMPLATES
            from hrss.notify.templates import templates_register

            templates_register(NOTIFY_TEMPLATES)

        for config in apps.get_app_configs():
            path = getattr(config, "lake_tables", None)
            if path:
                for table in import_string(path):
                    lake.register(table)
