"""Names the admin shows for the third-party apps and their tables, in the reader's language.

The packages (django-axes, django-oauth-toolkit, django-otp, django-tasks-db) ship no
Chinese, and some name their tables in plain English strings; ``CoreConfig.ready()`` gives
their app configs and models these translated names, so the admin's index reads as Chinese
in zh-hans (the kernel's own app is named here too).
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "core": _("System: audit log, scheduled jobs, workdays"),
    "axes": _("Sign-in lockouts"),
    "oauth2_provider": _("Single sign-on and agency clients"),
    "otp_totp": _("Authenticator apps (second factor)"),
    "django_tasks_database": _("Background tasks"),
}

MODEL_NAMES = {
    ("axes", "accessattempt"): (_("failed sign-in attempt"), _("failed sign-in attempts")),
    ("axes", "accessfailurelog"): (_("sign-in failure"), _("sign-in failures")),
    ("axes", "accesslog"): (_("sign-in record"), _("sign-in records")),
    ("oauth2_provider", "accesstoken"): (_("access token"), _("access tokens")),
    ("oauth2_provider", "application"): (_("client application"), _("client applications")),
    ("oauth2_provider", "grant"): (_("authorisation grant"), _("authorisation grants")),
    ("oauth2_provider", "idtoken"): (_("ID token"), _("ID tokens")),
    ("oauth2_provider", "refreshtoken"): (_("refresh token"), _("refresh tokens")),
    ("otp_totp", "totpdevice"): (_("authenticator app"), _("authenticator apps")),
    ("django_tasks_database", "dbtaskresult"): (_("background task"), _("background tasks")),
}


def admin_names_apply() -> None:
    """Give the installed apps and models above their translated names (from ready())."""
    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (label, model_name), (singular, plural) in MODEL_NAMES.items():
        if label not in apps.app_configs:
            continue
        try:
            meta = apps.get_model(label, model_name)._meta
        except LookupError:
            continue
        meta.verbose_name, meta.verbose_name_plural = singular, plural
