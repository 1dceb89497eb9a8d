"""What a person sees of the exchange: who asked about them, why and what they were told, and
the consent codes they gave."""

from __future__ import annotations

from django.utils import timezone

from hrss.core.scope import Scope
from hrss.exchange.models import Consent, Inquiry

PAGE = 50


def inquiries_mine(*, scope: Scope, limit: int = PAGE) -> list[Inquiry]:
    if scope.person_id is None or scope.is_staff:
        return []
    return list(Inquiry.objects.filter(person_id=scope.person_id).order_by("-created_at")[:limit])


def consents_mine(*, scope: Scope, limit: int = PAGE) -> list[Consent]:
    if scope.person_id is None or scope.is_staff:
        return []
    return list(Consent.objects.filter(person_id=scope.person_id).order_by("-created_at")[:limit])


def consent_active(consent: Consent) -> bool:
    return consent.revoked_at is None and consent.expires_at > timezone.now()
