"""Institutions (T1, T2): staff register an employer as a training institution or appraisal
body with its licence, scope and capacity, add its sites and approvals; each institution's
rating is computed from completion, certification and employment six months later."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.selectors import district_current_code
from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, APPROVER, Scope
from hrss.registry.models import Employer, Employment
from hrss.training.models import AppraisalApproval, Certificate, Enrolment, Institution, Qualification, Site
from hrss.training.services.access import audit

RATING_WEIGHTS = {"completion": Decimal("0.4"), "certification": Decimal("0.4"), "employment": Decimal("0.2")}
EMPLOYMENT_AFTER = dt.timedelta(days=182)


def _registrar(scope: Scope) -> None:
    if not scope.has_role(APPROVER, ADMINISTRATOR):
        raise PermissionDenied()


@transaction.atomic
def institution_register(*, scope: Scope, employer_id: uuid.UUID, values: dict[str, Any]) -> Institution:
    """Register (or update) an employer as an institution of a kind, with its licence and scope."""
    _registrar(scope)
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None:
        raise NotFound()
    kind = str(values.get("kind") or "")
    if kind not in Institution.Kind.values:
        raise InvalidInput(fields={"kind": _("Choose training or appraisal.")})
    codes = sorted(set(values.get("scope") or []))
    qualifications = list(Qualification.objects.filter(code__in=codes))
    if len(qualifications) != len(codes) or not codes:
        raise InvalidInput(fields={"scope": _("Name occupations of the catalogue.")})
    institution, _created = Institution.objects.update_or_create(
        employer=employer,
        kind=kind,
        defaults={
            "name": str(values.get("name") or employer.name)[:200],
            "licence_number": str(values["licence_number"])[:60],
            "licence_valid_until": values["licence_valid_until"],
            "capacity": int(values["capacity"]),
        },
    )
    institution.scope.set(qualifications)
    audit(scope, "training.institution_register", "institution", institution.pk, kind=kind)
    return institution


@transaction.atomic
def site_add(*, scope: Scope, institution_id: uuid.UUID, values: dict[str, Any]) -> Site:
    _registrar(scope)
    institution = Institution.objects.filter(pk=institution_id).first()
    if institution is None:
        raise NotFound()
    district = district_current_code(str(values.get("district") or ""))
    if district is None:
        raise InvalidInput(fields={"district": _("Unknown district.")})
    if int(values.get("capacity") or 0) < 1:
        raise InvalidInput(fields={"capacity": _("Enter a number above zero.")})
    site = Site.objects.create(
        institution=institution,
        name=str(values["name"])[:100],
        district_id=district,
        address=str(values.get("address") or "")[:200],
        room=str(values.get("room") or "")[:40],
        capacity=int(values["capacity"]),
    )
    audit(scope, "training.site_add", "site", site.pk, institution=str(institution.pk))
    return site


@transaction.atomic
def approval_add(
    *, scope: Scope, body_id: uuid.UUID, qualification: str, levels: list[int], document: str
) -> AppraisalApproval:
    _registrar(scope)
    body = Institution.objects.filter(pk=body_id, kind=Institution.Kind.APPRAISAL).first()
    found = Qualification.objects.filter(code=qualification).first()
    if body is None or found is None:
        raise NotFound()
    if not levels or any(level not in found.levels for level in levels):
        raise InvalidInput(fields={"levels": _("This occupation has no such level.")})
    approval, _created = AppraisalApproval.objects.update_or_create(
        body=body,
        qualification=found,
        defaults={"levels": sorted(set(levels)), "approved_on": timezone.localdate(), "document": document[:100]},
    )
    audit(scope, "training.approval_add", "institution", body.pk, qualification=qualification)
    return approval


@transaction.atomic
def institution_rate(*, institution: Institution, today: dt.date | None = None) -> Institution:
    """The rating (0-100): completion share, certification share of completers, and the share
    of completers employed six months after completing (from the registry's spells)."""
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(course__institution=institution)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .values_list("person_id", "status", "completed_on", "course__qualification_id", "course__level")
    )
    if not enrolments:
        return institution
    completed = [row for row in enrolments if row[1] == Enrolment.Status.COMPLETED]
    certified = {
        (person, qualification, level)
        for person, qualification, level in Certificate.objects.filter(
            person_id__in=[row[0] for row in completed], status=Certificate.Status.VALID
        ).values_list("person_id", "qualification_id", "level")
    }
    due = [row for row in completed if row[2] and row[2] + EMPLOYMENT_AFTER <= today]
    employed = 0
    for person, _status, completed_on, _qualification, _level in due:
        when = (completed_on or today) + EMPLOYMENT_AFTER
        employed += (
            Employment.objects.filter(person_id=person, start_date__lte=when).exclude(end_date__lt=when).exists()
        )

    def share(part: int, whole: int) -> Decimal:
        return Decimal(part) / whole if whole else Decimal(0)

    parts = {
        "completion": share(len(completed), len(enrolments)),
        "certification": share(sum((row[0], row[3], row[4]) in certified for row in completed), len(completed)),
        "employment": share(employed, len(due)),
    }
    rating = sum((RATING_WEIGHTS[name] * value for name, value in parts.items()), Decimal(0)) * 100
    institution.rating = rating.quantize(Decimal("0.01"))
    institution.rating_detail = {name: str(value.quantize(Decimal("0.0001"))) for name, value in parts.items()}
    institution.rated_on = today
    institution.save(update_fields=["rating", "rating_detail", "rated_on", "updated_at"])
    return institution
