"""Reads of the card (A5), each scoped by the caller: holders see their own cards and trail,
outlet staff the persons of their districts, analysts aggregates only, institutions what
their grant allows (card service platform)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.card import rules, tokens
from hrss.card.models import Card, CardApplication, CardEvent, CardUse, PaymentOrder, ReconciliationRun
from hrss.card.rules import CardStatus
from hrss.card.services.access import (
    GRANT_HOLDER_ID_NUMBER,
    GRANT_HOLDER_NAME,
    GRANT_VERIFY,
    RECONCILER_ROLES,
    may_record_use,
    require_holder_or_office,
)
from hrss.codes import selectors as codes
from hrss.codes.identifiers import parse_id_number
from hrss.core.audit import audit_record
from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import AGENCY_CLIENT, Scope
from hrss.registry import selectors as registry
from hrss.registry.models import Person
from hrss.registry.services import id_number_index

VALID = "valid"
EXPIRED = "expired"
FORGED = "forged"
CARD_NOT_ACTIVE = "card_not_active"


def card_queryset(*, scope: Scope) -> QuerySet[Card]:
    """Cards the caller may look at one by one: their own, or their district's persons for staff."""
    cards = Card.objects.select_related("person")
    if scope.is_staff and scope.sees_personal_data:
        return cards.filter(person__in=registry.person_queryset(scope=scope))
    if scope.person_id is not None:
        return cards.filter(person_id=scope.person_id)
    return cards.none()


def holder_cards(*, scope: Scope) -> list[Card]:
    """The signed-in holder's cards, newest first (the current one and those it replaced)."""
    if scope.person_id is None:
        raise PermissionDenied(_("This account is not bound to a person."), code="not_bound")
    return list(Card.objects.filter(person_id=scope.person_id).order_by("-applied_at"))


def holder_current_card(*, scope: Scope) -> Card | None:
    """The card the holder uses now (in use), else the one on its way, else None."""
    cards = holder_cards(scope=scope)
    for group in (rules.IN_USE, rules.PENDING):
        for card in cards:
            if card.status in group:
                return card
    return None


def card_get(*, scope: Scope, card_id: Any = None, number: str | None = None, purpose: str = "") -> Card:
    """One card, if the caller may see it; staff reads are audited."""
    cards = card_queryset(scope=scope)
    if number is not None:
        normalised = rules.card_number_normalise(number)
        if not rules.card_number_valid(normalised):
            raise InvalidInput(
                _("This is not a valid card number (check the nine characters)."), fields={"number": number}
            )
        card = cards.filter(number=normalised).first()
    else:
        card = cards.filter(pk=card_id).first()
    if card is None:
        raise NotFound(_("No such card was found within your scope."))
    if scope.is_staff:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="card.read",
            object_type="card",
            object_id=str(card.pk),
            purpose=purpose,
        )
    return card


def holder_by_card_number(*, scope: Scope, number: str) -> Person:
    """The holder of a card, by its number: the counter's walk-in search (registered with the
    service hall by ``CardConfig.card_lookup``). Any status: a citizen may bring a card that is
    lost or replaced. The read is audited like every staff read of a card."""
    return card_get(scope=scope, number=number, purpose="walk-in").person


def card_application_refusal(*, person_id: Any, kind: str = rules.ApplicationKind.FIRST) -> rules.Refusal | None:
    """What ``services.card_apply`` would refuse for this person now (one card per person),
    without applying: the service hall asks at submission (``servicetasks.hall_submission_check``).

    Not scoped: the caller already holds the person, read through its own scope.
    """
    live = Card.objects.filter(person_id=person_id, status__in=sorted(rules.LIVE)).values_list("status", flat=True)
    return rules.application_refusal(kind, list(live))


def card_events(*, card: Card) -> list[CardEvent]:
    return list(card.events.all())


def person_cards(*, scope: Scope, person: Person) -> list[Card]:
    """A person's cards for outlet staff (the person was already read through the registry's scope)."""
    return list(card_queryset(scope=scope).filter(person=person).order_by("-applied_at"))


# --- electronic card verification (the hot path of the card service platform) --------------------


@dataclass(frozen=True)
class Verification:
    result: str  # valid | expired | forged | card_not_active
    expires_at: dt.datetime | None = None
    holder_name: str | None = None
    holder_id_number: str | None = None
    card_id: uuid.UUID | None = field(default=None, repr=False)  # for recording a use; never sent out


def _may_verify(scope: Scope) -> bool:
    return (scope.has_role(AGENCY_CLIENT) and GRANT_VERIFY in scope.grants) or scope.is_staff


