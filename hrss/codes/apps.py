from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodesConfig(AppConfig):
    name = "hrss.codes"
    label = "codes"
    verbose_name = _("Code tables and policy parameters")

    def ready(self) -> None:
        from hrss.codes import signals  # noqa: F401
