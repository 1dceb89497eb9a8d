from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicehallConfig(AppConfig):
    name = "hrss.servicehall"
    label = "servicehall"
    verbose_name = _("Service hall")

    def ready(self) -> None:
        import logging

        # SpiffWorkflow logs every task state change at INFO; the hall's own log says what matters.
        logging.getLogger("spiff").setLevel(logging.WARNING)
        # Shipped service-task handlers and the notification subscribers register on import.
        from hrss.servicehall import handlers, notifications  # noqa: F401