def disclosed_fields(scope: Scope) -> frozenset[str]:
    """Which holder fields a verification may return to this caller."""
    if scope.is_staff and scope.sees_personal_data:
        return frozenset({"holder_name", "holder_id_number"})
    wanted: set[str] = set()
    if scope.has_role(AGENCY_CLIENT):
        if GRANT_HOLDER_NAME in scope.grants:
            wanted.add("holder_name")
        if GRANT_HOLDER_ID_NUMBER in scope.grants:
            wanted.add("holder_id_number")
    return frozenset(wanted)


@dataclass(frozen=True)
class _CardRow:
    status: str
    ecard_epoch: int
    ecard_issued: bool
    person_id: Any


def _card_row(card_id: uuid.UUID) -> _CardRow | None:
    """The few columns a verification needs, by primary key, in one hand-written statement.

    This is the hot path of the card platform (benchmarked): the ORM would spend more time
    compiling the query than the database spends answering it.
    """
    meta = Card._meta
    sql = _CARD_ROW_SQL.get(connection.vendor)
    if sql is None:
        column = {field.name: field.column for field in meta.concrete_fields}
        sql = _CARD_ROW_SQL[connection.vendor] = (
            f"SELECT {column['status']}, {column['ecard_epoch']}, {column['ecard_issued_at']} IS NOT NULL, "  # noqa: S608 - names from model metadata
            f"{column['person']} FROM {meta.db_table} WHERE {meta.pk.column} = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [meta.pk.get_db_prep_value(card_id, connection)])
        found = cursor.fetchone()
    if found is None:
        return None
    return _CardRow(
        status=found[0],
        ecard_epoch=found[1],
        ecard_issued=bool(found[2]),
        person_id=meta.get_field("person").to_python(found[3]),
    )


_CARD_ROW_SQL: dict[str, str] = {}
_HOLDER_COLUMNS = {
    frozenset({"holder_name"}): ("name",),
    frozenset({"holder_id_number"}): ("id_number",),
    frozenset({"holder_name", "holder_id_number"}): ("name", "id_number"),
}


def ecard_code_verify(*, scope: Scope, code: str, purpose: str = "", now: float | None = None) -> Verification:
    """Check an electronic card code shown by a holder: valid, expired, forged or card not active.

    One HMAC and at most one indexed read; nothing is decrypted unless the caller's grant
    includes the holder's ID number. Disclosing holder data is audited.
    """
    if not _may_verify(scope):
        raise PermissionDenied(_("Verifying card codes needs the card:verify grant."))
    clock = time.time() if now is None else now
    try:
        claims = tokens.token_read(code.strip(), key=settings.HRSS_CARD_TOKEN_KEY.encode())
    except tokens.ForgedToken:
        return Verification(FORGED)
    expires_at = claims.expires_datetime
    if claims.expired(clock):
        return Verification(EXPIRED, expires_at=expires_at)
    fields = disclosed_fields(scope)
    row = _card_row(claims.card_id)
    if row is None or not row.ecard_issued or row.ecard_epoch != claims.epoch:
        return Verification(CARD_NOT_ACTIVE, expires_at=expires_at)
    if row.status != CardStatus.ACTIVE:
        lapse = None
        if row.status == CardStatus.TEMPORARILY_LOST:  # rare: has the report run its course?
            lapse = Card.objects.filter(pk=claims.card_id).values_list("temporary_loss_until", flat=True).first()
        if not rules.in_service(row.status, lapse, dt.datetime.fromtimestamp(clock, tz=dt.UTC)):
            return Verification(CARD_NOT_ACTIVE, expires_at=expires_at)
    if not fields:
        return Verification(VALID, expires_at=expires_at, card_id=claims.card_id)
    # Only the columns the grant discloses are read (the ID number is decrypted only if granted).
    holder = Person.objects.filter(pk=row.person_id).values(*_HOLDER_COLUMNS[fields]).first() or {}
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="card.ecard_verify",
        object_type="card",
        object_id=str(claims.card_id),
        purpose=purpose,
        detail={"disclosed": sorted(fields)},
    )
    return Verification(
        VALID,
        expires_at=expires_at,
        holder_name=holder.get("name"),
        holder_id_number=holder.get("id_number"),
        card_id=claims.card_id,
    )


@dataclass(frozen=True)
class CardCheck:
    """A physical card's status for an institution (card service platform)."""

    card_number: str
    status: str  # active | not_active | unknown
    holder_matches: bool | None = None
    holder_name: str | None = None
    holder_id_number: str | None = None
    card_id: uuid.UUID | None = field(default=None, repr=False)


