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
        # Shipped service-task handlers and the notification subscribers register on import;
        # ``hrss keys rotate`` re-encrypts the sealed form answers through the rekeyer.
        from hrss.core.rekey import register_rekeyer
        from hrss.servicehall import handlers, notifications  # noqa: F401
        from hrss.servicehall.rekey import NAME, reseal_applications

        register_rekeyer(NAME, reseal_applications)
