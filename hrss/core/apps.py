from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hrss.core"
    label = "core"
    verbose_name = "core"

    def ready(self) -> None:
        # The scheduled jobs every app declares as data (``scheduled_jobs`` on its AppConfig).
        from hrss.core.schedule import jobs_collect

        jobs_collect()
