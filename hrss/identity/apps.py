from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "hrss.identity"
    label = "identity"
    verbose_name = _("Identity and access")
    notify_sends = ("otp_code", "employer_agent_code")

    def ready(self) -> None:
        from django.contrib import admin

        from hrss.identity import kiosk
        from hrss.identity.admin_site import HrssAdminSite
        from hrss.identity.scopes import scopes_collect

        # django-otp's documented way to guard the default admin site with a second factor.
        admin.site.__class__ = HrssAdminSite
        # Agency scopes other apps declare as data (``agency_scopes`` on their AppConfig).
        scopes_collect()
        # How a kiosk signs a holder in by card or electronic card code (``card_signin`` and
        # ``ecard_signin`` on the card app's config): identity never imports a domain app.
        kiosk.providers_collect()
