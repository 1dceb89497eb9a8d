from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "hrss.identity"
    label = "identity"
    verbose_name = _("Identity and access")

    def ready(self) -> None:
        from django.contrib import admin

        from hrss.identity.admin_site import HrssAdminSite

        # django-otp's documented way to guard the default admin site with a second factor.
        admin.site.__class__ = HrssAdminSite