def card_status_check(
    *, scope: Scope, number: str, id_number: str | None = None, name: str | None = None, purpose: str = ""
) -> CardCheck:
    """Is this card active, and is it the card of the person in front of the institution?

    The institution states who it believes the holder is (ID number and/or name) and learns
    only whether that matches; the holder's data is returned only as far as its grant goes.
    """
    if not _may_verify(scope):
        raise PermissionDenied(_("Checking cards needs the card:verify grant."))
    normalised = rules.card_number_normalise(number)
    if not rules.card_number_valid(normalised):
        raise InvalidInput(_("This is not a valid card number (check the nine characters)."), fields={"number": number})
    card = Card.objects.select_related("person").filter(number=normalised).first()
    if card is None:
        return CardCheck(normalised, "unknown")
    active = rules.in_service(card.status, card.temporary_loss_until, timezone.now())
    matches: bool | None = None
    if id_number is not None or name is not None:
        matches = True
        if id_number is not None:
            try:
                matches = id_number_index(parse_id_number(id_number).value) == card.person.id_number_index
            except InvalidInput:
                matches = False
        if name is not None:
            matches = matches and name.strip() == card.person.name
    fields = disclosed_fields(scope) if active else frozenset()
    check = CardCheck(
        normalised,
        "active" if active else "not_active",
        holder_matches=matches,
        holder_name=card.person.name if "holder_name" in fields else None,
        holder_id_number=card.person.id_number if "holder_id_number" in fields else None,
        card_id=card.pk,
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="card.status_check",
        object_type="card",
        object_id=str(card.pk),
        purpose=purpose,
        detail={"disclosed": sorted(fields), "holder_checked": matches is not None},
    )
    return check


def card_for_use(*, scope: Scope, number: str) -> Card:
    """The card an institution is recording a use of (grant card:use:record, or an outlet)."""
    if not may_record_use(scope):
        raise PermissionDenied(_("Recording card uses needs the card:use:record grant."))
    normalised = rules.card_number_normalise(number)
    if not rules.card_number_valid(normalised):
        raise InvalidInput(_("This is not a valid card number (check the nine characters)."), fields={"number": number})
    card = Card.objects.filter(number=normalised).first()
    if card is None:
        raise NotFound(_("No such card was found."))
    return card


# --- usage trails and preferences ------------------------------------------------------------------


def holder_trail(*, scope: Scope, limit: int = 100, offset: int = 0) -> list[CardUse]:
    """The signed-in holder's own uses of their cards, newest first."""
    if scope.person_id is None:
        raise PermissionDenied(_("This account is not bound to a person."), code="not_bound")
    return list(
        CardUse.objects.filter(person_id=scope.person_id)
        .select_related("district", "application")
        .order_by("-at", "-id")[offset : offset + limit]
    )


def person_trail(*, scope: Scope, person: Person, limit: int = 100, purpose: str = "") -> list[CardUse]:
    """One person's trail for outlet staff whose scope covers the person; audited."""
    if not (scope.is_staff and scope.sees_personal_data):
        raise PermissionDenied(_("Individual card trails are for outlet staff of the holder's district."))
    if not registry.person_queryset(scope=scope).filter(pk=person.pk).exists():
        raise NotFound(_("No such person was found within your scope."))
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="card.trail_read",
        object_type="person",
        object_id=str(person.pk),
        purpose=purpose,
    )
    return list(
        CardUse.objects.filter(person=person).select_related("district", "application").order_by("-at", "-id")[:limit]
    )


@dataclass(frozen=True)
class PreferenceCell:
    district: str
    district_name: str
    channel: str
    kind: str
    uses: int
    holders: int


def use_preferences(
    *, scope: Scope, since: dt.date | None = None, until: dt.date | None = None
) -> list[PreferenceCell]:
    """用卡偏好: how holders use their cards, by district, channel and kind of use.

    Counts only — no individual trail — and only the districts the staff member covers.
    """
    if not scope.is_staff:
        raise PermissionDenied(_("Card use analysis is for bureau staff."))
    uses = CardUse.objects.all()
    if not scope.city_wide:
        uses = uses.filter(district_id__in=sorted(scope.districts or ()))
    if since:
        uses = uses.filter(at__date__gte=since)
    if until:
        uses = uses.filter(at__date__lte=until)
    rows = (
        uses.values("district_id", "channel", "kind")
        .annotate(uses=Count("id"), holders=Count("person_id", distinct=True))
        .order_by("district_id", "channel", "kind")
    )
    return [
        PreferenceCell(
            district=row["district_id"] or "",
            district_name=(codes.district_name(row["district_id"]) or "") if row["district_id"] else "",
            channel=row["channel"],
            kind=row["kind"],
            uses=row["uses"],
            holders=row["holders"],
        )
        for row in rows
    ]


