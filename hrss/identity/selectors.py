"""Reads about the signed-in account: its bound person, its sessions, its authorised apps.

The subject is always the account itself, so no wider scope is involved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrss.core.logging import mask_id_number, mask_phone
from hrss.identity.models import AccountSession, ClientGrant, User
from hrss.identity.scopes import ALL_SCOPES


@dataclass(frozen=True)
class AccountSummary:
    username: str
    roles: list[str]
    person_name: str | None
    id_number_masked: str | None
    phone_masked: str | None
    employer_name: str | None
    employer_credit_code: str | None
    second_factor: bool


@dataclass(frozen=True)
class AuthorisedApp:
    application_id: int
    name: str
    scopes: list[str]
    scope_descriptions: list[str] = field(default_factory=list)
    last_authorised: dt.datetime | None = None


def account_summary(*, user: User) -> AccountSummary:
    person = user.person
    employer = user.employer
    return AccountSummary(
        username=user.get_username(),
        roles=sorted(user.role_codes()),
        person_name=person.name if person else None,
        id_number_masked=mask_id_number(person.id_number) if person else None,
        phone_masked=mask_phone(user.phone) if user.phone else None,
        employer_name=employer.name if employer else None,
        employer_credit_code=employer.credit_code if employer else None,
        second_factor=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
    )


def sessions_active(*, user: User) -> list[AccountSession]:
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(AccountSession.objects.filter(user=user, ended_at__isnull=True, session_key__in=live))


def authorised_apps(*, user: User) -> list[AuthorisedApp]:
    """Relying parties holding a live token for this account (what revoking would cut off)."""
    from oauth2_provider.models import get_access_token_model, get_refresh_token_model

    now = timezone.now()
    found: dict[int, dict[str, object]] = {}
    tokens = get_access_token_model().objects.filter(user=user, expires__gt=now).select_related("application")
    refresh = get_refresh_token_model().objects.filter(user=user, revoked__isnull=True).select_related("application")
    for token in [*tokens, *refresh]:
        application = token.application
        if application is None:
            continue
        entry = found.setdefault(application.pk, {"name": application.name, "scopes": set(), "at": None})
        scope_text = getattr(token, "scope", "") or getattr(getattr(token, "access_token", None), "scope", "") or ""
        entry["scopes"].update(scope_text.split())  # type: ignore[attr-defined]
        created = getattr(token, "created", None)
        if created and (entry["at"] is None or created > entry["at"]):  # type: ignore[operator]
            entry["at"] = created
    relying = set(
        ClientGrant.objects.filter(application_id__in=found, kind=ClientGrant.Kind.RELYING_PARTY).values_list(
            "application_id", flat=True
        )
    )
    apps = []
    for pk, entry in found.items():
        scopes = sorted(entry["scopes"])  # type: ignore[call-overload]
        apps.append(
            AuthorisedApp(
                application_id=pk,
                name=str(entry["name"]),
                scopes=scopes,
                scope_descriptions=[str(ALL_SCOPES.get(s, s)) for s in scopes],
                last_authorised=entry["at"],  # type: ignore[arg-type]
            )
        )
    return sorted(apps, key=lambda app: (app.application_id not in relying, app.name))
