"""Writes to the registry: every value carries its source, and authority decides (A2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrss.codes.identifiers import CreditCode, IdNumber, parse_credit_code, parse_id_number
from hrss.core.audit import audit_record
from hrss.core.crypto import blind_index
from hrss.core.errors import InvalidInput, NotFound
from hrss.core.events import Event, publish
from hrss.core.scope import Scope
from hrss.registry.models import (
    AttributeChange,
    ConflictReview,
    Employer,
    Employment,
    ImportBatch,
    Person,
    Source,
    SourceAuthority,
)
from hrss.registry.rules import Decision, provenance_decision, rankings_from_rows

# attribute name -> model field holding it (foreign keys hold codes)
PERSON_FIELDS = {
    "name": "name",
    "household_district": "household_district_id",
    "residence_district": "residence_district_id",
    "phone": "phone",
    "death_date": "death_date",
    "education": "education_id",
}
EMPLOYER_FIELDS = {
    "name": "name",
    "industry": "industry_id",
    "district": "district_id",
    "size": "size",
    "contact_phone": "contact_phone",
}
ID_NUMBER_INDEX_PURPOSE = "person.id_number"


@dataclass(frozen=True)
class PersonRegistered(Event):
    person_id: Any


@dataclass(frozen=True)
class PersonDied(Event):
    person_id: Any
    death_date: dt.date


@dataclass
class ApplyResult:
    outcome: str  # created | updated | unchanged | conflict
    obj: Any
    changed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def id_number_index(value: str) -> str:
    return blind_index(value, purpose=ID_NUMBER_INDEX_PURPOSE)


def source_rankings(entity: str = "person") -> Mapping[str, list[str]]:
    rows = SourceAuthority.objects.filter(entity=entity).values_list("attribute", "source", "rank")
    return rankings_from_rows(list(rows))


def _as_stored(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, Decimal):
        return value
    return value if value is not None else ""


def _apply_values(
    obj: Any,
    *,
    fields_map: Mapping[str, str],
    values: Mapping[str, Any],
    source: str,
    rankings: Mapping[str, Sequence[str]],
    batch: ImportBatch | None,
    owner: str,
) -> tuple[list[str], list[str]]:
    """Apply each value under the provenance rules; return (changed, conflicted) attribute names."""
    changed, conflicted = [], []
    now = timezone.now().isoformat(timespec="seconds")
    for attribute, new_value in values.items():
        if attribute not in fields_map:
            continue
        field_name = fields_map[attribute]
        current_value = getattr(obj, field_name)
        current_source = (obj.sources.get(attribute) or {}).get("source")
        decision = provenance_decision(
            current_value=_as_stored(current_value) if current_value is not None else None,
            current_source=current_source,
            new_value=new_value,
            new_source=source,
            ranking=rankings.get(attribute, ()),
        )
        if decision in (Decision.APPLY, Decision.CONFIRM):
            if decision is Decision.APPLY:
                setattr(obj, field_name, new_value)
            obj.sources[attribute] = {"source": source, "at": now}
            changed.append(attribute)
            if obj.pk and not obj._state.adding:
                AttributeChange.objects.create(
                    **{owner: obj}, attribute=attribute, old_source=current_source or "", new_source=source, batch=batch
                )
        elif decision is Decision.CONFLICT:
            created = not ConflictReview.objects.filter(
                **{owner: obj}, attribute=attribute, proposed_source=source, status=ConflictReview.Status.OPEN
            ).exists()
            if created:
                ConflictReview.objects.create(
                    **{owner: obj},
                    attribute=attribute,
                    current_value=str(current_value),
                    current_source=current_source or "",
                    proposed_value=str(new_value),
                    proposed_source=source,
                    batch=batch,
                )
            conflicted.append(attribute)
    return changed, conflicted


@transaction.atomic
def person_apply(
    *,
    id_number: IdNumber,
    values: Mapping[str, Any],
    source: str,
    rankings: Mapping[str, Sequence[str]] | None = None,
    batch: ImportBatch | None = None,
) -> ApplyResult:
    """Create or update a person from one source's values, under the provenance rules.

    Idempotent: applying the same values from the same source again changes nothing.
    """
    if source not in Source.values:
        raise InvalidInput(_("Unknown data source."), fields={"source": source})
    rankings = rankings if rankings is not None else source_rankings("person")
    index = id_number_index(id_number.value)
    person = Person.objects.select_for_update().filter(id_number_index=index).first()
    created = person is None
    if person is None:
        if not values.get("name"):
            raise InvalidInput(_("A new person needs a name."), fields={"name": _("required")})
        person = Person(
            id_number=id_number.value,
            id_number_index=index,
            sex=id_number.sex,
            birth_date=id_number.birth_date,
            sources={
                "sex": {"source": Source.ID_NUMBER, "at": timezone.now().isoformat(timespec="seconds")},
                "birth_date": {"source": Source.ID_NUMBER, "at": timezone.now().isoformat(timespec="seconds")},
            },
        )
        person._state.adding = True
    changed, conflicts = _apply_values(
        person, fields_map=PERSON_FIELDS, values=values, source=source, rankings=rankings, batch=batch, owner="person"
    )
    if "death_date" in changed and person.death_date:
        person.status = Person.Status.DECEASED
    if created or changed:
        person.save()
    if created:
        publish(PersonRegistered(person_id=person.pk))
    if "death_date" in changed and person.death_date:
        publish(PersonDied(person_id=person.pk, death_date=person.death_date))
    outcome = "created" if created else "updated" if changed else "conflict" if conflicts else "unchanged"
    return ApplyResult(outcome, person, changed, conflicts)


@transaction.atomic
def employer_apply(
    *,
    credit_code: CreditCode,
    values: Mapping[str, Any],
    source: str,
    rankings: Mapping[str, Sequence[str]] | None = None,
    batch: ImportBatch | None = None,
) -> ApplyResult:
    """Create or update an employer (one per credit code) from one source's values."""
    rankings = rankings if rankings is not None else source_rankings("employer")
    employer = Employer.objects.select_for_update().filter(credit_code=credit_code.value).first()
    created = employer is None
    if employer is None:
        if not values.get("name"):
            raise InvalidInput(_("A new employer needs a name."), fields={"name": _("required")})
        employer = Employer(credit_code=credit_code.value)
    changed, conflicts = _apply_values(
        employer,
        fields_map=EMPLOYER_FIELDS,
        values=values,
        source=source,
        rankings=rankings,
        batch=batch,
        owner="employer",
    )
    if created or changed:
        employer.save()
    outcome = "created" if created else "updated" if changed else "conflict" if conflicts else "unchanged"
    return ApplyResult(outcome, employer, changed, conflicts)