# --- coverage --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    district: str
    name: str
    population: int
    issued: int  # holding a card (issued, active, or reported lost)
    active: int

    @property
    def issued_share(self) -> Decimal:
        return (Decimal(self.issued) / self.population) if self.population else Decimal(0)

    @property
    def active_share(self) -> Decimal:
        return (Decimal(self.active) / self.population) if self.population else Decimal(0)


@dataclass(frozen=True)
class Coverage:
    on: dt.date
    goal: Decimal | None
    rows: list[CoverageRow]
    total: CoverageRow


def coverage_by_district(*, scope: Scope, on: dt.date | None = None) -> Coverage:
    """Issued and active cards as a share of the registry's living residents, by district."""
    if not scope.is_staff:
        raise PermissionDenied(_("Card coverage is for bureau staff."))
    on = on or timezone.localdate()
    districts = codes.districts_current()
    if not scope.city_wide:
        districts = [(code, name) for code, name in districts if code in (scope.districts or ())]
    codes_wanted = [code for code, _name in districts]
    residents = Person.objects.filter(status=Person.Status.ACTIVE, residence_district_id__in=codes_wanted)
    population = dict(
        residents.values_list("residence_district_id").annotate(n=Count("id")).values_list("residence_district_id", "n")
    )
    cards = (
        Card.objects.filter(
            status__in=sorted(rules.IN_USE),
            person__status=Person.Status.ACTIVE,
            person__residence_district_id__in=codes_wanted,
        )
        .values("person__residence_district_id")
        .annotate(issued=Count("id"), active=Count("id", filter=Q(status=CardStatus.ACTIVE)))
    )
    counts = {row["person__residence_district_id"]: (row["issued"], row["active"]) for row in cards}
    rows = [CoverageRow(code, name, population.get(code, 0), *counts.get(code, (0, 0))) for code, name in districts]
    total = CoverageRow(
        "",
        _("All districts") if scope.city_wide else _("Your districts"),
        sum(row.population for row in rows),
        sum(row.issued for row in rows),
        sum(row.active for row in rows),
    )
    try:
        goal: Decimal | None = codes.parameter_value("card.coverage_goal", on=on)
    except codes.ParameterMissing:  # a day before the plan set one: coverage without a goal line
        goal = None
    return Coverage(on=on, goal=goal, rows=rows, total=total)


def applications_catalogue(*, domain: str | None = None, needs_financial: bool | None = None) -> list[CardApplication]:
    """The catalogue of card applications (public)."""
    items = CardApplication.objects.all()
    if domain:
        items = items.filter(domain=domain)
    if needs_financial is not None:
        items = items.filter(needs_financial=needs_financial)
    return list(items.order_by("code"))


# --- payments and reconciliation -------------------------------------------------------------


def payment_orders_for(*, scope: Scope, person_id: Any = None, limit: int = 100) -> list[PaymentOrder]:
    person_id = person_id or scope.person_id
    if person_id is None:
        raise PermissionDenied(code="not_bound")
    require_holder_or_office(scope, person_id)
    return list(PaymentOrder.objects.filter(person_id=person_id).order_by("-created_at")[:limit])


REPORT_COLUMNS = ("kind", "reference", "amount_ours", "amount_statement", "note")


def reconciliation_report_csv(run: ReconciliationRun) -> bytes:
    """The run's report: a summary line, then every reference with its kind."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["# gateway", run.gateway, "date", run.statement_date.isoformat(), "balanced", run.balanced])
    writer.writerow(
        ["# matched", run.matched, "missing", run.missing, "extra", run.extra, "amount_mismatch", run.amount_mismatch]
    )
    writer.writerow(["# total_ours", run.total_ours, "total_statement", run.total_statement])
    writer.writerow(REPORT_COLUMNS)
    for item in run.items.order_by("kind", "reference"):
        writer.writerow([item.kind, item.reference, item.amount_ours or "", item.amount_statement or "", item.note])
    return buffer.getvalue().encode()


def reconciliation_get(*, scope: Scope, run_id: Any) -> ReconciliationRun:
    if not scope.has_role(*RECONCILER_ROLES):
        raise PermissionDenied(_("Reconciliation is for fund supervisors and administrators."))
    run = ReconciliationRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    return run
