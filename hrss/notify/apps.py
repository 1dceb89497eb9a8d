from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "hrss.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from hrss.notify import checks  # noqa: F401  (registers the system check)
        from hrss.notify.templates import BUILTIN_TEMPLATES, templates_register

        templates_register(BUILTIN_TEMPLATES)
