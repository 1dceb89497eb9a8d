"""The 12333 agent desk: who is calling, a ticket for every call, complaints and reports sent
to the unit that answers them with a statutory or promised deadline, call-backs, quality
sampling and the desk's statistics.

Call handlers are front-line staff (counter clerks and administrators); a unit works its own
queue (the role of ``data/routing.csv``). Every look-up of a caller's personal data is audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.identifiers import parse_credit_code
from hrss.codes.selectors import parameter_value
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, ANALYST, COUNTER_CLERK, Scope
from hrss.core.workdays import add_workdays
from hrss.hotline.models import Article, Ticket
from hrss.registry.models import Employer, Person

AGENTS = (COUNTER_CLERK, ADMINISTRATOR)

# category -> the register a complaint or report of that category also enters (another app's,
# declared on its AppConfig as ``hotline_intake`` and registered by HotlineConfig.ready()):
# ``intake(ticket_reference=, agent=, credit_code=, kind=, content=, person_id=)`` -> its reference.
Intake = Callable[..., str]
_intakes: dict[str, Intake] = {}


def register_intake(category: str, intake: Intake) -> Intake:
    _intakes[category] = intake
    return intake


def unregister_intake(category: str) -> None:
    _intakes.pop(category, None)


@dataclass(frozen=True)
class Route:
    category: str
    label: str
    unit: str
    unit_name: str
    role: str


@cache
def routes() -> dict[str, Route]:
    text = resources.files("hrss.hotline").joinpath("data", "routing.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    return {row["category"]: Route(**row) for row in rows}


def unit_names() -> dict[str, str]:
    return {r.unit: r.unit_name for r in routes().values()}


def _require_agent(scope: Scope) -> None:
    if not scope.has_role(*AGENTS):
        raise PermissionDenied(_("Only hotline agents may do this."))


def visible(scope: Scope) -> QuerySet[Ticket]:
    """Tickets the caller may see: everything for the desk's administrators; an agent's own
    tickets; a unit's staff the tickets routed to the units their role works."""
    if scope.has_role(ADMINISTRATOR):
        return Ticket.objects.all()
    units = [r.unit for r in routes().values() if scope.has_role(r.role)]
    mine = Q(agent=scope.actor) if scope.has_role(COUNTER_CLERK) else Q(pk__in=[])
    if not units and not scope.has_role(COUNTER_CLERK):
        raise PermissionDenied(_("Only hotline agents and the units they route to may see tickets."))
    return Ticket.objects.filter(mine | Q(unit__in=units))


def ticket_get(*, scope: Scope, reference: str) -> Ticket:
    found = visible(scope).select_related("person", "employer").filter(reference=reference).first()
    if found is None:
        raise NotFound(_("No such ticket."))
    if found.person_id is not None:
        audit_record(
            actor=scope.actor,
            action="hotline.ticket.read",
            object_type="person",
            object_id=str(found.person_id),
            actor_role=scope.primary_role,
            detail={"ticket": reference},
        )
    return found


def ticket_list(
    *, scope: Scope, status: str = "", overdue: bool = False, limit: int = 50, offset: int = 0
) -> list[Ticket]:
    found = visible(scope).select_related("person", "employer")
    if status:
        found = found.filter(status=status)
    if overdue:
        found = found.filter(status=Ticket.Status.ROUTED, due_on__lt=timezone.localdate())
    return list(found.order_by("due_on", "-created_at")[offset : offset + limit])


def caller_lookup(*, scope: Scope, id_number: str = "", phone: str = "") -> Person:
    """Who is calling: by ID number (the registry's own audited read) or by the phone of their
    account. The same not-found answer either way."""
    _require_agent(scope)
    if id_number:
        from hrss.registry import selectors as registry

        return registry.person_get_by_id_number(scope=scope, id_number=id_number, purpose="12333 caller")
    from hrss.identity.models import User
    from hrss.identity.onetime import phone_index

    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) != 11:
        raise InvalidInput(fields={"phone": _("Enter an 11-digit mobile number.")})
    account = User.objects.filter(phone_index=phone_index(digits), is_active=True, person__isnull=False).first()
    if account is None or account.person is None or not scope.covers_district(account.person.household_district_id):
        raise NotFound(_("No person was found for this phone number."))
    audit_record(
        actor=scope.actor,
        action="registry.person.read",
        object_type="person",
        object_id=str(account.person.pk),
        purpose="12333 caller by phone",
        actor_role=scope.primary_role,
    )
    return account.person


def _employer(credit_code: str) -> Employer | None:
    if not credit_code:
        return None
    code = parse_credit_code(credit_code)
    found = Employer.objects.filter(credit_code=code.value).first()
    if found is None:
        raise InvalidInput(fields={"employer_credit_code": _("No employer with this credit code is registered.")})
    return found


def _reference(today: dt.date) -> str:
    return f"RX{today:%y%m%d}{secrets.randbelow(10**6):06d}"


