"""django-oauth-toolkit plumbing: which scopes a client may get, and the claims it receives (A6).

The scopes backend reads each client's ``ClientGrant``; django-oauth-toolkit refuses any
request for a scope outside it (``invalid_scope``). Claims follow the OIDC standard
names, plus ``id_number`` (only under the ``id_number`` scope, audited when released) and
``id_number_masked`` (under ``profile``).
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from hrss.core.audit import audit_record
from hrss.core.logging import mask_id_number
from hrss.identity.models import ClientGrant
from hrss.identity.scopes import ALL_SCOPES, OPENID


def _grant(application: Any) -> ClientGrant | None:
    if application is None:
        return None
    try:
        return application.hrss_grant
    except ClientGrant.DoesNotExist:
        return None


class ClientGrantScopes(BaseScopes):
    def get_all_scopes(self) -> dict[str, str]:
        return {name: str(text) for name, text in ALL_SCOPES.items()}

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        grant = _grant(application)
        if grant is None:
            return [OPENID]  # a client registered by hand gets sign-in only, never personal data
        return sorted(grant.scope_set & ALL_SCOPES.keys())

    def get_default_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> list[str]:
        grant = _grant(application)
        if grant is not None and grant.kind == ClientGrant.Kind.AGENCY:
            return self.get_available_scopes(application)
        return [OPENID]


def _person(request: Any) -> Any:
    return getattr(request.user, "person", None)


def _name(request: Any) -> str:
    person = _person(request)
    if person is not None:
        return str(person.name)
    return request.user.get_full_name() or request.user.get_username()


def _id_number_masked(request: Any) -> str | None:
    person = _person(request)
    return mask_id_number(person.id_number) if person is not None else None


def _id_number(request: Any) -> str | None:
    """The full number, released only under the ``id_number`` scope; each release is audited."""
    person = _person(request)
    if person is None:
        return None
    client = getattr(request, "client", None)
    audit_record(
        actor=f"oidc:{getattr(client, 'name', '') or getattr(client, 'client_id', '')}",
        actor_role="agency_client",
        action="identity.oidc.id_number_released",
        object_type="person",
        object_id=str(person.pk),
        purpose="single sign-on",
        detail={"user": request.user.get_username()},
    )
    return str(person.id_number)


def _phone(request: Any) -> str | None:
    return request.user.phone or None


class HrssOAuth2Validator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "id_number_masked": "profile",
        "id_number": "id_number",
    }

    def get_additional_claims(self) -> dict[str, Any]:  # type: ignore[override]  # request-agnostic form lists claims in discovery
        return {
            "name": _name,
            "preferred_username": lambda request: request.user.get_username(),
            "id_number_masked": _id_number_masked,
            "phone_number": _phone,
            "phone_number_verified": lambda request: bool(request.user.phone),
            "id_number": _id_number,
        }
