"""Reads of the credit system (A7): a subject's rating explained by its events, the hall's
credit provider, staff look-ups (scoped and audited) and the published lists."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, APPROVER, COUNTER_CLERK, INSPECTOR, REVIEWER, Scope
from hrss.credit import rules
from hrss.credit.models import CreditEvent, Objection, Rating
from hrss.credit.services import _counted, thresholds
from hrss.registry import selectors as registry
from hrss.registry.models import Employer, Person

# Staff who look up a subject's credit and see its events (reviewers weigh it on applications).
CREDIT_STAFF = (COUNTER_CLERK, REVIEWER, APPROVER, INSPECTOR, ADMINISTRATOR)
_EVENT_FIELDS = ("points", "kind__direction", "kind__severe", "occurred_on", "expires_on", "corrected_at")


@dataclass(frozen=True)
class EventLine:
    id: uuid.UUID
    kind: str
    kind_name: str
    direction: str
    severe: bool
    legal_basis: str
    source: str
    source_ref: str
    summary: str
    occurred_on: dt.date
    expires_on: dt.date
    points: int
    in_force: bool
    corrected: bool
    correction: str
    objection: str  # the status of its latest objection, "" when none
    objection_reference: str


@dataclass(frozen=True)
class CreditView:
    subject_kind: str
    subject_id: uuid.UUID
    name: str
    code: str  # the credit code, or the masked ID number
    rated: bool
    score: int
    grade: str
    base: int
    on: dt.date
    events: list[EventLine]


def _mask(id_number: str) -> str:
    return id_number[:3] + "*" * max(len(id_number) - 7, 0) + id_number[-4:] if len(id_number) > 7 else "****"


def live_grade(*, person_id: uuid.UUID | None = None, employer_id: uuid.UUID | None = None, on: dt.date) -> Any:
    """The grade now, from the subject's events in one query; None when it has never had one."""
    subject = {"person_id": person_id} if person_id else {"employer_id": employer_id}
    events = [_counted(row) for row in CreditEvent.objects.filter(**subject).values(*_EVENT_FIELDS)]
    if not events:
        return None
    return rules.rate(events, on=on, thresholds=thresholds(on))


def hall_credit_class(*, person: Any = None, employer: Any = None) -> str | None:
    """The hall's credit provider: an employer applicant is rated as the employer, a citizen as
    themselves. A subject with no credit event is not rated (None), and gateways treat it as usual."""
    on = timezone.localdate()
    if employer is not None:
        grade = live_grade(employer_id=employer.pk, on=on)
    elif person is not None:
        grade = live_grade(person_id=person.pk, on=on)
    else:
        return None
    return grade.grade if grade is not None else None


def _view(*, person: Person | None = None, employer: Employer | None = None, on: dt.date) -> CreditView:
    subject = {"person": person} if person is not None else {"employer": employer}
    rows = list(CreditEvent.objects.filter(**subject).select_related("kind").order_by("-occurred_on", "source_ref"))
    latest: dict[uuid.UUID, Objection] = {}
    for earlier in Objection.objects.filter(event__in=[row.pk for row in rows]).order_by("created_at"):
        latest[earlier.event_id] = earlier
    lines = []
    counted = []
    for row in rows:
        item = rules.Counted(
            points=row.points,
            positive=row.kind.direction == "positive",
            severe=row.kind.severe,
            occurred_on=row.occurred_on,
            expires_on=row.expires_on,
            corrected=row.corrected_at is not None,
        )
        counted.append(item)
        objection = latest.get(row.pk)
        lines.append(
            EventLine(
                id=row.pk,
                kind=row.kind_id,
                kind_name=row.kind.name,
                direction=row.kind.direction,
                severe=row.kind.severe,
                legal_basis=row.kind.legal_basis,
                source=row.source,
                source_ref=row.source_ref,
                summary=row.summary,
                occurred_on=row.occurred_on,
                expires_on=row.expires_on,
                points=row.points,
                in_force=item.in_force(on),
                corrected=item.corrected,
                correction=row.correction,
                objection=objection.status if objection else "",
                objection_reference=objection.hall_reference if objection else "",
            )
        )
    limits = thresholds(on)
    grade = rules.rate(counted, on=on, thresholds=limits)
    if person is not None:
        return CreditView(
            "person",
            person.pk,
            person.name,
            _mask(person.id_number),
            bool(rows),
            grade.score,
            grade.grade,
            limits.base,
            on,
            lines,
        )
    assert employer is not None
    return CreditView(
        "employer",
        employer.pk,
        employer.name,
        employer.credit_code,
        bool(rows),
        grade.score,
        grade.grade,
        limits.base,
        on,
        lines,
    )


