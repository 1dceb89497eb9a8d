"""Writes of the credit system (A7): recording the facts the apps report, rating, objections.

Recording is set-based and idempotent: a fact names its source record, and a record already
turned into an event is skipped, so a source reports everything it knows on every run."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.selectors import ParameterMissing, parameter_series
from hrss.core.audit import audit_record
from hrss.core.creditfacts import CreditFact
from hrss.core.errors import Conflict, DomainError, InvalidInput, NotFound
from hrss.core.scope import Scope
from hrss.credit import rules
from hrss.credit.models import CreditEvent, EventKind, Objection, Rating
from hrss.servicehall import services as hall

logger = logging.getLogger(__name__)

OBJECTION_ITEMS = {"person": "SH-XY-001", "employer": "SH-XY-002"}


def thresholds(on: dt.date) -> rules.Thresholds:
    """The model's base score and class thresholds in force (one read of the parameters)."""
    model = parameter_series("credit.", on=on)
    missing = {"base_score", "grade.a_min", "grade.b_min", "grade.c_min"} - set(model)
    if missing:
        raise ParameterMissing(
            _("The credit model has no %(names)s in force.") % {"names": ", ".join(sorted(missing))},
            fields={"parameter": "credit"},
        )
    return rules.Thresholds(
        int(model["base_score"]), int(model["grade.a_min"]), int(model["grade.b_min"]), int(model["grade.c_min"])
    )


