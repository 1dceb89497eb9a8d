"""Talent programmes (人才计划/人才项目库, R1): the office creates a programme (its window,
funding, scoring criteria; experts per declaration and notice days default from the dated
``talent.programme.*`` parameters), keeps the expert pool (专家库) and its conflicts of
interest; a citizen declares for an open programme (项目申报), once; the office's formal check
accepts the declaration for review or refuses it with a reason. Every write atomic and
audited."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.codes.identifiers import parse_id_number
from hrss.codes.models import District
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.registry.models import Employer, Person
from hrss.registry.services import id_number_index
from hrss.talent import programme_selectors as reads
from hrss.talent import rules
from hrss.talent.errors import DeclarationState, DeclarationWindowClosed
from hrss.talent.programme_models import (
    Declaration,
    DeclarationStatus,
    Expert,
    ExpertConflict,
    Programme,
    ProgrammeLevel,
)
from hrss.talent.programme_policy import EXPERTS_PER_DECLARATION, NOTICE_DAYS, programme_figure
from hrss.talent.services.access import audit

CRITERIA_PROBLEMS = {
    "criteria_missing": gettext_lazy("Give at least one scoring criterion."),
    "criteria_too_many": gettext_lazy("At most 12 scoring criteria."),
    "criterion_malformed": gettext_lazy("Each criterion is a name and its maximum points."),
    "criterion_name": gettext_lazy("Each criterion needs a name of at most 50 characters."),
    "criterion_duplicate": gettext_lazy("Two criteria have the same name: %(subject)s."),
    "criterion_points": gettext_lazy("The maximum points of %(subject)s must be a whole number from 1 to 100."),
}


def _office(scope: Scope) -> None:
    if not reads.is_office(scope):
        raise PermissionDenied()


def text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(fields={field: _("This field is required.")})
    if len(value) > limit:
        raise InvalidInput(fields={field: _("At most %(n)d characters.") % {"n": limit}})
    return value


def money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(fields={field: _("Enter an amount in yuan, e.g. 200000.00.")}) from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e10") or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(fields={field: _("Enter an amount in yuan above zero, with at most two decimals.")})
    return amount


def criteria_checked(raw: Any) -> list[dict[str, Any]]:
    try:
        parsed = rules.criteria_parse(raw)
    except rules.ReviewRuleError as error:
        message = str(CRITERIA_PROBLEMS[error.problem]) % {"subject": error.subject}
        raise InvalidInput(message, fields={"criteria": message}) from None
    return [{"name": c.name, "max_points": c.max_points} for c in parsed]


def programme_create(
    *,
    scope: Scope,
    code: str,
    name: str,
    level: str,
    district: str = "",
    speciality: str = "",
    description: str = "",
    opens_on: dt.date,
    closes_on: dt.date,
    funding_per_project: Any,
    awards: int,
    criteria: Any,
    experts_per_declaration: int | None = None,
    notice_days: int | None = None,
) -> Programme:
    """Create a programme. A district programme names its district (within the caller's);
    the others belong to city-wide staff. A retry with the same code and name answers with the
    programme made first; the code held by another is refused (``programme_code_taken``)."""
    _office(scope)
    code = text(code, "code", 30).upper()
    values = {
        "name": text(name, "name", 200),
        "speciality": text(speciality, "speciality", 50, required=False),
        "description": text(description, "description", 4000, required=False),
    }
    if level not in ProgrammeLevel.values:
        raise InvalidInput(fields={"level": _("Choose a level of the list.")})
    district_row = None
    if level == ProgrammeLevel.DISTRICT:
        district_row = District.objects.filter(code=(district or "").strip()).first()
        if district_row is None:
            raise InvalidInput(fields={"district": _("A district programme names its district.")})
        if not scope.covers_district(district_row.pk):
            raise PermissionDenied(_("This district is not among yours."))
    elif not scope.city_wide:
        raise PermissionDenied(_("City, provincial and national programmes are run by the city's office."))
    if closes_on < opens_on:
        raise InvalidInput(fields={"closes_on": _("The declarations close on or after the day they open.")})
    if not 1 <= awards <= 10000:
        raise InvalidInput(fields={"awards": _("Between 1 and 10000 projects.")})
    today = timezone.localdate()
    experts = experts_per_declaration or programme_figure(EXPERTS_PER_DECLARATION, on=today)
    notice = notice_days or programme_figure(NOTICE_DAYS, on=today)
    if not rules.MIN_SHEETS <= experts <= 25:
        raise InvalidInput(
            fields={"experts_per_declaration": _("From 3 to 25 experts: one highest and one lowest score are dropped.")}
        )
    if not 1 <= notice <= 60:
        raise InvalidInput(fields={"notice_days": _("From 1 to 60 days.")})
    funding = money(funding_per_project, "funding_per_project")
    checked = criteria_checked(criteria)
    earlier = Programme.objects.filter(code=code).first()
    if earlier is not None:
        if earlier.name == values["name"]:
            return earlier
        raise Conflict(_("This programme code is already taken."), code="programme_code_taken")
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                code=code,
                level=level,
                district=district_row,
                opens_on=opens_on,
                closes_on=closes_on,
                funding_per_project=funding,
                awards=awards,
                criteria=checked,
                experts_per_declaration=experts,
                notice_days=notice,
                created_by=scope.actor,
                **values,
            )
            audit(scope, "talent.programme_create", "talent_programme", programme.pk, code=code, experts=experts)
    except IntegrityError:
        raise Conflict(_("This programme code is already taken."), code="programme_code_taken") from None
    return programme


# --- the expert pool (专家库) -----------------------------------------------------------------------


def _person(id_number: str, name: str) -> Person:
    holder = parse_id_number(id_number).value
    person = Person.objects.filter(id_number_index=id_number_index(holder)).first()
    if person is None or person.name != (name or "").strip():
        raise NotFound(_("No person with this ID number and name is in the registry."), code="person_not_found")
    return person


def _specialities(raw: Any) -> list[str]:
    items = raw.replace("，", ",").split(",") if isinstance(raw, str) else list(raw or [])
    cleaned = sorted({str(item).strip() for item in items if str(item).strip()})
    if not cleaned or len(cleaned) > 10 or any(len(item) > 50 for item in cleaned):
        raise InvalidInput(fields={"specialities": _("From one to ten specialities of at most 50 characters.")})
    return cleaned


def expert_add(
    *, scope: Scope, id_number: str, name: str, specialities: Any, title: str = "", active: bool = True
) -> Expert:
    """Add a person of the registry to the pool, or update their specialities, title and
    active flag when they are in it (so a retry changes nothing)."""
    _office(scope)
    person = _person(id_number, name)
    values = {"specialities": _specialities(specialities), "title": text(title, "title", 50, required=False)}
    with transaction.atomic():
        expert, created = Expert.objects.select_for_update().get_or_create(
            person=person, defaults={**values, "active": active, "added_by": scope.actor}
        )
        if not created:
            for key, value in {**values, "active": active}.items():
                setattr(expert, key, value)
            expert.save(update_fields=["specialities", "title", "active", "updated_at"])
        audit(
            scope, "talent.expert_set", "talent_expert", expert.pk, person=str(person.pk), active=active, added=created
        )
    return expert


def expert_conflict_add(
    *, scope: Scope, expert_id: uuid.UUID | None = None, id_number: str = "", credit_code: str = "", reason: str
) -> ExpertConflict:
    """Record a person (by ID number) or an employer (by credit code) the expert must not
    review: the office for any expert of the pool, an expert for themself (``expert_id`` None)."""
    reason = text(reason, "reason", 300)
    if expert_id is None:
        expert = reads.expert_mine(scope=scope)
        if expert is None:
            raise PermissionDenied(_("This is for the experts of the pool."), code="not_an_expert")
    else:
        _office(scope)
        expert = Expert.objects.filter(pk=expert_id).first()
        if expert is None:
            raise NotFound()
    person = employer = None
    if id_number.strip():
        holder = parse_id_number(id_number).value
        person = Person.objects.filter(id_number_index=id_number_index(holder)).first()
        if person is None:
            raise NotFound(_("No person with this ID number is in the registry."), code="person_not_found")
    elif credit_code.strip():
        employer = Employer.objects.filter(credit_code=credit_code.strip().upper()).first()
        if employer is None:
            raise NotFound(_("No employer with this credit code is in the registry."), code="employer_not_found")
    else:
        raise InvalidInput(fields={"id_number": _("Name the person or the employer of the conflict.")})
    with transaction.atomic():
        earlier = ExpertConflict.objects.filter(expert=expert, person=person, employer=employer).first()
        if earlier is not None:
            return earlier
        conflict = ExpertConflict.objects.create(
            expert=expert, person=person, employer=employer, reason=reason, recorded_by=scope.actor
        )
        audit(scope, "talent.expert_conflict_add", "talent_expert", expert.pk, conflict=str(conflict.pk))
    return conflict


# --- declarations (项目申报) ------------------------------------------------------------------------


def declaration_submit(
    *, scope: Scope, programme_code: str, title: str, summary: str, requested_amount: Any
) -> Declaration:
    """A citizen declares for a programme within its window, for at most its funding per
    project; the employer is the registry's current employment. One declaration per person
    and programme: a retry answers with the first."""
    if scope.person_id is None or scope.is_staff:
        raise PermissionDenied(_("Declarations are made by citizens signed in with a real-name account."))
    values = {"title": text(title, "title", 200), "summary": text(summary, "summary", 4000)}
    amount = money(requested_amount, "requested_amount")
    with transaction.atomic():
        programme = Programme.objects.select_for_update().filter(code=(programme_code or "").strip().upper()).first()
        if programme is None:
            raise NotFound()
        earlier = Declaration.objects.filter(programme=programme, person_id=scope.person_id).first()
        if earlier is not None:
            return earlier
        today = timezone.localdate()
        if not rules.window_open(opens_on=programme.opens_on, closes_on=programme.closes_on, on=today):
            raise DeclarationWindowClosed(
                _("%(name)s takes declarations from %(opens)s to %(closes)s.")
                % {"name": programme.name, "opens": programme.opens_on, "closes": programme.closes_on}
            )
        if amount > programme.funding_per_project:
            raise InvalidInput(
                fields={
                    "requested_amount": _("At most %(amount)s yuan a project.")
                    % {"amount": programme.funding_per_project}
                }
            )
        employer = reads.current_employers([scope.person_id], on=today).get(scope.person_id)
        declaration = Declaration.objects.create(
            programme=programme, person_id=scope.person_id, employer=employer, requested_amount=amount, **values
        )
        audit(scope, "talent.declaration_submit", "talent_declaration", declaration.pk, programme=programme.code)
    return declaration


def declaration_check(*, scope: Scope, declaration_id: uuid.UUID, accepted: bool, reason: str = "") -> Declaration:
    """The office's formal check (形式审查): accepted for expert review, or refused with the
    reason the applicant reads. Checking again with the same outcome answers the same."""
    _office(scope)
    reason = text(reason, "reason", 500, required=not accepted)
    with transaction.atomic():
        declaration = (
            Declaration.objects.select_for_update(of=("self",))
            .filter(reads.office_filter(scope, "programme__"), pk=declaration_id)
            .select_related("programme")
            .first()
        )
        if declaration is None:
            raise NotFound()
        wanted = DeclarationStatus.ACCEPTED if accepted else DeclarationStatus.REFUSED
        if declaration.status == wanted:
            return declaration
        if declaration.status != DeclarationStatus.SUBMITTED:
            raise DeclarationState(_("The declaration has already passed the formal check."))
        declaration.status = wanted
        declaration.refusal_reason = "" if accepted else reason
        declaration.checked_by = scope.actor
        declaration.save(update_fields=["status", "refusal_reason", "checked_by", "updated_at"])
        audit(
            scope,
            "talent.declaration_check",
            "talent_declaration",
            declaration.pk,
            person=str(declaration.person_id),
            accepted=accepted,
        )
    return declaration
