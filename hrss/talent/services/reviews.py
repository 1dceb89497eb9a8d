"""The expert review of talent programme declarations (R1): the office draws experts for a
declaration from the pool with a recorded seed, excluding conflicts of interest; an expert
recuses (回避, a replacement is drawn) or fills and submits their scoring sheet; the office
aggregates the scores (one highest and one lowest total dropped), publishes the ranking for
the notice period (公示), decides the applicants' appeals (异议: an upheld one is reviewed
again by a fresh set of experts and the ranking recomputed) and finalises the results.
Every write atomic and audited."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.talent import programme_selectors as reads
from hrss.talent import rules
from hrss.talent.errors import AppealWindowClosed, DeclarationState, TooFewExperts
from hrss.talent.programme_models import (
    AppealStatus,
    AssignmentStatus,
    Declaration,
    DeclarationStatus,
    ExpertConflict,
    Programme,
    ProgrammeAppeal,
    ReviewAssignment,
    ScoreSheet,
)
from hrss.talent.services.access import audit
from hrss.talent.services.programmes import text

SCORE_PROBLEMS = {
    "score_unknown_criterion": gettext_lazy("%(subject)s is not a criterion of this programme."),
    "score_missing": gettext_lazy("Score every criterion."),
    "score_not_a_number": gettext_lazy("Enter a number of points."),
    "score_out_of_range": gettext_lazy("From 0 to the criterion's maximum, in half points."),
}


def _office(scope: Scope) -> None:
    if not reads.is_office(scope):
        raise PermissionDenied()


def _declaration_locked(scope: Scope, declaration_id: uuid.UUID) -> Declaration:
    declaration = (
        Declaration.objects.select_for_update(of=("self",))
        .filter(reads.office_filter(scope, "programme__"), pk=declaration_id)
        .select_related("programme")
        .first()
    )
    if declaration is None:
        raise NotFound()
    return declaration


def _draw(declaration: Declaration, *, needed: int, seed: int, actor: str) -> list[ReviewAssignment]:
    eligible = reads.eligible_experts(declaration=declaration, on=timezone.localdate())
    try:
        drawn = rules.draw_experts(seed=seed, eligible=eligible, count=needed)
    except rules.ReviewRuleError:
        raise TooFewExperts(
            _(
                "%(needed)d more experts are needed for this declaration but only %(found)d in the pool are free of "
                "conflicts of interest and of its speciality: add experts to the pool first."
            )
            % {"needed": needed, "found": len(eligible)},
            fields={"experts": str(len(eligible))},
        ) from None
    return ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(
                declaration=declaration,
                expert_id=uuid.UUID(pk),
                review_round=declaration.review_round,
                seed=seed,
                assigned_by=actor,
            )
            for pk in drawn
        ]
    )


def experts_assign(*, scope: Scope, declaration_id: uuid.UUID, seed: int | None = None) -> list[ReviewAssignment]:
    """Draw the experts a declaration accepted for review still lacks in its round (all of
    them the first time; replacements after a recusal the pool could not fill), at random
    with a recorded seed. Nothing lacking: the round's experts, unchanged."""
    _office(scope)
    with transaction.atomic():
        declaration = _declaration_locked(scope, declaration_id)
        if declaration.status not in (DeclarationStatus.ACCEPTED, DeclarationStatus.UNDER_REVIEW):
            raise DeclarationState(_("Experts are drawn for a declaration accepted for review."))
        needed = declaration.programme.experts_per_declaration - reads.open_assignments(declaration)
        if needed > 0:
            seed = seed if seed is not None else secrets.randbits(62)
            drawn = _draw(declaration, needed=needed, seed=seed, actor=scope.actor)
            declaration.status = DeclarationStatus.UNDER_REVIEW
            declaration.save(update_fields=["status", "updated_at"])
            audit(
                scope,
                "talent.experts_assign",
                "talent_declaration",
                declaration.pk,
                seed=seed,
                round=declaration.review_round,
                experts=sorted(str(row.expert_id) for row in drawn),
            )
        return list(
            ReviewAssignment.objects.filter(declaration=declaration, review_round=declaration.review_round)
            .exclude(status=AssignmentStatus.RECUSED)
            .order_by("created_at", "id")
        )


