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

        # The per-process principal cache forgets an account as soon as it changes here.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from hrss.identity import principals
        from hrss.identity.models import ApiToken, User

        for signal in (post_save, post_delete):
            signal.connect(principals.token_changed, sender=ApiToken, dispatch_uid=f"principals.token.{signal}")
            signal.connect(principals.user_changed, sender=User, dispatch_uid=f"principals.user.{signal}")
        for relation in (User.roles.through, User.districts.through):
            m2m_changed.connect(
                principals.memberships_changed, sender=relation, dispatch_uid=f"principals.m2m.{relation}"
            )
