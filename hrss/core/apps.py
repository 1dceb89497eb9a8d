from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from hrss.core.schedule import Job


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """`migrate` also creates the shared cache's table (settings.CACHES), so no extra step is needed."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "hrss.core"
    label = "core"
    verbose_name = "core"
    scheduled_jobs = (
        Job(
            name="core.audit_seal",
            cron="* * * * *",
            func="hrss.core.jobs.audit_seal",
            description="chain the audit entries appended since the last run into the sealed log",
        ),
    )

    def ready(self) -> None:
        from django.core.signals import got_request_exception

        from hrss.core import metrics, views
        from hrss.core.admin_names import admin_names_apply

        admin_names_apply()

        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="hrss.core.cache_table")
        got_request_exception.connect(views.note_error_id, dispatch_uid="hrss.core.error_id")
        metrics.register_collector(metrics.TaskQueueCollector())
        metrics.register_collector(metrics.AuditChainCollector())
        metrics.register_collector(metrics.ScheduledJobsCollector())

        # The scheduled jobs every app declares as data (``scheduled_jobs`` on its AppConfig).
        from hrss.core.schedule import jobs_collect

        jobs_collect()
        # The menu links and home panels every app declares (``nav_links``, ``home_panels``).
        from hrss.core.nav import nav_collect

        nav_collect()
        # What the apps answer other departments and verify (``exchange`` on their AppConfig).
        from hrss.core import exchange

        exchange.collect()
