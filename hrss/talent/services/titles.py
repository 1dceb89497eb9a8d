"""Professional titles (职称, R1): the bureau records the titles its evaluation committees
award, with their certificate numbers, and revokes one with a reason (a title obtained by
fraud, 撤销职称). The record is what the holder sees among their certificates, what other
departments verify through the exchange and what the green card's title route reads."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.identifiers import parse_id_number
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.registry.models import Person
from hrss.registry.services import id_number_index
from hrss.talent.apps import TITLE_OFFICE
from hrss.talent.models import ProfessionalTitle, TitleLevel, TitleStatus
from hrss.talent.services.access import audit


def _office(scope: Scope) -> None:
    if not scope.has_role(*TITLE_OFFICE):
        raise PermissionDenied()


def _text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(fields={field: _("This field is required.")})
    if len(value) > limit:
        raise InvalidInput(fields={field: _("At most %(n)d characters.") % {"n": limit}})
    return value


def title_record(
    *,
    scope: Scope,
    id_number: str,
    name: str,
    number: str,
    series: str,
    speciality: str,
    title: str,
    level: str,
    committee: str,
    issued_on: dt.date,
) -> ProfessionalTitle:
    """Record a title awarded to a person of the registry (ID number and name must both
    match, and the person must live in the caller's districts). A retry with the same
    certificate number and the same holder answers with the first record; the number held
    by another record is refused (``title_number_taken``)."""
    _office(scope)
    number = _text(number, "number", 30).upper()
    fields = {
        "series": _text(series, "series", 50),
        "speciality": _text(speciality, "speciality", 100, required=False),
        "name": _text(title, "title", 50),
        "committee": _text(committee, "committee", 200),
    }
    if level not in TitleLevel.values:
        raise InvalidInput(fields={"level": _("Choose a level of the list.")})
    if issued_on > timezone.localdate() or issued_on < dt.date(1978, 1, 1):
        raise InvalidInput(fields={"issued_on": _("The award date must be between 1978 and today.")})
    holder = parse_id_number(id_number).value
    person = Person.objects.filter(id_number_index=id_number_index(holder)).first()
    if person is None or person.name != name.strip():
        raise NotFound(_("No person with this ID number and name is in the registry."), code="person_not_found")
    if not scope.covers_district(person.residence_district_id):
        raise NotFound(_("No person with this ID number and name is in the registry."), code="person_not_found")
    earlier = ProfessionalTitle.objects.filter(number=number).first()
    if earlier is not None:
        if earlier.person_id == person.pk and earlier.name == fields["name"] and earlier.level == level:
            return earlier
        raise Conflict(_("This certificate number is already recorded."), code="title_number_taken")
    try:
        with transaction.atomic():
            row = ProfessionalTitle.objects.create(
                person=person, number=number, level=level, issued_on=issued_on, recorded_by=scope.actor, **fields
            )
    except IntegrityError:  # a concurrent record of the same number
        raise Conflict(_("This certificate number is already recorded."), code="title_number_taken") from None
    audit(scope, "talent.title_record", "talent_title", row.pk, person=str(person.pk), level=level)
    return row


def title_revoke(*, scope: Scope, title_id: uuid.UUID, reason: str) -> ProfessionalTitle:
    """Revoke a title with the reason the holder reads; revoking it again answers the same."""
    _office(scope)
    reason = _text(reason, "reason", 500)
    with transaction.atomic():
        row = (
            ProfessionalTitle.objects.select_for_update(of=("self",))
            .filter(pk=title_id)
            .select_related("person")
            .first()
        )
        if row is None or not scope.covers_district(row.person.residence_district_id):
            raise NotFound()
        if row.status == TitleStatus.REVOKED:
            return row
        row.status = TitleStatus.REVOKED
        row.revoked_reason = reason
        row.save(update_fields=["status", "revoked_reason", "updated_at"])
        audit(scope, "talent.title_revoke", "talent_title", row.pk, person=str(row.person_id))
    return row