def ticket_open(*, scope: Scope, values: dict[str, Any], idempotency_key: str = "") -> Ticket:
    """A ticket for a call. A consultation answered on the call is closed at once; anything else
    goes to its category's unit with the deadline in force (working days)."""
    _require_agent(scope)
    if idempotency_key:
        earlier = Ticket.objects.filter(agent=scope.actor, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    route = routes().get(values.get("category", ""))
    if route is None:
        raise InvalidInput(fields={"category": _("Choose a category.")})
    kind = values.get("kind", "")
    if kind not in Ticket.Kind.values:
        raise InvalidInput(fields={"kind": _("Choose a kind.")})
    answered = kind == Ticket.Kind.CONSULTATION and bool(values.get("resolved_on_call"))
    if answered and not (values.get("answer") or "").strip():
        raise InvalidInput(fields={"answer": _("Say what the caller was told.")})
    employer = _employer(values.get("employer_credit_code", ""))
    if kind in (Ticket.Kind.COMPLAINT, Ticket.Kind.REPORT) and route.category == "labour" and employer is None:
        raise InvalidInput(fields={"employer_credit_code": _("A labour complaint or report names the employer.")})
    person = None
    if values.get("id_number"):
        person = caller_lookup(scope=scope, id_number=values["id_number"])
    if kind == Ticket.Kind.PETITION and person is None:
        # a petition (信访) is answered to the petitioner: the desk identifies the caller
        raise InvalidInput(fields={"id_number": _("A petition names the caller: give their ID number.")})
    today = timezone.localdate()
    deadline = (
        "hotline.referral_reply_workdays"
        if kind == Ticket.Kind.CONSULTATION
        else "inspection.complaint_acceptance_workdays"
    )
    codes = [c for c in values.get("articles") or [] if c]
    articles = list(Article.objects.filter(code__in=codes))
    if len(articles) != len(set(codes)):
        raise InvalidInput(fields={"articles": _("No such article.")})
    ticket = Ticket(
        channel=values.get("channel") or "hotline",
        kind=kind,
        category=route.category,
        person=person,
        caller_phone=values.get("caller_phone", ""),
        employer=employer,
        summary=values["summary"],
        answer=values.get("answer", ""),
        status=Ticket.Status.ANSWERED if answered else Ticket.Status.ROUTED,
        first_contact_resolved=answered,
        unit="" if answered else route.unit,
        due_on=None if answered else add_workdays(today, int(parameter_value(deadline, on=today))),
        callback_due=(
            add_workdays(today, int(parameter_value("hotline.callback_workdays", on=today)))
            if values.get("callback")
            else None
        ),
        agent=scope.actor,
        idempotency_key=idempotency_key[:64],
    )
    for _attempt in range(5):
        ticket.reference = _reference(today)
        try:
            with transaction.atomic():
                intake = _intakes.get(route.category)
                if intake is not None and kind != Ticket.Kind.CONSULTATION and (employer or person) is not None:
                    # The same complaint, report or petition in the other app's register, keyed
                    # by this ticket's reference.
                    ticket.linked_reference = intake(
                        ticket_reference=ticket.reference,
                        agent=scope.actor,
                        credit_code=employer.credit_code if employer is not None else "",
                        kind=kind,
                        content=ticket.summary,
                        person_id=person.pk if person is not None else None,
                    )
                ticket.save()
                ticket.articles.set(articles)
                audit_record(
                    actor=scope.actor,
                    action="hotline.ticket.open",
                    object_type="hotline.ticket",
                    object_id=ticket.reference,
                    actor_role=scope.primary_role,
                    detail={"person": str(person.pk)} if person else None,
                )
            break
        except IntegrityError:
            earlier = Ticket.objects.filter(agent=scope.actor, idempotency_key=idempotency_key).first()
            if idempotency_key and earlier is not None:
                return earlier  # a concurrent retry won
    else:  # pragma: no cover - a million references a day
        raise Conflict(_("Could not number the ticket; try again."))
    return ticket


@transaction.atomic
def ticket_resolve(*, scope: Scope, reference: str, resolution: str) -> Ticket:
    ticket = ticket_get(scope=scope, reference=reference)
    route = next((r for r in routes().values() if r.unit == ticket.unit), None)
    if route is None or not scope.has_role(route.role, ADMINISTRATOR):
        raise PermissionDenied(_("Only the unit the ticket was sent to may resolve it."))
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.RESOLVED:
        return ticket  # a retry
    if ticket.status != Ticket.Status.ROUTED:
        raise Conflict(_("Only a ticket sent to a unit can be resolved."))
    ticket.status = Ticket.Status.RESOLVED
    ticket.resolution = resolution
    ticket.resolved_at = timezone.now()
    ticket.resolved_by = scope.actor
    ticket.save()
    audit_record(actor=scope.actor, action="hotline.ticket.resolve", object_type="hotline.ticket", object_id=reference)
    return ticket


@transaction.atomic
def callback_done(*, scope: Scope, reference: str, note: str) -> Ticket:
    _require_agent(scope)
    ticket = ticket_get(scope=scope, reference=reference)
    if ticket.callback_due is None:
        raise Conflict(_("The caller did not ask to be called back."))
    if ticket.callback_done_at is None:
        ticket.callback_done_at = timezone.now()
        ticket.callback_note = note
        ticket.save(update_fields=["callback_done_at", "callback_note", "updated_at"])
    return ticket


def callbacks_due(*, scope: Scope, on: dt.date | None = None) -> list[Ticket]:
    on = on or timezone.localdate()
    return list(
        visible(scope)
        .filter(callback_due__isnull=False, callback_done_at__isnull=True, callback_due__lte=on)
        .select_related("person", "employer")
        .order_by("callback_due")[:200]
    )


def quality_sample(*, scope: Scope, day: dt.date, seed: int | None = None) -> list[Ticket]:
    """Draw the day's quality sample: the ratio in force of that day's tickets, chosen by a seeded
    generator (the seed is recorded in the audit log, so the draw can be repeated). Drawing the
    same day again returns the same sample."""
    if not scope.has_role(ADMINISTRATOR):
        raise PermissionDenied(_("Only the desk's supervisors draw quality samples."))
    of_day = Ticket.objects.filter(created_at__range=_bounds(day, day))
    already = list(of_day.filter(sampled_on__isnull=False).order_by("reference"))
    if already:
        return already
    references = sorted(of_day.values_list("reference", flat=True))
    if not references:
        return []
    ratio = parameter_value("hotline.quality_sample_ratio", on=day)
    size = max(1, round(len(references) * float(ratio)))
    seed = seed if seed is not None else secrets.randbelow(2**31)
    chosen = sorted(random.Random(seed).sample(references, size))
    with transaction.atomic():
        Ticket.objects.filter(reference__in=chosen).update(sampled_on=day, updated_at=timezone.now())
        audit_record(
            actor=scope.actor,
            action="hotline.quality.sample",
            object_type="hotline.day",
            object_id=day.isoformat(),
            detail={"seed": seed, "size": size, "of": len(references)},
        )
    return list(Ticket.objects.filter(reference__in=chosen).order_by("reference"))


@transaction.atomic
def quality_score(*, scope: Scope, reference: str, score: int, note: str = "") -> Ticket:
    if not scope.has_role(ADMINISTRATOR):
        raise PermissionDenied(_("Only the desk's supervisors score quality."))
    ticket = ticket_get(scope=scope, reference=reference)
    if ticket.sampled_on is None:
        raise Conflict(_("Only a sampled ticket is scored."))
    if not 1 <= score <= 5:
        raise InvalidInput(fields={"score": _("Score from 1 to 5.")})
    ticket.quality_score = score
    ticket.quality_note = note
    ticket.save(update_fields=["quality_score", "quality_note", "updated_at"])
    return ticket


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local days as a range of instants (the index on ``created_at`` serves it)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone) - dt.timedelta(microseconds=1)
    return start, end