def mine(*, scope: Scope) -> CreditView:
    """The caller's own credit: a citizen's, or the employer's its agent acts for."""
    on = timezone.localdate()
    if scope.employer_id is not None and not scope.is_staff:
        employer = Employer.objects.filter(pk=scope.employer_id).first()
        if employer is not None:
            return _view(employer=employer, on=on)
    if scope.person_id is not None:
        person = Person.objects.filter(pk=scope.person_id).first()
        if person is not None:
            return _view(person=person, on=on)
    raise NotFound(_("No credit record belongs to this account."))


def _audit(scope: Scope, kind: str, subject_id: uuid.UUID, purpose: str) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="credit.read",
        object_type=kind,
        object_id=str(subject_id),
        purpose=purpose,
    )


def employer_credit(*, scope: Scope, credit_code: str, purpose: str = "") -> CreditView:
    """Staff look up an employer in their districts; its own agents see it too."""
    if not scope.has_role(*CREDIT_STAFF) and scope.employer_id is None:
        raise PermissionDenied()
    employer = registry.employer_get(scope=scope, credit_code=credit_code)
    if scope.is_staff:
        _audit(scope, "employer", employer.pk, purpose)
    return _view(employer=employer, on=timezone.localdate())


def person_credit(*, scope: Scope, id_number: str, purpose: str = "") -> CreditView:
    """Staff look up a person in their districts (the registry audits the read, this the view)."""
    if not scope.has_role(*CREDIT_STAFF):
        raise PermissionDenied()
    person = registry.person_get_by_id_number(scope=scope, id_number=id_number, purpose=purpose)
    _audit(scope, "person", person.pk, purpose)
    return _view(person=person, on=timezone.localdate())


@dataclass(frozen=True)
class ListEntry:
    name: str
    credit_code: str
    district: str
    grade: str
    score: int
    rated_on: dt.date
    reasons: list[str]


def published_list(*, which: str, limit: int = 50, offset: int = 0) -> list[ListEntry]:
    """The red list (守信: class A) or the black list (失信: class D, or a severe event in force)
    of employers, as rated; persons are not published. Two queries for any page."""
    if which == "red":
        ratings = Rating.objects.filter(employer__isnull=False, grade="A")
    else:
        ratings = Rating.objects.filter(employer__isnull=False).filter(Q(grade="D") | Q(severe=True))
    page = list(
        ratings.select_related("employer", "employer__district").order_by("employer__name", "employer_id")[
            offset : offset + limit
        ]
    )
    on = timezone.localdate()
    direction = "positive" if which == "red" else "negative"
    reasons: dict[uuid.UUID, list[str]] = {}
    for employer_id, name in (
        CreditEvent.objects.filter(
            employer_id__in=[rating.employer_id for rating in page],
            kind__direction=direction,
            corrected_at__isnull=True,
            occurred_on__lte=on,
            expires_on__gt=on,
        )
        .order_by("kind__name")
        .values_list("employer_id", "kind__name")
        .distinct()
    ):
        reasons.setdefault(employer_id, []).append(name)
    return [
        ListEntry(
            rating.employer.name,
            rating.employer.credit_code,
            rating.employer.district.name if rating.employer.district else "",
            rating.grade,
            rating.score,
            rating.rated_on,
            reasons.get(rating.employer_id, []) if rating.employer_id else [],
        )
        for rating in page
        if rating.employer is not None
    ]