@transaction.atomic
def employment_record(
    *,
    id_number: IdNumber,
    credit_code: CreditCode,
    start_date: dt.date,
    end_date: dt.date | None,
    occupation: str | None,
    monthly_wage: Decimal | None,
    source: str,
) -> ApplyResult:
    """Record an employment spell (idempotent on person, employer and start date)."""
    person = Person.objects.filter(id_number_index=id_number_index(id_number.value)).first()
    if person is None:
        raise NotFound(_("No person with this ID number is in the registry."), fields={"id_number": _("unknown")})
    employer = Employer.objects.filter(credit_code=credit_code.value).first()
    if employer is None:
        raise NotFound(_("No employer with this credit code is in the registry."), fields={"credit_code": _("unknown")})
    if end_date and end_date < start_date:
        raise InvalidInput(_("The end date is before the start date."), fields={"end_date": _("before start")})
    spell, created = Employment.objects.select_for_update().get_or_create(
        person=person,
        employer=employer,
        start_date=start_date,
        defaults={"end_date": end_date, "occupation_id": occupation, "monthly_wage": monthly_wage, "source": source},
    )
    if created:
        return ApplyResult("created", spell)
    wanted = {"end_date": end_date, "occupation_id": occupation, "monthly_wage": monthly_wage}
    changed = [name for name, value in wanted.items() if value is not None and getattr(spell, name) != value]
    if changed:
        for name in changed:
            setattr(spell, name, wanted[name])
        spell.source = source
        spell.save()
        return ApplyResult("updated", spell, changed)
    return ApplyResult("unchanged", spell)


@transaction.atomic
def conflict_decide(*, scope: Scope, conflict_id: Any, accept: bool) -> ConflictReview:
    """A reviewer accepts (the proposed value replaces the current one) or rejects a conflict."""
    conflict = (
        ConflictReview.objects.select_for_update().filter(pk=conflict_id, status=ConflictReview.Status.OPEN).first()
    )
    if conflict is None or not scope.is_staff:
        raise NotFound()
    if accept:
        target: Person | Employer | None = conflict.person or conflict.employer
        assert target is not None  # a conflict always belongs to a person or an employer
        fields_map = PERSON_FIELDS if conflict.person_id else EMPLOYER_FIELDS
        field_name = fields_map[conflict.attribute]
        value: Any = conflict.proposed_value
        if conflict.attribute == "death_date":
            value = dt.date.fromisoformat(value)
        setattr(target, field_name, value)
        target.sources[conflict.attribute] = {
            "source": conflict.proposed_source,
            "at": timezone.now().isoformat(timespec="seconds"),
            "reviewed_by": scope.actor,
        }
        target.save()
    conflict.status = ConflictReview.Status.ACCEPTED if accept else ConflictReview.Status.REJECTED
    conflict.decided_at = timezone.now()
    conflict.save()
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="registry.conflict.decide",
        object_type="conflict",
        object_id=str(conflict.pk),
        detail={"accept": accept, "attribute": conflict.attribute},
    )
    return conflict


__all__ = [
    "ApplyResult",
    "PersonDied",
    "PersonRegistered",
    "conflict_decide",
    "employer_apply",
    "employment_record",
    "id_number_index",
    "parse_credit_code",
    "parse_id_number",
    "person_apply",
    "source_rankings",
]
