"""The scopes hrss grants to relying parties (single sign-on) and agency clients.

Agency scopes name an API area and an access (``registry:read``). The shared kernel's
scopes are here; an app that publishes an API for agencies declares its scopes as data on
its ``AppConfig`` (``agency_scopes = {"card:verify": _("...")}``), and
``IdentityConfig.ready()`` collects them (``scopes_collect``), so every process knows the
same scopes and ``hrss agency client create --scopes`` can grant them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

OPENID = "openid"
PROFILE = "profile"
PHONE = "phone"
ID_NUMBER = "id_number"

OIDC_SCOPES: dict[str, Any] = {
    OPENID: _("Sign you in with your hrss account"),
    PROFILE: _("Your name, your user name and your ID number in masked form"),
    PHONE: _("Your mobile phone number"),
    ID_NUMBER: _("Your full ID number"),
}
# What a relying party gets unless its registration says more; never the full ID number.
RELYING_PARTY_DEFAULT_SCOPES = (OPENID, PROFILE, PHONE)

AGENCY_SCOPES: dict[str, Any] = {
    "registry:read": _("Read persons and employers in the basic information database"),
    "registry:import": _("Submit records to the basic information database"),
    "exchange:read": _("Exchange data with the bureau under a declared purpose"),
    "verify:certificates": _("Verify certificates (qualification, skill level, title, diploma)"),
    "verify:benefit_eligibility": _("Verify benefit eligibility"),
    "verify:biometric": _("Request biometric verification of a person"),
}

ALL_SCOPES: dict[str, Any] = {**OIDC_SCOPES, **AGENCY_SCOPES}


def scopes_collect(configs: Any = None) -> None:
    """Add the agency scopes every installed app declares (``agency_scopes``); called by ``ready()``."""
    from django.apps import apps

    for config in configs if configs is not None else apps.get_app_configs():
        declared = getattr(config, "agency_scopes", None) or {}
        AGENCY_SCOPES.update(declared)
        ALL_SCOPES.update(declared)


def scopes_parse(raw: str | list[str] | tuple[str, ...], *, allowed: dict[str, Any]) -> list[str]:
    """Split and check a scope list; unknown scopes are refused by name."""
    from hrss.core.errors import InvalidInput

    items = raw.replace(",", " ").split() if isinstance(raw, str) else [s for part in raw for s in part.split()]
    unknown = sorted({s for s in items if s not in allowed})
    if unknown:
        raise InvalidInput(_("Unknown scope."), code="unknown_scope", fields={"scopes": " ".join(unknown)})
    return sorted(set(items))