@dataclass(frozen=True)
class DeskStatistics:
    since: dt.date
    until: dt.date
    total: int
    by_category: list[dict[str, Any]]
    by_hour: list[dict[str, Any]]
    consultations: int
    first_contact_resolved: int
    overdue: int
    callbacks_overdue: int

    @property
    def first_contact_rate(self) -> float | None:
        return self.first_contact_resolved / self.consultations if self.consultations else None


def statistics(*, scope: Scope, since: dt.date, until: dt.date) -> DeskStatistics:
    """Calls by category and hour, first-contact resolution, overdue tickets: a few grouped
    queries, whatever the number of tickets."""
    if not scope.has_role(ADMINISTRATOR, COUNTER_CLERK, ANALYST):
        raise PermissionDenied(_("Only the desk's staff and analysts see its statistics."))
    if until < since:
        raise InvalidInput(fields={"until": _("The end is before the start.")})
    period = Ticket.objects.filter(created_at__range=_bounds(since, until))
    labels = {r.category: r.label for r in routes().values()}
    by_category = [
        {"category": row["category"], "label": labels.get(row["category"], row["category"]), "calls": row["n"]}
        for row in period.values("category").annotate(n=Count("id")).order_by("-n", "category")
    ]
    by_hour = [
        {"hour": row["hour"], "calls": row["n"]}
        for row in period.annotate(hour=ExtractHour("created_at"))
        .values("hour")
        .annotate(n=Count("id"))
        .order_by("hour")
    ]
    summary = period.aggregate(
        total=Count("id"),
        consultations=Count("id", filter=Q(kind=Ticket.Kind.CONSULTATION)),
        fcr=Count("id", filter=Q(kind=Ticket.Kind.CONSULTATION, first_contact_resolved=True)),
    )
    today = timezone.localdate()
    overdue = Ticket.objects.filter(status=Ticket.Status.ROUTED, due_on__lt=today).count()
    callbacks = Ticket.objects.filter(callback_done_at__isnull=True, callback_due__lt=today).count()
    return DeskStatistics(
        since=since,
        until=until,
        total=summary["total"],
        by_category=by_category,
        by_hour=by_hour,
        consultations=summary["consultations"],
        first_contact_resolved=summary["fcr"],
        overdue=overdue,
        callbacks_overdue=callbacks,
    )
