"""The arbitration case lifecycle (L1): filed → accepted or refused → hearing scheduled →
heard → award. Every write is atomic, audited and written to the case's history.

Filing, acceptance and refusal come from the service hall's process (the hall's
``labor.*`` service tasks in ``hrss.labor.servicetasks``), keyed by the hall reference so a
retried task does not act twice. The arbitrator's steps come from the workbench (pages and
API) and are checked against the case's state and the statutory periods.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.identifiers import parse_credit_code
from hrss.codes.selectors import parameter_value
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, ARBITRATOR, Scope
from hrss.labor import deadlines, rules
from hrss.labor.models import (
    OPEN_STATUSES,
    ArbitrationCase,
    Arbitrator,
    AwardOutcome,
    CaseEvent,
    CaseStatus,
    ClockState,
    PanelSeat,
    Recusal,
    RecusalSource,
    Tribunal,
)
from hrss.registry.models import Employer, Person

MAX_AMOUNT = Decimal("100000000")


def _record(case: ArbitrationCase, *, actor: str, action: str, note: str = "", role: str = "") -> None:
    CaseEvent.objects.create(case=case, action=action, actor=actor, note=note)
    audit_record(
        actor=actor,
        actor_role=role,
        action=f"labor.case.{action}",
        object_type="labor.ArbitrationCase",
        object_id=str(case.pk),
        detail={"reference": case.reference, "status": case.status},
    )


def _respondent(text: str) -> tuple[Employer | None, str]:
    """The respondent named on the form: an employer of the registry when the text is its
    credit code, else the name as written (the hall's form takes either)."""
    text = (text or "").strip()
    try:
        code = parse_credit_code(text).value
    except DomainError:
        return None, text
    employer = Employer.objects.filter(credit_code=code).first()
    return employer, (employer.name if employer else text)


def amount_parse(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        amount = Decimal(str(raw))
    except ArithmeticError:
        raise InvalidInput(_("The amount claimed is not a number."), fields={"amount": str(raw)}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise InvalidInput(_("The amount claimed is out of range."), fields={"amount": str(raw)})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def case_file(
    *, reference: str, person_id: uuid.UUID, respondent: str, claims: str, amount: Any, actor: str, received_on: dt.date
) -> ArbitrationCase:
    """Open the case of a hall application as it comes in (idempotent on the reference)."""
    existing = ArbitrationCase.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    person = Person.objects.select_related("residence_district").get(pk=person_id)
    employer, name = _respondent(respondent)
    if not name:
        raise InvalidInput(_("Name the employer you have a dispute with."), fields={"respondent": ""})
    if not (claims or "").strip():
        raise InvalidInput(_("Say what you claim."), fields={"claims": ""})
    case = ArbitrationCase.objects.create(
        reference=reference,
        person=person,
        employer=employer,
        respondent_name=name[:200],
        district_id=(employer.district_id if employer else None) or person.residence_district_id,
        claims=claims.strip(),
        claim_type=rules.claim_type(claims),
        amount_claimed=amount_parse(amount),
        received_on=received_on,
        acceptance_due=deadlines.deadline(rules.ACCEPTANCE, received_on).due,
    )
    case.due_on = case.acceptance_due
    case.save(update_fields=["due_on"])
    _record(case, actor=actor, action="file")
    return case


@transaction.atomic
def case_accept(*, reference: str, actor: str, on: dt.date) -> ArbitrationCase:
    """The commission accepts the case (立案): the 45-day award clock starts (idempotent)."""
    case = ArbitrationCase.objects.select_for_update().filter(reference=reference).first()
    if case is None:
        raise Conflict(_("No arbitration case was opened for this application."), code="labor_case_missing")
    if case.status != CaseStatus.FILED:
        return case
    case.status = CaseStatus.ACCEPTED
    case.accepted_on = on
    case.award_due = deadlines.deadline(rules.AWARD, on).due
    case.due_on = case.award_due
    case.clock = ClockState.ON_TIME
    case.tribunal = tribunal_for(case, on=on)
    case.save()
    _record(case, actor=actor, action="accept")
    assign_from_roster(case, actor=actor)
    return case


@transaction.atomic
def case_refuse(*, reference: str, actor: str, reasons: str) -> ArbitrationCase | None:
    """The commission refuses the case (不予受理) with its reasons (idempotent)."""
    case = ArbitrationCase.objects.select_for_update().filter(reference=reference).first()
    if case is None or case.status != CaseStatus.FILED:
        return case
    case.status = CaseStatus.REFUSED
    case.refusal_reasons = reasons or _("The application does not meet the conditions for acceptance.")
    case.due_on = None
    case.clock = ClockState.STOPPED
    case.save()
    _record(case, actor=actor, action="refuse", note=case.refusal_reasons)
    return case


# --- the arbitrator's steps ------------------------------------------------------------------------


def _arbitrator(scope: Scope) -> None:
    if not scope.has_role(ARBITRATOR, ADMINISTRATOR):
        raise PermissionDenied(_("This is work for arbitrators."))


def _locked(scope: Scope, reference: str) -> ArbitrationCase:
    from hrss.labor.selectors import case_queryset

    _arbitrator(scope)
    case = case_queryset(scope=scope).select_for_update(of=("self",)).filter(reference=reference).first()
    if case is None:
        raise NotFound(code="labor_case_not_found")
    return case


def _expect(case: ArbitrationCase, *statuses: str) -> None:
    if case.status not in statuses:
        raise Conflict(
            _("This step is not open for a case that is %(status)s.") % {"status": case.get_status_display()},
            code="labor_case_state",
            fields={"status": case.status},
        )


def _mine(scope: Scope, case: ArbitrationCase) -> None:
    if case.arbitrator != scope.actor and not scope.has_role(ADMINISTRATOR):
        raise PermissionDenied(_("Only the arbitrator assigned to the case may do this."))


@transaction.atomic
def case_take(*, scope: Scope, reference: str) -> ArbitrationCase:
    """An arbitrator takes an accepted case from the queue (sole arbitrator)."""
    case = _locked(scope, reference)
    if case.arbitrator == scope.actor:
        return case
    _expect(case, CaseStatus.ACCEPTED)
    if case.arbitrator:
        raise Conflict(_("Another arbitrator has this case."), code="labor_case_taken")
    if case.recusals.filter(arbitrator=scope.actor).exists():
        raise Conflict(_("You have withdrawn from this case."), code="labor_case_recused")
    if case.panel_seats.filter(arbitrator=scope.actor).exists():
        raise Conflict(_("You already sit on this case's panel."), code="labor_case_taken")
    case.arbitrator = scope.actor
    case.save(update_fields=["arbitrator", "updated_at"])
    _record(case, actor=scope.actor, action="assign", role=scope.primary_role)
    assign_from_roster(case, actor=scope.actor, role=scope.primary_role)
    return case


@transaction.atomic
def hearing_schedule(
    *, scope: Scope, reference: str, at: dt.datetime, room: str, today: dt.date | None = None
) -> ArbitrationCase:
    """Fix the hearing and send its notice today; the notice must come at least the
    statutory days before (第35条), and the room and the arbitrator must be free."""
    case = _locked(scope, reference)
    _mine(scope, case)
    _expect(case, CaseStatus.ACCEPTED, CaseStatus.HEARING_SCHEDULED)
    today = today or timezone.localdate()
    room = (room or "").strip()
    if not room:
        raise InvalidInput(_("Choose a hearing room."), fields={"room": ""})
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    hearing_on = timezone.localtime(at).date()
    notice = deadlines.days("arbitration.hearing_notice_days", on=today)
    if not rules.hearing_notice_ok(notified_on=today, hearing_on=hearing_on, notice_days=notice):
        raise InvalidInput(
            _("The parties must be notified at least %(days)d days before the hearing.") % {"days": notice},
            code="labor_hearing_notice",
            fields={"at": at.isoformat()},
        )
    if case.award_due and hearing_on > case.award_due:
        raise InvalidInput(
            _("The hearing must be held before the award is due."), code="labor_hearing_late", fields={"at": ""}
        )
    window = dt.timedelta(hours=2)
    clash = (
        ArbitrationCase.objects.filter(hearing_at__gt=at - window, hearing_at__lt=at + window)
        .exclude(pk=case.pk)
        .filter(status=CaseStatus.HEARING_SCHEDULED)
    )
    if clash.filter(hearing_room=room).exists():
        raise Conflict(_("The room is booked at that time."), code="labor_room_booked", fields={"room": room})
    if clash.filter(arbitrator=case.arbitrator).exists():
        raise Conflict(_("The arbitrator has another hearing at that time."), code="labor_arbitrator_busy")
    case.hearing_at, case.hearing_room, case.hearing_notified_on = at, room, today
    case.status = CaseStatus.HEARING_SCHEDULED
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise Conflict(_("The room is booked at that time."), code="labor_room_booked", fields={"room": room}) from None
    _record(
        case, actor=scope.actor, action="schedule_hearing", note=f"{at.isoformat()} {room}", role=scope.primary_role
    )
    return case


@transaction.atomic
def hearing_record(*, scope: Scope, reference: str, record: str) -> ArbitrationCase:
    case = _locked(scope, reference)
    _mine(scope, case)
    _expect(case, CaseStatus.HEARING_SCHEDULED)
    if not (record or "").strip():
        raise InvalidInput(_("Write the hearing record."), fields={"record": ""})
    case.hearing_record = record.strip()
    case.status = CaseStatus.HEARD
    case.save()
    _record(case, actor=scope.actor, action="record_hearing", role=scope.primary_role)
    return case


@transaction.atomic
def award_extend(*, scope: Scope, reference: str, reason: str) -> ArbitrationCase:
    """Extend the award period once by the statutory days (complex case, 第43条)."""
    case = _locked(scope, reference)
    _mine(scope, case)
    _expect(case, CaseStatus.ACCEPTED, CaseStatus.HEARING_SCHEDULED, CaseStatus.HEARD)
    if case.extended:
        raise Conflict(_("The award period can be extended only once."), code="labor_already_extended")
    if not (reason or "").strip():
        raise InvalidInput(_("Say why the case needs more time."), fields={"reason": ""})
    assert case.accepted_on is not None
    case.award_due = deadlines.deadline(rules.AWARD_EXTENDED, case.accepted_on).due
    case.due_on = case.award_due
    case.extended = True
    case.save()
    _record(case, actor=scope.actor, action="extend", note=reason.strip(), role=scope.primary_role)
    return case


@transaction.atomic
def award_issue(
    *, scope: Scope, reference: str, outcome: str, text: str, amount: Any, today: dt.date | None = None
) -> ArbitrationCase:
    """Issue the award. A claim not above the statutory months of minimum wage is final."""
    case = _locked(scope, reference)
    _mine(scope, case)
    _expect(case, CaseStatus.HEARD)
    if outcome not in AwardOutcome.values:
        raise InvalidInput(_("Choose the outcome of the award."), fields={"outcome": outcome})
    if not (text or "").strip():
        raise InvalidInput(_("Write the award."), fields={"text": ""})
    awarded = amount_parse(amount) or Decimal(0)
    if outcome == AwardOutcome.DISMISSED:
        awarded = Decimal(0)
    today = today or timezone.localdate()
    claimed = case.amount_claimed
    case.final_award = claimed is not None and rules.is_final_award(
        claimed=claimed,
        monthly_minimum_wage=parameter_value("minimum_wage.monthly", on=today),
        multiple=parameter_value("arbitration.final_award_wage_multiple", on=today),
    )
    case.outcome, case.award_text, case.amount_awarded = outcome, text.strip(), awarded
    case.awarded_on = today
    case.status = CaseStatus.AWARDED
    case.due_on = None
    case.clock = ClockState.STOPPED
    case.save()
    _record(case, actor=scope.actor, action="award", role=scope.primary_role)
    return case


# --- the roster: assignment by load and district, recusal ------------------------------------------

HEARING_WINDOW = dt.timedelta(hours=2)


def roster_candidates() -> list[rules.Candidate]:
    """The active arbitrators with the open cases each holds, as sole or chief arbitrator or on a
    panel's seat (three queries, whatever the roster)."""
    roster = list(Arbitrator.objects.filter(active=True).values_list("username", "district_id", "capacity"))
    names = [r[0] for r in roster]
    loads = dict(
        ArbitrationCase.objects.filter(status__in=OPEN_STATUSES, arbitrator__in=names)
        .values("arbitrator")
        .annotate(n=Count("pk"))
        .values_list("arbitrator", "n")
    )
    seats = (
        PanelSeat.objects.filter(case__status__in=OPEN_STATUSES, arbitrator__in=names)
        .values("arbitrator")
        .annotate(n=Count("pk"))
        .values_list("arbitrator", "n")
    )
    for username, n in seats:
        loads[username] = loads.get(username, 0) + n
    return [
        rules.Candidate(username, district, loads.get(username, 0), capacity) for username, district, capacity in roster
    ]


def tribunal_for(case: ArbitrationCase, *, on: dt.date) -> str:
    """Sole arbitrator or panel of three for the case, by its amount claimed and the dated
    ``arbitration.sole_arbitrator_wage_multiple`` (L1). No amount claimed: sole."""
    if case.amount_claimed is None:
        return Tribunal.SOLE
    return rules.tribunal_for(
        claimed=case.amount_claimed,
        monthly_minimum_wage=parameter_value("minimum_wage.monthly", on=on),
        sole_multiple=parameter_value("arbitration.sole_arbitrator_wage_multiple", on=on),
    )


def _busy_at(at: dt.datetime | None) -> set[str]:
    """The arbitrators with another hearing near ``at`` (a case keeps its slot when it changes hands)."""
    if at is None:
        return set()
    return set(
        ArbitrationCase.objects.filter(
            status=CaseStatus.HEARING_SCHEDULED, hearing_at__gt=at - HEARING_WINDOW, hearing_at__lt=at + HEARING_WINDOW
        ).values_list("arbitrator", flat=True)
    )


def assign_from_roster(case: ArbitrationCase, *, actor: str, role: str = "") -> str | None:
    """Give an open case's empty places to the roster's choices (in the caller's transaction,
    the case locked): its arbitrator (sole or chief) and, on a panel, each empty seat. Nobody
    eligible: the place waits (an arbitrator may take an unheld case from the queue)."""
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.HEARING_SCHEDULED):
        return None
    empty: list[PanelSeat] = []
    if case.tribunal == Tribunal.PANEL:
        seats = {seat.position: seat for seat in case.panel_seats.select_for_update()}
        for position in (1, 2):
            seat = seats.get(position) or PanelSeat(case=case, position=position)
            if not seat.arbitrator:
                empty.append(seat)
        sitting = {seat.arbitrator for seat in seats.values() if seat.arbitrator}
    else:
        sitting = set()
    wanted = len(empty) + (0 if case.arbitrator else 1)
    if not wanted:
        return None
    recused = set(case.recusals.values_list("arbitrator", flat=True))
    excluded = recused | _busy_at(case.hearing_at) | sitting | ({case.arbitrator} - {""})
    chosen = rules.choose_panel(roster_candidates(), district=case.district_id, seats=wanted, excluded=excluded)
    chief = None
    if chosen and not case.arbitrator:
        chief = case.arbitrator = chosen.pop(0)
        case.save(update_fields=["arbitrator", "updated_at"])
        _record(case, actor=actor, action="assign", note=chief, role=role)
    for seat, username in zip(empty, chosen, strict=False):
        seat.arbitrator = username
        seat.save()
        _record(case, actor=actor, action="assign_member", note=username, role=role)
    return chief


@transaction.atomic
def case_recuse(*, scope: Scope, reference: str, source: str, reason: str, member: str = "") -> ArbitrationCase:
    """Withdraw an arbitrator from the case (回避, 第33条) with the reasons, and give only that
    place to the roster's next choice: the sole or chief arbitrator by default, or ``member``,
    one of a panel's two members (the rest of the panel stays). The chief, the member
    themself or an administrator (for the commission's chair, who decides a party's request)
    records it, before the award."""
    case = _locked(scope, reference)
    seat = None
    if member and member != case.arbitrator:
        seat = case.panel_seats.select_for_update().filter(arbitrator=member).first()
        if seat is None:
            raise InvalidInput(_("This arbitrator does not sit on the case."), fields={"member": member})
        if member != scope.actor:
            _mine(scope, case)
    else:
        _mine(scope, case)
    _expect(case, CaseStatus.ACCEPTED, CaseStatus.HEARING_SCHEDULED)
    if not case.arbitrator and seat is None:
        raise Conflict(_("No arbitrator holds this case."), code="labor_case_unassigned")
    if source not in RecusalSource.values:
        raise InvalidInput(_("Say who asked for the recusal."), fields={"source": source})
    if not (reason or "").strip():
        raise InvalidInput(_("Give the reasons for the recusal."), fields={"reason": ""})
    withdrawn = seat.arbitrator if seat else case.arbitrator
    Recusal.objects.create(
        case=case, arbitrator=withdrawn, source=source, reason=reason.strip(), decided_by=scope.actor
    )
    if seat is not None:
        seat.arbitrator = ""
        seat.save(update_fields=["arbitrator"])
    else:
        case.arbitrator = ""
        case.save(update_fields=["arbitrator", "updated_at"])
    _record(case, actor=scope.actor, action="recuse", note=f"{withdrawn}：{reason.strip()}", role=scope.primary_role)
    assign_from_roster(case, actor=scope.actor, role=scope.primary_role)
    return case


# --- settlement in the case (仲裁调解, 第42条) ------------------------------------------------------


@transaction.atomic
def case_settle(
    *, scope: Scope, reference: str, text: str, amount: Any, today: dt.date | None = None
) -> ArbitrationCase:
    """The parties settle before the award: the tribunal records the mediation statement
    (调解书) with the amount agreed, and the case closes instead of going to an award."""
    case = _locked(scope, reference)
    _mine(scope, case)
    _expect(case, CaseStatus.ACCEPTED, CaseStatus.HEARING_SCHEDULED, CaseStatus.HEARD)
    if not (text or "").strip():
        raise InvalidInput(_("Write what the parties agreed."), fields={"text": ""})
    case.settlement_text = text.strip()
    case.amount_settled = amount_parse(amount)
    case.settled_on = today or timezone.localdate()
    case.status = CaseStatus.SETTLED
    case.due_on = None
    case.clock = ClockState.STOPPED
    case.save()
    _record(case, actor=scope.actor, action="settle", role=scope.primary_role)
    return case