def _assignment_mine(scope: Scope, assignment_id: uuid.UUID) -> ReviewAssignment:
    expert = reads.expert_mine(scope=scope)
    if expert is None:
        raise PermissionDenied(_("This is for the experts of the pool."), code="not_an_expert")
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .filter(expert=expert, pk=assignment_id)
        .select_related("declaration__programme")
        .first()
    )
    if assignment is None:
        raise NotFound()
    if assignment.review_round != assignment.declaration.review_round:
        raise DeclarationState(_("This review round is over."))
    return assignment


@dataclass(frozen=True)
class Recusal:
    assignment: ReviewAssignment
    replacement: ReviewAssignment | None  # None: the pool had no one; the office draws later


def assignment_recuse(*, scope: Scope, assignment_id: uuid.UUID, reason: str) -> Recusal:
    """The expert recuses themself (回避) with a reason: the conflict is recorded (they are
    never drawn for this applicant again) and a replacement is drawn at once when the pool
    has one; otherwise the office draws one later."""
    reason = text(reason, "reason", 300)
    with transaction.atomic():
        assignment = _assignment_mine(scope, assignment_id)
        if assignment.status == AssignmentStatus.RECUSED:
            return Recusal(assignment, None)
        if assignment.status != AssignmentStatus.ASSIGNED:
            raise Conflict(_("A submitted scoring sheet is final."), code="sheet_submitted")
        Declaration.objects.select_for_update().filter(pk=assignment.declaration_id).first()
        declaration = assignment.declaration
        assignment.status = AssignmentStatus.RECUSED
        assignment.recusal_reason = reason
        assignment.save(update_fields=["status", "recusal_reason", "updated_at"])
        ExpertConflict.objects.get_or_create(
            expert_id=assignment.expert_id,
            person_id=declaration.person_id,
            employer=None,
            defaults={"reason": reason, "recorded_by": scope.actor},
        )
        replacement = None
        seed = secrets.randbits(62)
        try:
            with transaction.atomic():
                replacement = _draw(declaration, needed=1, seed=seed, actor=scope.actor)[0]
        except TooFewExperts:
            replacement = None
        audit(
            scope,
            "talent.assignment_recuse",
            "talent_assignment",
            assignment.pk,
            declaration=str(declaration.pk),
            replacement=str(replacement.expert_id) if replacement else "",
            seed=seed if replacement else None,
        )
    return Recusal(assignment, replacement)


def sheet_submit(*, scope: Scope, assignment_id: uuid.UUID, scores: dict[str, Any], comment: str) -> ScoreSheet:
    """The expert's scoring sheet: every criterion of the programme from 0 to its maximum, and
    a comment. Final once submitted (a retry answers with it)."""
    comment = text(comment, "comment", 2000)
    with transaction.atomic():
        assignment = _assignment_mine(scope, assignment_id)
        if assignment.status == AssignmentStatus.SUBMITTED:
            return ScoreSheet.objects.get(assignment=assignment)
        if assignment.status != AssignmentStatus.ASSIGNED:
            raise Conflict(_("You have recused yourself from this declaration."), code="assignment_recused")
        criteria = rules.criteria_parse(assignment.declaration.programme.criteria)
        try:
            kept, total = rules.sheet_total(criteria, scores)
        except rules.ReviewRuleError as error:
            message = str(SCORE_PROBLEMS[error.problem]) % {"subject": error.subject}
            raise InvalidInput(message, fields={f"score:{error.subject}": message}) from None
        sheet = ScoreSheet.objects.create(
            assignment=assignment, scores=kept, total=total, comment=comment, submitted_at=timezone.now()
        )
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.save(update_fields=["status", "updated_at"])
        audit(scope, "talent.sheet_submit", "talent_assignment", assignment.pk, total=str(total))
    return sheet


def _programme_locked(scope: Scope, code: str) -> Programme:
    programme = Programme.objects.select_for_update().filter(reads.office_filter(scope), code=code).first()
    if programme is None:
        raise NotFound()
    return programme


