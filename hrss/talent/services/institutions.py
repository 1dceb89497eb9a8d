"""An institution's personnel profile (R3): registered by the bureau for a public
institution of the registry, its staffing quota (编制) by funding kind and its post settings
(岗位设置), and its staff, who enter within the quota and the post's positions and leave."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.identifiers import parse_id_number
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.registry.models import Employer, Person
from hrss.registry.services import id_number_index
from hrss.talent import rules
from hrss.talent.errors import NotPublicInstitution, PostFull
from hrss.talent.models import Decision, FundingKind, Institution, Post, PostCategory, Quota, RecruitmentPlan, Staff
from hrss.talent.quota import quota_require
from hrss.talent.services.access import (
    REGISTRARS,
    audit,
    institution_for_registrar,
    institution_for_writer,
)


def _kind(value: str) -> str:
    if value not in FundingKind.values:
        raise InvalidInput(fields={"kind": _("Choose a funding kind of the list.")})
    return value


def _count(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 100_000:
        raise InvalidInput(fields={name: _("Enter a whole number from 0 to 100000.")})
    return number


@transaction.atomic
def institution_register(*, scope: Scope, credit_code: str, supervisor: str = "") -> Institution:
    """The bureau registers a public institution of the registry (its credit code starts
    with 12) for personnel management; registering it again answers with the first."""
    if not scope.has_role(*REGISTRARS):
        raise PermissionDenied()
    employer = Employer.objects.filter(credit_code=credit_code.strip().upper()).first()
    if employer is None or not scope.covers_district(employer.district_id):
        raise NotFound(_("No employer with this credit code is in the registry."), code="employer_not_found")
    if not rules.is_public_institution(employer.credit_code):
        raise NotPublicInstitution(fields={"credit_code": employer.credit_code})
    if employer.district_id is None:
        raise InvalidInput(_("The registry has no district for this employer."), code="employer_without_district")
    existing = Institution.objects.filter(employer=employer).first()
    if existing is not None:
        return existing
    institution = Institution.objects.create(
        employer=employer,
        name=employer.name,
        district_id=employer.district_id,
        supervisor=supervisor.strip()[:200],
        registered_by=scope.actor,
    )
    audit(scope, "talent.institution_register", "talent_institution", institution.pk, employer=str(employer.pk))
    return institution


@transaction.atomic
def quota_set(*, scope: Scope, institution_id: uuid.UUID, kind: str, count: Any, document: str = "") -> Quota:
    """Record the staffing quota of one funding kind as the staffing authority approved it.
    A quota below the staff already on it is refused."""
    institution = institution_for_registrar(scope, institution_id)
    kind, number = _kind(kind), _count(count, "count")
    on_books = Staff.objects.filter(institution=institution, kind=kind, left_on__isnull=True).count()
    if number < on_books:
        raise Conflict(
            _("%(staff)s staff are on this quota: it cannot be set below that.") % {"staff": on_books},
            code="quota_below_staff",
        )
    quota, _created = Quota.objects.update_or_create(
        institution=institution, kind=kind, defaults={"count": number, "document": document.strip()[:100]}
    )
    audit(scope, "talent.quota_set", "talent_quota", quota.pk, kind=kind, count=number, document=quota.document)
    return quota


@transaction.atomic
def post_set(*, scope: Scope, institution_id: uuid.UUID, category: str, grade: Any, count: Any) -> Post:
    """Record a post setting (category, grade, positions); never below its staff."""
    institution = institution_for_registrar(scope, institution_id)
    if category not in PostCategory.values:
        raise InvalidInput(fields={"category": _("Choose a post category of the list.")})
    level = _count(grade, "grade")
    if not rules.grade_valid(category, level):
        raise InvalidInput(fields={"grade": _("This post category has no such grade.")})
    number = _count(count, "count")
    post = Post.objects.filter(institution=institution, category=category, grade=level).first()
    if post is not None and number < post.staff.filter(left_on__isnull=True).count():
        raise Conflict(_("More staff hold this post than that."), code="post_below_staff")
    post, _created = Post.objects.update_or_create(
        institution=institution, category=category, grade=level, defaults={"count": number}
    )
    audit(scope, "talent.post_set", "talent_post", post.pk, category=category, grade=level, count=number)
    return post


def post_free_require(post: Post) -> None:
    taken = post.staff.filter(left_on__isnull=True).count()
    if taken >= post.count:
        raise PostFull(
            _("All %(count)s positions of this post are taken.") % {"count": post.count}, fields={"post": str(post.pk)}
        )


@transaction.atomic
def staff_add(
    *,
    scope: Scope,
    institution_id: uuid.UUID,
    id_number: str,
    name: str,
    post_id: uuid.UUID,
    kind: str,
    scale_step: Any,
    entered_on: dt.date,
    plan_id: uuid.UUID | None = None,
) -> Staff:
    """A person enters the institution's staff on its quota: within the quota of the kind
    (places an approved plan holds count for the people it recruits) and a free position.
    The ID number and the name must both match the registry, so the answer (which names the
    person) never tells a caller whose ID number it is."""
    institution = institution_for_writer(scope, institution_id)
    kind = _kind(kind)
    step = _count(scale_step, "scale_step")
    if not rules.scale_step_valid(step):
        raise InvalidInput(fields={"scale_step": _("A salary scale step is from 1 to 65.")})
    number = parse_id_number(id_number).value
    person = Person.objects.filter(id_number_index=id_number_index(number)).first()
    if person is None or person.name != name.strip():
        raise NotFound(_("No person with this ID number and name is in the registry."), code="person_not_found")
    post = Post.objects.filter(pk=post_id, institution=institution).first()
    if post is None:
        raise InvalidInput(fields={"post": _("Choose one of the institution's posts.")})
    plan = None
    if plan_id is not None:
        plan = RecruitmentPlan.objects.filter(
            pk=plan_id, institution=institution, status=Decision.APPROVED, kind=kind
        ).first()
        if plan is None:
            raise InvalidInput(fields={"plan": _("Choose an approved recruitment plan of this funding kind.")})
    if entered_on > timezone.localdate() + dt.timedelta(days=366):
        raise InvalidInput(fields={"entered_on": _("The date is too far ahead.")})
    post_free_require(post)
    # A person the approved plan recruits takes a place it already holds; anyone else needs a free one.
    quota_require(institution_id=institution.pk, kind=kind, asked=0 if _plan_has_room(plan) else 1)
    try:
        with transaction.atomic():
            staff = Staff.objects.create(
                institution=institution,
                person=person,
                post=post,
                kind=kind,
                scale_step=step,
                entered_on=entered_on,
                plan=plan,
            )
    except IntegrityError as error:
        raise Conflict(_("This person is already on the institution's staff."), code="already_staff") from error
    audit(scope, "talent.staff_add", "talent_staff", staff.pk, post=str(post.pk), kind=kind, plan=str(plan_id or ""))
    return staff


def _plan_has_room(plan: RecruitmentPlan | None) -> bool:
    if plan is None:
        return False
    return plan.hired.filter(left_on__isnull=True).count() < plan.numbers


@transaction.atomic
def staff_leave(*, scope: Scope, staff_id: uuid.UUID, left_on: dt.date) -> Staff:
    """A staff member leaves: their place on the quota and their post's position are free again."""
    staff = Staff.objects.select_for_update().filter(pk=staff_id).first()
    if staff is None:
        raise NotFound()
    institution_for_writer(scope, staff.institution_id)
    if staff.left_on is not None:
        return staff
    if left_on < staff.entered_on:
        raise InvalidInput(fields={"left_on": _("The day of leaving is before the day of entering.")})
    staff.left_on = left_on
    staff.save(update_fields=["left_on", "updated_at"])
    audit(scope, "talent.staff_leave", "talent_staff", staff.pk, left_on=left_on.isoformat())
    return staff
