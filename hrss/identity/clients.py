"""Registering OAuth2/OIDC clients: relying parties (single sign-on) and agency systems (A6)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from hrss.core.audit import audit_record
from hrss.core.errors import InvalidInput
from hrss.identity.models import ClientGrant
from hrss.identity.scopes import AGENCY_SCOPES, OIDC_SCOPES, RELYING_PARTY_DEFAULT_SCOPES, scopes_parse


@dataclass(frozen=True)
class ClientCredentials:
    """Shown once: only a hash of the secret is stored."""

    name: str
    client_id: str
    client_secret: str
    scopes: list[str]
    kind: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _uri_check(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
        raise InvalidInput(
            _("Give an absolute http(s) address without a fragment."), code="invalid_redirect_uri", fields={"uri": uri}
        )
    return uri


def _name_check(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(fields={"name": _("Give the client a name.")})
    return name


def relying_party_create(
    *,
    name: str,
    redirect_uris: list[str],
    post_logout_redirect_uris: list[str] | None = None,
    scopes: list[str] | None = None,
    actor: str = "system",
) -> ClientCredentials:
    """Register a department's system that signs its users in through hrss (authorisation code + PKCE)."""
    name = _name_check(name)
    if not redirect_uris:
        raise InvalidInput(fields={"redirect_uri": _("Give at least one redirect address.")})
    uris = [_uri_check(uri) for uri in redirect_uris]
    if post_logout_redirect_uris is None:
        first = urlsplit(uris[0])
        post_logout_redirect_uris = [f"{first.scheme}://{first.netloc}/"]
    logout_uris = [_uri_check(uri) for uri in post_logout_redirect_uris]
    granted = scopes_parse(scopes or list(RELYING_PARTY_DEFAULT_SCOPES), allowed=OIDC_SCOPES)
    if "openid" not in granted:
        granted = sorted({*granted, "openid"})
    Application = get_application_model()
    secret = generate_client_secret()
    with transaction.atomic():
        application = Application(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(uris),
            post_logout_redirect_uris=" ".join(logout_uris),
            algorithm=Application.RS256_ALGORITHM,
            client_secret=secret,
            skip_authorization=False,
        )
        application.save()
        ClientGrant.objects.create(
            application=application, kind=ClientGrant.Kind.RELYING_PARTY, scopes=" ".join(granted), created_by=actor
        )
        audit_record(
            actor=actor,
            action="identity.client.created",
            object_type="oauth_application",
            object_id=str(application.pk),
            detail={"kind": "relying_party", "name": name, "scopes": granted},
        )
    return ClientCredentials(name, application.client_id, secret, granted, ClientGrant.Kind.RELYING_PARTY)


def agency_client_create(*, name: str, scopes: list[str], actor: str = "system") -> ClientCredentials:
    """Register another department's system for the exchange and verification APIs (client credentials)."""
    name = _name_check(name)
    granted = scopes_parse(scopes, allowed=AGENCY_SCOPES)
    if not granted:
        raise InvalidInput(fields={"scopes": _("Grant at least one scope.")})
    Application = get_application_model()
    secret = generate_client_secret()
    with transaction.atomic():
        application = Application(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            redirect_uris="",
            client_secret=secret,
        )
        application.save()
        ClientGrant.objects.create(
            application=application, kind=ClientGrant.Kind.AGENCY, scopes=" ".join(granted), created_by=actor
        )
        audit_record(
            actor=actor,
            action="identity.client.created",
            object_type="oauth_application",
            object_id=str(application.pk),
            detail={"kind": "agency", "name": name, "scopes": granted},
        )
    return ClientCredentials(name, application.client_id, secret, granted, ClientGrant.Kind.AGENCY)