def _scoring(on: dt.date) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Points and months of validity per event kind, in force on a day."""
    return parameter_series("credit.points.", on=on), parameter_series("credit.months.", on=on)


def sources() -> list[tuple[str, Any]]:
    """Every installed app that reports credit facts, with its ``facts`` module."""
    found = []
    for config in apps.get_app_configs():
        path = getattr(config, "credit_facts", None)
        if path:
            found.append((config.label, importlib.import_module(path)))
    return found


def record(facts: Iterable[CreditFact], *, source: str) -> tuple[int, set[uuid.UUID], set[uuid.UUID]]:
    """Record the facts not recorded yet; returns (added, persons, employers) touched."""
    facts = list(facts)
    kinds = {kind.code: kind for kind in EventKind.objects.all()}
    known = set()
    refs = [fact.source_ref for fact in facts]
    for start in range(0, len(refs), 500):
        known |= set(
            CreditEvent.objects.filter(source=source, source_ref__in=refs[start : start + 500]).values_list(
                "source_ref", flat=True
            )
        )
    new = []
    scoring: dict[dt.date, tuple[dict[str, Decimal], dict[str, Decimal]]] = {}
    persons: set[uuid.UUID] = set()
    employers: set[uuid.UUID] = set()
    for fact in facts:
        if fact.source_ref in known:
            continue
        kind = kinds.get(fact.kind)
        if kind is None or (fact.person_id is None) == (fact.employer_id is None):
            logger.warning("credit fact %s:%s skipped: unknown kind or no single subject", source, fact.source_ref)
            continue
        if fact.occurred_on not in scoring:
            scoring[fact.occurred_on] = _scoring(fact.occurred_on)
        points_in_force, months_in_force = scoring[fact.occurred_on]
        if kind.code not in points_in_force or kind.code not in months_in_force:
            logger.warning("credit fact %s:%s skipped: no points in force for %s", source, fact.source_ref, kind.code)
            continue
        points = int(points_in_force[kind.code])
        months = int(months_in_force[kind.code])
        new.append(
            CreditEvent(
                kind=kind,
                person_id=fact.person_id,
                employer_id=fact.employer_id,
                source=source,
                source_ref=fact.source_ref[:120],
                summary=fact.summary[:300],
                occurred_on=fact.occurred_on,
                expires_on=rules.months_after(fact.occurred_on, months),
                points=points,
            )
        )
        known.add(fact.source_ref)
        if fact.person_id:
            persons.add(fact.person_id)
        else:
            employers.add(fact.employer_id)  # type: ignore[arg-type]
    CreditEvent.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new), persons, employers


def collect(*, on: dt.date | None = None) -> dict[str, int]:
    """Ask every source for its facts, record the new ones and rate the subjects they touch."""
    on = on or timezone.localdate()
    added: dict[str, int] = {}
    for label, module in sources():
        with transaction.atomic():
            count, persons, employers = record(module.facts(on=on), source=label)
            rerate(person_ids=persons, employer_ids=employers, on=on)
        added[label] = count
    return added


def _counted(event: Any) -> rules.Counted:
    return rules.Counted(
        points=event["points"],
        positive=event["kind__direction"] == "positive",
        severe=event["kind__severe"],
        occurred_on=event["occurred_on"],
        expires_on=event["expires_on"],
        corrected=event["corrected_at"] is not None,
    )


def rerate(*, person_ids: Iterable[uuid.UUID] = (), employer_ids: Iterable[uuid.UUID] = (), on: dt.date) -> int:
    """Recompute the ratings of these subjects (one read of their events and ratings, one
    upsert of those that changed); returns how many changed."""
    limits = thresholds(on)
    changed = 0
    for field, ids in (("person", set(person_ids)), ("employer", set(employer_ids))):
        ids_list = list(ids)
        for start in range(0, len(ids_list), 500):
            chunk = ids_list[start : start + 500]
            by_subject: dict[uuid.UUID, list[rules.Counted]] = defaultdict(list)
            for event in CreditEvent.objects.filter(**{f"{field}_id__in": chunk}).values(
                f"{field}_id", "points", "kind__direction", "kind__severe", "occurred_on", "expires_on", "corrected_at"
            ):
                by_subject[event[f"{field}_id"]].append(_counted(event))
            before = {
                row[0]: row[1:]
                for row in Rating.objects.filter(**{f"{field}_id__in": chunk}).values_list(
                    f"{field}_id", "score", "grade", "severe", "positive"
                )
            }
            rows = []
            for subject_id in chunk:
                grade = rules.rate(by_subject.get(subject_id, []), on=on, thresholds=limits)
                if before.get(subject_id) == (grade.score, grade.grade, grade.severe, grade.positive):
                    continue
                rows.append(
                    Rating(
                        **{f"{field}_id": subject_id},
                        score=grade.score,
                        grade=grade.grade,
                        severe=grade.severe,
                        positive=grade.positive,
                        rated_on=on,
                    )
                )
            Rating.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=[field],
                update_fields=["score", "grade", "severe", "positive", "rated_on"],
            )
            changed += len(rows)
    return changed


def rerate_all(*, on: dt.date | None = None) -> int:
    """Nightly: every subject with an event, so expired events stop counting on the lists;
    returns how many ratings changed."""
    on = on or timezone.localdate()
    persons = CreditEvent.objects.filter(person__isnull=False).values_list("person_id", flat=True).distinct()
    employers = CreditEvent.objects.filter(employer__isnull=False).values_list("employer_id", flat=True).distinct()
    with transaction.atomic():
        return rerate(person_ids=list(persons), employer_ids=list(employers), on=on)


# --- objections ----------------------------------------------------------------------------------
#
# An objection is the hall application 信用信息异议申请 (SH-XY-001 for a person, SH-XY-002 for
# an employer) naming one record (form field ``record``, the event's id) and the reason. It
# starts on any channel the item claims: from the record on 我的信用 (page or API), or in the
# hall and at the counter with the record's number. ``Objection`` follows the application by
# its reference and is created with it (``objection_submit``) or, for an application started
# elsewhere, when the hall reports it (``subscribers``) or at the latest when it is decided.


def _own_event(scope: Scope, event_id: uuid.UUID) -> CreditEvent:
    event = CreditEvent.objects.select_related("kind").filter(pk=event_id).first()
    mine = event is not None and (
        (scope.person_id is not None and event.person_id == scope.person_id)
        or (scope.employer_id is not None and event.employer_id == scope.employer_id)
    )
    if event is None or not mine:
        raise NotFound()
    return event


def objection_refusal(*, event_id: Any, person: Any = None, employer: Any = None) -> DomainError | None:
    """Why this subject cannot object to this record now (None: it can)."""
    try:
        pk = uuid.UUID(str(event_id or ""))
    except ValueError:
        pk = None
    subject = {"employer": employer} if employer is not None else {"person": person}
    event = CreditEvent.objects.filter(pk=pk, **subject).first() if pk and (person or employer) else None
    if event is None:
        return InvalidInput(
            _("No credit record with this number is yours: copy the number from the record on your credit page."),
            fields={"record": "unknown"},
            code="credit_record_unknown",
        )
    if event.corrected_at is not None:
        return Conflict(_("This record has already been corrected."), code="credit_event_corrected")
    if event.objections.filter(status=Objection.Status.SUBMITTED).exists():
        return Conflict(_("An objection to this record is already under review."), code="credit_objection_open")
    return None


def objection_submit(
    *, scope: Scope, user: Any, event_id: uuid.UUID, reason: str, idempotency_key: str, channel: str = "web"
) -> Objection:
    """The subject objects to one of its records; the objection goes to review in the hall.
    A retry with the same key answers with the first objection."""
    reason = (reason or "").strip()
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise InvalidInput(_("An idempotency key is required."), fields={"idempotency_key": "required"})
    if not reason:
        raise InvalidInput(_("Say why the record is wrong."), fields={"reason": "required"})
    if len(reason) > 500:
        raise InvalidInput(_("The reason is too long (500 characters at most)."), fields={"reason": "too_long"})
    with transaction.atomic():
        event = _own_event(scope, event_id)
        earlier = Objection.objects.filter(event=event, idempotency_key=key).first()
        if earlier is not None:
            return earlier
        application, _created = hall.application_submit(
            scope=scope,
            user=user,
            item_code=OBJECTION_ITEMS["person" if event.person_id else "employer"],
            form_data={"record": str(event.pk), "reason": reason},
            idempotency_key=f"credit-objection-{event.pk}-{key}",
            channel=channel,
        )
        objection = objection_open(
            reference=application.reference, event_id=event.pk, reason=reason, submitted_by=scope.actor, key=key
        )
    return objection


def objection_open(*, reference: str, event_id: Any, reason: str, submitted_by: str, key: str = "") -> Objection:
    """The objection of a hall application, created the first time it is asked for."""
    objection = Objection.objects.filter(hall_reference=reference).first()
    if objection is not None:
        return objection
    event = CreditEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound(_("The application names no credit record."), code="credit_record_unknown")
    objection = Objection.objects.create(
        event=event,
        reason=str(reason)[:500],
        submitted_by=submitted_by[:150],
        idempotency_key=(key or reference)[:64],
        hall_reference=reference,
    )
    audit_record(
        actor=submitted_by,
        action="credit.objection_submit",
        object_type="credit_event",
        object_id=str(event.pk),
        detail={"objection": str(objection.pk), "reference": reference},
    )
    return objection


@transaction.atomic
def objection_decide(
    *, scope: Scope, reference: str, upheld: bool, form_data: dict[str, Any] | None = None, applicant: str = ""
) -> Objection:
    """The hall's decision on the objection of application ``reference``. Upheld: the record is
    corrected (kept, no longer counted) and the subject re-rated. Idempotent: a decided
    objection is answered as it stands."""
    form_data = form_data or {}
    objection_open(
        reference=reference,
        event_id=form_data.get("record"),
        reason=str(form_data.get("reason") or ""),
        submitted_by=applicant or scope.actor,
    )
    objection = Objection.objects.select_for_update().select_related("event").get(hall_reference=reference)
    if objection.status != Objection.Status.SUBMITTED:
        return objection
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
    objection.save(update_fields=["status", "updated_at"])
    event = objection.event
    if upheld:
        event.corrected_at = timezone.now()
        event.correction = f"{reference} {objection.reason}"[:300]
        event.save(update_fields=["corrected_at", "correction", "updated_at"])
        rerate(
            person_ids=[event.person_id] if event.person_id else [],
            employer_ids=[event.employer_id] if event.employer_id else [],
            on=timezone.localdate(),
        )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="credit.objection_decide",
        object_type="credit_event",
        object_id=str(event.pk),
        detail={"objection": str(objection.pk), "upheld": upheld, "reference": reference},
    )
    return objection
