from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CardConfig(AppConfig):
    name = "hrss.card"
    label = "card"
    verbose_name = _("Social security card")

    def ready(self) -> None:
        # Subscribers to other apps' domain events register on import, and so does the card
        # step of the service hall's items (``card.apply``, registry in hrss.core.servicetasks).
        from hrss.card import handlers, servicetasks  # noqa: F401

        if apps.is_installed("hrss.synth"):
            # Register this app's steps (cards, card_uses) with ``hrss synth``.
            from hrss.card import synth  # noqa: F401
