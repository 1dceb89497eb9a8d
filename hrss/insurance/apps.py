from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "hrss.insurance"
    label = "insurance"
    verbose_name = _("Social insurance")

    def ready(self) -> None:
        from django.apps import apps

        # Subscribe to other apps' domain events (registry deaths...), and register the
        # insurance steps of the service hall's items (hrss.core.servicetasks).
        from hrss.insurance import handlers, servicetasks  # noqa: F401

        if apps.is_installed("hrss.synth"):
            # Register this app's steps with ``hrss synth``.
            from hrss.insurance import synth  # noqa: F401
