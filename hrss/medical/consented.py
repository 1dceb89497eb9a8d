"""The open interface for designated institutions (S4): a person's medical visits, their bills
(prescriptions and items) and costs, read by an institution only with the person's consent.

The consent is the exchange's (``hrss/exchange``): the person makes a code there for a medical
institution (``use="medical"``), sees it among their codes, revokes it, and sees every answer
given about them. This module only says who may ask (an agency client with the grant
``medical:records`` bound to a designated institution) and what the answer holds; the check of
the code, the signature, the record the person sees and the audit entry are the exchange's,
reached through ``hrss.core.exchange.consented`` (the apps do not import each other).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core import exchange as offered
from hrss.core.errors import InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.medical.models import Claim, ClaimLine, Institution
from hrss.medical.schemas import MedicalClaimOut

GRANT = "medical:records"
USE = "medical"  # the exchange's Consent.Use for medical institutions
LIMIT = 200  # visits in one answer, newest first
DEFAULT_DAYS = 365


def institution_reading(scope: Scope) -> Institution:
    """The designated institution the calling client reads for (the grant and the binding)."""
    if GRANT not in scope.grants:
        raise PermissionDenied(
            _("Only designated institutions with the grant may read insured persons' visits."),
            code="medical_grant_missing",
        )
    institution = Institution.objects.filter(client_name=scope.actor).first()
    if institution is None:
        raise PermissionDenied(
            _("This client is not bound to a designated institution."), code="medical_institution_unbound"
        )
    return institution


def visits_body(person_id: uuid.UUID, *, since: dt.date, until: dt.date) -> dict[str, Any]:
    """The person's settlements, reversals and refunds with visit dates in ``[since, until]``,
    newest first, with their lines (two queries)."""
    claims = list(
        Claim.objects.filter(person_id=person_id, visit_date__gte=since, visit_date__lte=until)
        .select_related("institution", "original")
        .prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.order_by("line_no")))
        .order_by("-visit_date", "-created_at")[: LIMIT + 1]
    )
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "complete": len(claims) <= LIMIT,
        "visits": [MedicalClaimOut.from_orm(claim).model_dump(mode="json") for claim in claims[:LIMIT]],
    }


def visits_read(
    *,
    scope: Scope,
    id_number: str,
    consent_code: str,
    purpose: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> dict[str, Any]:
    """A person's visits and costs for the calling institution, with the person's consent code
    for a medical institution: ``{"answer", "jws"}``, signed, recorded and audited by the
    exchange. Without the grant or a valid code: 403; no such person: 404."""
    institution = institution_reading(scope)
    until = until or timezone.localdate()
    since = since or until - dt.timedelta(days=DEFAULT_DAYS)
    if since > until:
        raise InvalidInput(fields={"since": _("on or before the end of the period")})

    def read(person_id: uuid.UUID) -> dict[str, Any]:
        return {"institution": institution.code, **visits_body(person_id, since=since, until=until)}

    return offered.consented(
        scope=scope,
        grant=GRANT,
        use=USE,
        id_number=id_number,
        consent_code=consent_code,
        purpose=purpose,
        read=read,
    )