def _rerank(programme: Programme) -> None:
    """The published ranking again, over every ranked or re-reviewed declaration with a score."""
    rows = list(
        Declaration.objects.filter(
            programme=programme, score__isnull=False, status__in=[*reads.RANKED, DeclarationStatus.SCORED]
        )
    )
    by_id = {str(row.pk): row for row in rows}
    scores = [(key, row.score) for key, row in by_id.items() if row.score is not None]
    for ranked in rules.ranking(scores, awards=programme.awards):
        row = by_id[ranked.key]
        row.rank, row.funded = ranked.rank, ranked.funded
        if row.status == DeclarationStatus.SCORED:
            row.status = DeclarationStatus.PUBLISHED
    Declaration.objects.bulk_update(rows, ["rank", "funded", "status", "updated_at"])


@dataclass(frozen=True)
class Aggregation:
    scored: int  # declarations given their score now
    waiting: int  # declarations under review whose sheets are not all in


def programme_aggregate(*, scope: Scope, programme_code: str) -> Aggregation:
    """Score every declaration under review whose experts have all submitted: the mean of the
    totals without one highest and one lowest, two places, half up. After publication (an
    upheld appeal's re-review) the new score replaces the old and the ranking is recomputed."""
    _office(scope)
    with transaction.atomic():
        programme = _programme_locked(scope, programme_code)
        declarations = list(
            Declaration.objects.select_for_update()
            .filter(programme=programme, status=DeclarationStatus.UNDER_REVIEW)
            .order_by("id")
        )
        sheets: dict[Any, list[Any]] = {}
        open_count: dict[Any, int] = {}
        by_id = {d.pk: d for d in declarations}
        for assignment in ReviewAssignment.objects.filter(declaration__in=declarations).select_related("sheet"):
            declaration = by_id[assignment.declaration_id]
            if assignment.review_round != declaration.review_round or assignment.status == AssignmentStatus.RECUSED:
                continue
            if assignment.status == AssignmentStatus.SUBMITTED:
                sheets.setdefault(declaration.pk, []).append(assignment.sheet.total)
            else:
                open_count[declaration.pk] = open_count.get(declaration.pk, 0) + 1
        scored = []
        for declaration in declarations:
            totals = sheets.get(declaration.pk, [])
            if open_count.get(declaration.pk) or len(totals) < programme.experts_per_declaration:
                continue
            declaration.score = rules.aggregate_score(totals)
            declaration.status = DeclarationStatus.SCORED
            scored.append(declaration)
        Declaration.objects.bulk_update(scored, ["score", "status", "updated_at"])
        if scored and programme.published_at is not None:
            _rerank(programme)
        audit(
            scope,
            "talent.programme_aggregate",
            "talent_programme",
            programme.pk,
            scored={str(d.pk): str(d.score) for d in scored},
        )
    return Aggregation(scored=len(scored), waiting=len(declarations) - len(scored))


def programme_publish(*, scope: Scope, programme_code: str) -> Programme:
    """Publish the ranking (公示) once declarations are closed and every declaration is refused
    or scored: ranks, funded or not within the programme's awards; the notice period starts
    (appeals until its last day). Publishing again answers the same."""
    _office(scope)
    with transaction.atomic():
        programme = _programme_locked(scope, programme_code)
        if programme.published_at is not None:
            return programme
        today = timezone.localdate()
        if today <= programme.closes_on:
            raise Conflict(_("The results are published after the declarations close."), code="programme_open")
        pending = (
            Declaration.objects.filter(programme=programme)
            .exclude(status__in=[DeclarationStatus.REFUSED, DeclarationStatus.SCORED])
            .count()
        )
        if pending:
            raise Conflict(
                _("%(n)d declarations are not scored yet: check, review and aggregate them first.") % {"n": pending},
                code="declarations_unscored",
            )
        if not Declaration.objects.filter(programme=programme, status=DeclarationStatus.SCORED).exists():
            raise Conflict(_("No declaration is scored: there is nothing to publish."), code="declarations_unscored")
        programme.published_at = timezone.now()
        programme.notice_ends_on = today + dt.timedelta(days=programme.notice_days)
        programme.save(update_fields=["published_at", "notice_ends_on", "updated_at"])
        _rerank(programme)
        audit(
            scope,
            "talent.programme_publish",
            "talent_programme",
            programme.pk,
            notice_ends_on=programme.notice_ends_on.isoformat(),
        )
    return programme


