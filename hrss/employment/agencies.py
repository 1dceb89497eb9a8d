"""Licensed HR agencies (E1, 人力资源服务许可证): their licences and the vacancies they post.

- ``licence_record`` / ``licence_revoke``: the bureau's administrators record a licence
  (its number, the agency, the agency client it belongs to by name, the districts it may
  serve, its validity) and revoke it.
- ``agency_vacancy_post`` / ``agency_vacancy_close``: an agency client with the grant
  ``employment:vacancies`` posts a vacancy for an employer named by its credit code, only
  while a licence of its own covering the vacancy's district is in force, and closes only
  the vacancies it posted.

Every write is atomic and audited; the agency's reads are in ``selectors`` (audited too).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes import selectors as codes
from hrss.codes.identifiers import parse_credit_code
from hrss.core import scope as roles
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment import services
from hrss.employment.models import AgencyLicence, Vacancy
from hrss.registry.models import Employer

GRANT = "employment:vacancies"
LICENCE_ROLES = frozenset({roles.ADMINISTRATOR})


def _audit(scope: Scope, action: str, object_type: str, object_id: Any, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )


def licence_staff(scope: Scope) -> None:
    if not scope.has_role(*LICENCE_ROLES):
        raise PermissionDenied()


def in_force(licence: AgencyLicence, today: dt.date) -> bool:
    return licence.revoked_at is None and licence.valid_from <= today <= licence.valid_until


@transaction.atomic
def licence_record(
    *,
    scope: Scope,
    licence_number: str,
    agency_name: str,
    client_name: str,
    districts: list[str],
    valid_from: dt.date,
    valid_until: dt.date,
) -> AgencyLicence:
    """Record an agency's licence (administrators). A number already recorded is refused."""
    licence_staff(scope)
    errors: dict[str, str] = {}
    number, agency, client = licence_number.strip(), agency_name.strip(), client_name.strip()
    if not number:
        errors["licence_number"] = _("Enter the licence number.")
    if not agency:
        errors["agency_name"] = _("Enter the agency's name.")
    if not client:
        errors["client_name"] = _("Enter the name of the agency's client.")
    current = sorted({codes.district_current_code(code) or "" for code in districts})
    if not districts or "" in current:
        errors["districts"] = _("Choose the districts the licence covers.")
    if valid_until < valid_from:
        errors["valid_until"] = _("The licence cannot end before it starts.")
    if errors:
        raise InvalidInput(fields=errors)
    if AgencyLicence.objects.filter(licence_number=number).exists():
        raise Conflict(_("This licence number is already recorded."), code="licence_exists")
    try:
        with transaction.atomic():
            licence = AgencyLicence.objects.create(
                licence_number=number[:40],
                agency_name=agency[:200],
                client_name=client[:200],
                districts=current,
                valid_from=valid_from,
                valid_until=valid_until,
                recorded_by=scope.actor,
            )
    except IntegrityError as error:
        raise Conflict(_("This licence number is already recorded."), code="licence_exists") from error
    _audit(scope, "employment.licence_record", "agency_licence", licence.pk, number=number, client=client)
    return licence


@transaction.atomic
def licence_revoke(*, scope: Scope, licence_id: uuid.UUID, reason: str) -> AgencyLicence:
    """Revoke a licence (administrators); revoking a revoked one changes nothing."""
    licence_staff(scope)
    licence = AgencyLicence.objects.select_for_update().filter(pk=licence_id).first()
    if licence is None:
        raise NotFound()
    if licence.revoked_at is not None:
        return licence
    reason = reason.strip()
    if not reason:
        raise InvalidInput(fields={"reason": _("Give the reason for revoking the licence.")})
    licence.revoked_at, licence.revoked_by, licence.revoke_reason = timezone.now(), scope.actor, reason[:500]
    licence.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    _audit(scope, "employment.licence_revoke", "agency_licence", licence.pk, number=licence.licence_number)
    return licence


# --- the agency's vacancies ---------------------------------------------------------------------


def agency_check(scope: Scope) -> None:
    """An agency client with the grant (anyone else is refused)."""
    if not scope.has_role(roles.AGENCY_CLIENT) or GRANT not in scope.grants:
        raise PermissionDenied(
            _("Only licensed HR agencies post vacancies for employers."), code="agency_grant_missing"
        )


def _licence_for(scope: Scope) -> Any:
    """The check of a post's district: a licence of this client in force covering it."""
    licences = list(AgencyLicence.objects.filter(client_name=scope.actor).order_by("-valid_until", "licence_number"))
    today = timezone.localdate()

    def check(district: str) -> AgencyLicence:
        if not licences:
            raise PermissionDenied(_("This client holds no HR service licence."), code="agency_unlicensed")
        for licence in licences:
            if in_force(licence, today) and district in licence.districts:
                return licence
        raise PermissionDenied(
            _("No HR service licence of this agency in force covers the vacancy's district."),
            code="licence_not_in_force",
        )

    return check


@transaction.atomic
def agency_vacancy_post(
    *, scope: Scope, credit_code: str, values: dict[str, Any], idempotency_key: str = ""
) -> Vacancy:
    """An agency posts a vacancy for the employer with this credit code (in the registry)."""
    agency_check(scope)
    code = parse_credit_code(credit_code).value
    employer = Employer.objects.filter(credit_code=code).first()
    if employer is None:
        raise NotFound(_("No employer with this credit code is registered."))
    check = _licence_for(scope)
    return services.vacancy_create(
        scope=scope, employer=employer, values=values, idempotency_key=idempotency_key, licence_check=check
    )


@transaction.atomic
def agency_vacancy_close(*, scope: Scope, vacancy_id: uuid.UUID) -> Vacancy:
    """Close a vacancy this agency posted (another's is not found)."""
    agency_check(scope)
    vacancy = Vacancy.objects.select_for_update().filter(pk=vacancy_id, agency_client=scope.actor).first()
    if vacancy is None:
        raise NotFound()
    if vacancy.status == Vacancy.Status.OPEN:
        vacancy.status = Vacancy.Status.CLOSED
        vacancy.save(update_fields=["status", "updated_at"])
        _audit(scope, "employment.vacancy_close", "vacancy", vacancy.pk, agency=scope.actor)
    return vacancy
