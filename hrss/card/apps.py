from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardConfig(AppConfig):
    name = "hrss.card"
    label = "card"
    verbose_name = _("Social security card")

    def ready(self) -> None:
        # Subscribers to other apps' domain events register on import.
        from hrss.card import handlers  # noqa: F401
