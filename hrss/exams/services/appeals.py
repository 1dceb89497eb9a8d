"""Appeals against a published score and their re-check (成绩复核, R4): the office re-scores
the candidate's sheet against the sealed key and re-adds the settled marks; a different
total corrects the score and re-ranks the post."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.scope import Scope
from hrss.exams.access import require_citizen, require_office
from hrss.exams.models import Appeal, ExamStatus, Registration
from hrss.exams.services.scoring import require_status, rescore

REASON_MAX = Appeal._meta.get_field("reason").max_length or 500


@transaction.atomic
def appeal_create(*, scope: Scope, registration_id: uuid.UUID, reason: str) -> Appeal:
    person_id = require_citizen(scope)
    registration = (
        # Only the registration is locked: its score is an outer join, which PostgreSQL
        # cannot lock (a registration without a score is refused below).
        Registration.objects.select_for_update(of=("self",))
        .select_related("exam", "score")
        .filter(pk=registration_id, person_id=person_id)
        .first()
    )
    if registration is None:
        raise NotFound(_("No such registration."))
    if registration.exam.status != ExamStatus.PUBLISHED or not hasattr(registration, "score"):
        raise Conflict(_("Scores of this examination are not published."), code="results_unpublished")
    reason = reason.strip()
    if not reason:
        raise InvalidInput(fields={"reason": _("say what you want re-checked")})
    if len(reason) > REASON_MAX:
        raise InvalidInput(fields={"reason": _("at most %(max)s characters") % {"max": REASON_MAX}})
    open_ = registration.appeals.filter(status=Appeal.Status.OPEN).first()
    if open_ is not None:
        return open_  # one re-check at a time; a retry gives back the open one
    appeal = Appeal.objects.create(registration=registration, reason=reason, total_before=registration.score.total)
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.appeal.create",
        object_type="exam_appeal",
        object_id=str(appeal.pk),
    )
    return appeal


@transaction.atomic
def appeal_decide(*, scope: Scope, appeal_id: uuid.UUID) -> Appeal:
    require_office(scope)
    appeal = Appeal.objects.select_for_update().select_related("registration__exam").filter(pk=appeal_id).first()
    if appeal is None or not scope.covers_district(appeal.registration.exam.district):
        raise NotFound(_("No such appeal."))
    if appeal.status != Appeal.Status.OPEN:
        raise Conflict(_("This appeal is decided."), code="appeal_decided")
    require_status(appeal.registration.exam, ExamStatus.PUBLISHED)
    total = rescore(appeal.registration)
    appeal.total_after = total
    appeal.status = Appeal.Status.UNCHANGED if total == appeal.total_before else Appeal.Status.CORRECTED
    appeal.decided_by, appeal.decided_at = scope.actor, timezone.now()
    appeal.save()
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.appeal.decide",
        object_type="exam_appeal",
        object_id=str(appeal.pk),
        detail={"before": str(appeal.total_before), "after": str(total)},
    )
    return appeal
