from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import NavLink


class ExchangeConfig(AppConfig):
    """Inter-agency exchange (S3, A6, S7): other departments' systems ask, under a declared
    purpose and a grant, whether a person is alive, insured or drawing a pension, whether a
    certificate is genuine, and (with the person's consent code) their employment and insurance
    history. Answers are minimised, signed (JWS, key published as a JWKS), rate-limited and
    audited; the person sees who asked."""

    name = "hrss.exchange"
    label = "exchange"
    verbose_name = _("Data exchange")

    nav_links = (
        NavLink("exchange.mine", _("Data sharing"), "exchange:mine", frozenset({roles.CITIZEN}), order=37),
        NavLink(
            "exchange.certificates",
            _("My certificates and scores"),
            "exchange:certificates",
            frozenset({roles.CITIZEN}),
            order=38,
        ),
    )

    def ready(self) -> None:
        from hrss.core import exchange as offered
        from hrss.exchange import providers, services

        providers.register()
        # Other apps' reads with a consent code (the medical institutions', S4) ask the exchange here.
        offered.register_consent_gate(services.consented)
