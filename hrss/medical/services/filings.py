"""Filings for treatment in another region (异地就医备案, S5), recorded by the hall's item
SH-YB-001 once approved (``servicetasks.filing_record``)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from hrss.codes.identifiers import address_code_known
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput
from hrss.core.scope import Scope
from hrss.medical.models import Filing, Insured


def filing_record(
    *,
    scope: Scope,
    person_id: uuid.UUID,
    kind: str,
    region: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    reference: str,
    hospital: str = "",
) -> Filing:
    """Record a filing; the application's reference makes a second run answer the first."""
    earlier = Filing.objects.filter(reference=reference).first()
    if earlier is not None:
        return earlier
    if kind not in Filing.Kind.values:
        raise InvalidInput(fields={"filing_type": _("not a kind of filing")})
    region = (region or "").strip()
    # A pooling region: a prefecture-level (or municipality's) GB/T 2260 code, as python-stdnum knows them.
    if not (len(region) == 6 and region.isdigit() and region.endswith("00") and address_code_known(region)):
        raise InvalidInput(
            _("The place of treatment is not a GB/T 2260 region code."),
            code="filing_region_unknown",
            fields={"region": region},
        )
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(fields={"valid_to": _("not before the first day")})
    insured = Insured.objects.filter(person_id=person_id).first()
    if insured is None:
        raise Conflict(_("This person has no basic medical insurance with us."), code="medical_not_insured")
    if insured.region == region:
        raise InvalidInput(
            _("The place of treatment is the insuring region: no filing is needed."), code="filing_same_region"
        )
    with transaction.atomic():
        filing = Filing.objects.create(
            person_id=person_id,
            kind=kind,
            region=region,
            valid_from=valid_from,
            valid_to=valid_to,
            reference=reference,
            hospital=hospital[:120],
        )
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="medical.filing",
            object_type="person",
            object_id=str(person_id),
            detail={"kind": kind, "region": region, "reference": reference},
        )
    return filing