def appeal_lodge(*, scope: Scope, declaration_id: uuid.UUID, reason: str) -> ProgrammeAppeal:
    """The applicant appeals against the published result (异议) within the notice period,
    once (a retry answers with the first)."""
    if scope.person_id is None or scope.is_staff:
        raise PermissionDenied(_("Appeals are lodged by the applicant."))
    reason = text(reason, "reason", 2000)
    with transaction.atomic():
        declaration = (
            Declaration.objects.select_for_update(of=("self",))
            .filter(person_id=scope.person_id, pk=declaration_id)
            .select_related("programme")
            .first()
        )
        if declaration is None:
            raise NotFound()
        earlier = reads.appeal_of(declaration)
        if earlier is not None:
            return earlier
        if declaration.status != DeclarationStatus.PUBLISHED:
            raise DeclarationState(_("An appeal is lodged against a published result."))
        ends = declaration.programme.notice_ends_on
        if ends is None or timezone.localdate() > ends:
            raise AppealWindowClosed(
                _("The notice period ended on %(date)s: an appeal can no longer be lodged.") % {"date": ends}
            )
        appeal = ProgrammeAppeal.objects.create(declaration=declaration, reason=reason)
        declaration.status = DeclarationStatus.APPEALED
        declaration.save(update_fields=["status", "updated_at"])
        audit(scope, "talent.appeal_lodge", "talent_declaration", declaration.pk, appeal=str(appeal.pk))
    return appeal


def appeal_decide(*, scope: Scope, appeal_id: uuid.UUID, upheld: bool, reason: str) -> ProgrammeAppeal:
    """The office decides an appeal with the reason the applicant reads: dismissed (the result
    stands), or upheld (the declaration is reviewed again: a new round, whose experts the
    office draws excluding every earlier one; its score replaces the old)."""
    _office(scope)
    reason = text(reason, "reason", 500)
    with transaction.atomic():
        appeal = (
            ProgrammeAppeal.objects.select_for_update(of=("self",))
            .filter(reads.office_filter(scope, "declaration__programme__"), pk=appeal_id)
            .select_related("declaration")
            .first()
        )
        if appeal is None:
            raise NotFound()
        if appeal.status != AppealStatus.PENDING:
            if appeal.status == (AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED):
                return appeal
            raise Conflict(_("This appeal is already decided."), code="appeal_decided")
        declaration = Declaration.objects.select_for_update().get(pk=appeal.declaration_id)
        appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED
        appeal.decision_reason = reason
        appeal.score_before = declaration.score
        appeal.decided_by = scope.actor
        appeal.decided_at = timezone.now()
        appeal.save()
        if upheld:
            declaration.review_round += 1
            declaration.status = DeclarationStatus.ACCEPTED
        else:
            declaration.status = DeclarationStatus.PUBLISHED
        declaration.save(update_fields=["review_round", "status", "updated_at"])
        audit(
            scope,
            "talent.appeal_decide",
            "talent_declaration",
            declaration.pk,
            person=str(declaration.person_id),
            upheld=upheld,
        )
    return appeal


def programme_finalise(*, scope: Scope, programme_code: str) -> Programme:
    """After the notice period, with every appeal decided and every re-review scored, the
    published results become final."""
    _office(scope)
    with transaction.atomic():
        programme = _programme_locked(scope, programme_code)
        if programme.finalised_at is not None:
            return programme
        if programme.notice_ends_on is None or timezone.localdate() <= programme.notice_ends_on:
            raise Conflict(_("The results become final after the notice period."), code="notice_running")
        open_rows = (
            Declaration.objects.filter(programme=programme)
            .exclude(status__in=[DeclarationStatus.REFUSED, DeclarationStatus.PUBLISHED])
            .count()
        )
        if open_rows:
            raise Conflict(
                _("%(n)d declarations are still appealed or under re-review.") % {"n": open_rows},
                code="appeals_open",
            )
        Declaration.objects.filter(programme=programme, status=DeclarationStatus.PUBLISHED).update(
            status=DeclarationStatus.FINAL, updated_at=timezone.now()
        )
        programme.finalised_at = timezone.now()
        programme.save(update_fields=["finalised_at", "updated_at"])
        audit(scope, "talent.programme_finalise", "talent_programme", programme.pk)
    return programme
