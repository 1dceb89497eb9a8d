"""Biometric verification delegated to a certified provider (A6, S3).

hrss does no face matching itself. A provider receives a reference to a photo or a
liveness video (already stored by the capturing channel) and answers match or no match
with a score and an evidence id that the provider keeps. ``HRSS_BIOMETRIC_PROVIDER``
chooses the provider class:

- ``RecordingProvider`` (development, tests): records each request and answers from a
  configured table ``{reference: {"matched": bool, "score": float}}``; anything not in
  the table is "no match" with score 0.
- ``HttpBiometricProvider``: posts a signed JSON request to ``HRSS_BIOMETRIC_URL``.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.audit import audit_record
from hrss.core.errors import DomainError, InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.models import BiometricCheck
from hrss.notify.backends import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from hrss.registry import selectors as registry

BIOMETRIC_GRANT = "verify:biometric"


class ProviderUnavailable(DomainError):
    status = 503
    code = "biometric_provider_unavailable"
    default_message = _("The biometric verification service is not available. Please try again later.")


@dataclass(frozen=True)
class BiometricRequest:
    request_id: str
    person_ref: str  # the registry person's id: the provider never receives the ID number from us
    kind: str  # photo | liveness_video
    reference: str
    purpose: str


@dataclass(frozen=True)
class BiometricResult:
    matched: bool
    score: Decimal
    evidence_id: str


class BiometricProvider(Protocol):
    name: str

    def verify(self, request: BiometricRequest) -> BiometricResult: ...


# Requests the recording provider received, newest last (for tests and development).
recorded: list[BiometricRequest] = []


class RecordingProvider:
    name = "recording"

    def __init__(self, table: dict[str, Any] | None = None) -> None:
        self.table = table if table is not None else self._load(getattr(settings, "HRSS_BIOMETRIC_TABLE", ""))

    @staticmethod
    def _load(source: Any) -> dict[str, Any]:
        if isinstance(source, dict):
            return source
        if source and Path(source).is_file():
            return dict(json.loads(Path(source).read_text()))
        return {}

    def verify(self, request: BiometricRequest) -> BiometricResult:
        recorded.append(request)
        answer = self.table.get(request.reference) or {}
        return BiometricResult(
            matched=bool(answer.get("matched", False)),
            score=Decimal(str(answer.get("score", 0))).quantize(Decimal("0.0001")),
            evidence_id=f"dev-{request.request_id}",
        )


class HttpBiometricProvider:
    """A certified provider's gateway: signed JSON in, ``{"matched", "score", "evidence_id"}`` out."""

    name = "http"

    def __init__(self, *, url: str | None = None, secret: str | None = None, timeout: float = 10.0) -> None:
        self.url: str = url or getattr(settings, "HRSS_BIOMETRIC_URL", "") or ""
        self.secret: str = secret or getattr(settings, "HRSS_BIOMETRIC_SECRET", "") or ""
        self.timeout = timeout

    def verify(self, request: BiometricRequest) -> BiometricResult:
        if not self.url:
            raise ProviderUnavailable()
        body = json.dumps(
            {
                "request_id": request.request_id,
                "subject": request.person_ref,
                "kind": request.kind,
                "reference": request.reference,
                "purpose": request.purpose,
            },
            separators=(",", ":"),
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self.secret, timestamp, body),
        }
        try:
            response = httpx.post(self.url, content=body, headers=headers, timeout=self.timeout)
            response.raise_for_status()
            answer = response.json()
            return BiometricResult(
                matched=bool(answer["matched"]),
                score=Decimal(str(answer["score"])).quantize(Decimal("0.0001")),
                evidence_id=str(answer["evidence_id"]),
            )
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise ProviderUnavailable() from exc


def provider() -> BiometricProvider:
    path = getattr(settings, "HRSS_BIOMETRIC_PROVIDER", "") or "hrss.identity.biometrics.RecordingProvider"
    return import_string(path)()  # type: ignore[no-any-return]


def biometric_verify(
    *, scope: Scope, person_id: uuid.UUID | str, kind: str, reference: str, purpose: str
) -> BiometricCheck:
    """Compare a captured photo or liveness video with the person, through the provider; keep the evidence.

    Staff, agency clients granted ``verify:biometric`` and a citizen for themself may ask.
    """
    if kind not in BiometricCheck.Kind.values:
        raise InvalidInput(fields={"kind": _("Use photo or liveness_video.")})
    if not reference.strip() or not purpose.strip():
        raise InvalidInput(fields={"reference": _("Give the media reference and the purpose.")})
    allowed = (
        scope.is_staff
        or (scope.has_role(roles.AGENCY_CLIENT) and BIOMETRIC_GRANT in scope.grants)
        or (scope.person_id is not None and str(scope.person_id) == str(person_id))
    )
    if not allowed:
        raise PermissionDenied()
    lookup_scope = scope if scope.is_staff or scope.person_id else Scope.system(scope.actor)
    person = registry.person_queryset(scope=lookup_scope).filter(pk=person_id).first()
    if person is None:
        raise PermissionDenied()
    return biometric_compare(
        person=person,
        kind=kind,
        reference=reference,
        purpose=purpose,
        actor=scope.actor,
        actor_role=scope.primary_role,
    )


def biometric_compare(
    *, person: Any, kind: str, reference: str, purpose: str, actor: str, actor_role: str = ""
) -> BiometricCheck:
    """Ask the provider whether the capture shows this person; keep the evidence and audit it.

    The caller has already decided that ``actor`` may ask (``biometric_verify`` by scope; the
    kiosk's sign-in for the person who typed their ID number in front of its camera).
    """
    chosen = provider()
    request = BiometricRequest(
        request_id=str(uuid.uuid4()), person_ref=str(person.pk), kind=kind, reference=reference, purpose=purpose
    )
    result = chosen.verify(request)  # outside the transaction: a slow provider holds no lock
    with transaction.atomic():
        check = BiometricCheck.objects.create(
            person=person,
            kind=kind,
            reference=reference,
            purpose=purpose,
            provider=chosen.name,
            matched=result.matched,
            score=result.score,
            evidence_id=result.evidence_id,
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            actor_role=actor_role,
            action="identity.biometric.verified",
            object_type="person",
            object_id=str(person.pk),
            purpose=purpose,
            detail={"matched": result.matched, "score": str(result.score), "evidence_id": result.evidence_id},
        )
    return check
