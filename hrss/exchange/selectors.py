"""What a person sees of the exchange: who asked about them, why and what they were told, and
the consent codes they gave."""

from __future__ import annotations

from django.utils import timezone

from hrss.core import exchange as offered
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


def certificates_mine(*, scope: Scope) -> list[dict[str, object]]:
    """Every certificate and published score of the caller the apps know (R1): what a
    department would be told when it verifies one by number with the caller's ID number."""
    if scope.person_id is None or scope.is_staff:
        return []
    return [
        {
            "kind": check.kind,
            "kind_label": offered.label(check.kind),
            "number": check.number,
            "title": check.title,
            "valid": check.valid,
            "issued_on": check.issued_on,
        }
        for check in offered.certificates_of(scope.person_id, on=timezone.localdate())
    ]
