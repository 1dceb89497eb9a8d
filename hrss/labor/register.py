"""The rights-protection register as one list (L2, issue #20): every petition, complaint, fraud
case and arbitration case as a ``RegisterEntry`` assembled at read time — one query per kind,
never a copy — linked by person and employer, with its deadline, status, holding unit and
the item it was merged into (whose deadline it then follows).

Reads for the rights-protection staff (inspectors, arbitrators, administrators) of the
items' districts, and for fund supervisors (基金监督) the fraud cases of their districts only,
to read, masked (the person's name 张*, no link to the person, ID numbers and mobile numbers
in the text starred); every read of personal data is audited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.audit import audit_record
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.logging import mask_name, mask_text
from hrss.core.scope import FUND_SUPERVISOR, Scope
from hrss.labor import deadlines
from hrss.labor.models import (
    OPEN_STATUSES,
    ArbitrationCase,
    CaseStatus,
    Complaint,
    FraudCase,
    FraudStatus,
    Petition,
    PetitionStatus,
    RegisterEvent,
    Transfer,
)
from hrss.labor.services.complaints import is_rights_staff

PETITION, COMPLAINT, FRAUD, ARBITRATION = "petition", "complaint", "fraud", "arbitration"
KINDS = (PETITION, COMPLAINT, FRAUD, ARBITRATION)
KIND_LABELS = {
    PETITION: pgettext_lazy("labor register", "petition"),
    COMPLAINT: pgettext_lazy("labor register", "complaint or report"),
    FRAUD: pgettext_lazy("labor register", "fraud case"),
    ARBITRATION: pgettext_lazy("labor register", "arbitration case"),
}
COMPLAINT_STATUS = {"received": pgettext_lazy("labor register", "received"), "merged": PetitionStatus.MERGED.label}
# The statuses of items still being handled (the workbench's queue).
OPEN = {
    PETITION: (PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED, PetitionStatus.ANSWERED),
    FRAUD: (FraudStatus.OPEN, FraudStatus.CONFIRMED, FraudStatus.DISMISSED),
}
LIMIT = 200


@dataclass(frozen=True)
class RegisterEntry:
    kind: str
    reference: str
    person_id: uuid.UUID | None
    person_name: str
    employer_id: uuid.UUID | None
    employer_name: str
    district_id: str
    subject: str
    received_on: dt.date
    due_on: dt.date | None
    status: str
    status_label: str
    unit: str
    merged_into: str
    overdue: bool

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _entry(kind: str, row: dict[str, Any], today: dt.date, status_label: Any, **values: Any) -> RegisterEntry:
    merged = row.get("merged_into__reference") or ""
    due = row.get("merged_into__due_on") if merged else values.pop("due_on", None)
    values.pop("due_on", None)
    return RegisterEntry(
        kind=kind,
        reference=row["reference"],
        person_id=row.get("person_id"),
        person_name=row.get("person__name") or row.get("petitioner_name") or "",
        employer_id=row.get("employer_id"),
        employer_name=row.get("employer__name") or row.get("respondent_name") or "",
        district_id=row.get("district_id") or "",
        unit=row.get("unit__name") or "",
        merged_into=merged,
        due_on=due,
        overdue=bool(due and due < today),
        status_label=str(status_label),
        **values,
    )


COMMON = ("reference", "person_id", "person__name", "employer_id", "employer__name", "district_id")


def _petitions(where: Q, today: dt.date) -> list[RegisterEntry]:
    rows = Petition.objects.filter(where).values(
        *COMMON,
        "petitioner_name",
        "subject",
        "received_on",
        "due_on",
        "status",
        "unit__name",
        "merged_into__reference",
        "merged_into__due_on",
    )
    labels = dict(PetitionStatus.choices)
    return [
        _entry(
            PETITION,
            r,
            today,
            labels.get(r["status"], r["status"]),
            subject=r["subject"],
            received_on=r["received_on"],
            due_on=r["due_on"],
            status=r["status"],
        )
        for r in rows.order_by("-received_on", "reference")[:LIMIT]
    ]


def _complaints(where: Q, today: dt.date) -> list[RegisterEntry]:
    rows = Complaint.objects.filter(where).values(
        *COMMON, "content", "received_on", "due_on", "unit__name", "merged_into__reference", "merged_into__due_on"
    )
    out = []
    for r in rows.order_by("-received_on", "reference")[:LIMIT]:
        status = "merged" if r["merged_into__reference"] else "received"
        out.append(
            _entry(
                COMPLAINT,
                r,
                today,
                COMPLAINT_STATUS[status],
                subject=r["content"][:80],
                received_on=r["received_on"],
                due_on=None if r["merged_into__reference"] else r["due_on"],
                status=status,
            )
        )
    return out


def _frauds(where: Q, today: dt.date) -> list[RegisterEntry]:
    rows = FraudCase.objects.filter(where).values(
        *COMMON,
        "kind",
        "description",
        "opened_on",
        "due_on",
        "status",
        "unit__name",
        "merged_into__reference",
        "merged_into__due_on",
    )
    labels = dict(FraudStatus.choices)
    return [
        _entry(
            FRAUD,
            r,
            today,
            labels.get(r["status"], r["status"]),
            subject=r["description"][:80],
            received_on=r["opened_on"],
            due_on=r["due_on"],
            status=r["status"],
        )
        for r in rows.order_by("-opened_on", "reference")[:LIMIT]
    ]


def _cases(where: Q, today: dt.date) -> list[RegisterEntry]:
    rows = ArbitrationCase.objects.filter(where).values(
        *COMMON, "respondent_name", "claims", "received_on", "due_on", "status"
    )
    labels = dict(CaseStatus.choices)
    return [
        _entry(
            ARBITRATION,
            r,
            today,
            labels.get(r["status"], r["status"]),
            subject=r["claims"][:80],
            received_on=r["received_on"],
            due_on=r["due_on"] if r["status"] in OPEN_STATUSES else None,
            status=r["status"],
        )
        for r in rows.order_by("-received_on", "reference")[:LIMIT]
    ]


READERS = {PETITION: _petitions, COMPLAINT: _complaints, FRAUD: _frauds, ARBITRATION: _cases}


def entries(where: Q, *, kinds: tuple[str, ...] = KINDS, today: dt.date | None = None) -> list[RegisterEntry]:
    """Every item of ``kinds`` that ``where`` selects (one query per kind), newest first."""
    today = today or timezone.localdate()
    found = [entry for kind in kinds for entry in READERS[kind](where, today)]
    return sorted(found, key=lambda e: (e.received_on, e.reference), reverse=True)


def _districts(scope: Scope) -> Q:
    return Q() if scope.city_wide else Q(district_id__in=list(scope.districts or ()))


def _audit(scope: Scope, action: str, object_type: str, object_id: str, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose="rights_protection",
        detail=detail,
    )


def _staff(scope: Scope) -> None:
    if not is_rights_staff(scope):
        raise PermissionDenied(_("This is work for the rights-protection staff."))


def is_fraud_reader(scope: Scope) -> bool:
    """Fund supervisors read the social insurance fraud cases of their districts (and only them)."""
    return scope.has_role(FUND_SUPERVISOR)


def _reader(scope: Scope, kinds: tuple[str, ...]) -> None:
    """The rights-protection staff read every kind; a fund supervisor only fraud cases."""
    if is_rights_staff(scope):
        return
    if not is_fraud_reader(scope):
        raise PermissionDenied(_("This is work for the rights-protection staff."))
    if any(kind != FRAUD for kind in kinds):
        raise PermissionDenied(_("Fund supervisors read the fraud cases of the register only."))


def person_view(*, scope: Scope, person_id: Any) -> dict[str, Any]:
    """One person's petitions, complaints filed, arbitration cases as applicant and fraud cases,
    of the caller's districts (audited). A person the caller sees nothing of is a 404."""
    from hrss.registry.models import Person

    _staff(scope)
    try:
        pk = uuid.UUID(str(person_id))
    except ValueError:
        raise NotFound(code="person_not_found") from None
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise NotFound(code="person_not_found")
    items = entries(Q(person_id=pk) & _districts(scope))
    lives_here = scope.covers_district(person.residence_district_id) or scope.covers_district(
        person.household_district_id
    )
    if not items and not lives_here:
        raise NotFound(code="person_not_found")
    _audit(scope, "labor.person.register", "registry.Person", str(pk), items=[e.reference for e in items])
    return {"person": person, "entries": items}


def employer_entries(*, employer_id: uuid.UUID) -> list[RegisterEntry]:
    """An employer's petitions and fraud cases (its view shows the other kinds already)."""
    return entries(Q(employer_id=employer_id), kinds=(PETITION, FRAUD))


def masked(entry: RegisterEntry) -> RegisterEntry:
    """The entry as a reader without access to personal data sees it."""
    return dataclasses.replace(
        entry, person_id=None, person_name=mask_name(entry.person_name), subject=mask_text(entry.subject)
    )


def queue(*, scope: Scope, kind: str = "", overdue: bool = False, limit: int, offset: int) -> list[RegisterEntry]:
    """The workbench: the register items still being handled in the caller's districts, the
    nearest deadline first (items without one last). A fund supervisor's are the fraud cases."""
    kinds = (kind,) if kind else (PETITION, COMPLAINT, FRAUD) if is_rights_staff(scope) else (FRAUD,)
    _reader(scope, kinds)
    where = _districts(scope)
    found: list[RegisterEntry] = []
    for each in kinds:
        open_items = where & Q(merged_into__isnull=True) if each == COMPLAINT else where & Q(status__in=OPEN[each])
        found += READERS[each](open_items, timezone.localdate())
    if overdue:
        found = [e for e in found if e.overdue]
    found.sort(key=lambda e: (e.due_on is None, e.due_on or dt.date.max, e.reference))
    page = found[offset : offset + limit]
    _audit(scope, "labor.register.list", "labor.register", "", items=[e.reference for e in page])
    return page if scope.sees_personal_data else [masked(e) for e in page]


def item_detail(*, scope: Scope, kind: str, reference: str) -> dict[str, Any]:
    """One register item, its history and its transfers (with each one's receipt), audited.
    A fund supervisor reads fraud cases only."""
    _reader(scope, (FRAUD,))
    if kind not in (PETITION, COMPLAINT, FRAUD):
        raise NotFound(code="labor_register_item_not_found")
    _reader(scope, (kind,))
    found = entries(Q(reference=reference) & _districts(scope), kinds=(kind,))
    if not found:
        raise NotFound(code="labor_register_item_not_found")
    today = timezone.localdate()
    transfers = list(
        Transfer.objects.filter(item_kind=kind, item_reference=reference).select_related("from_unit", "to_unit")
    )
    model: Any = {PETITION: Petition, COMPLAINT: Complaint, FRAUD: FraudCase}[kind]
    merged = list(model._default_manager.filter(merged_into__reference=reference).values_list("reference", flat=True))
    _audit(scope, "labor.register.read", f"labor.{kind}", reference, reference=reference)
    events = list(RegisterEvent.objects.filter(item_kind=kind, item_reference=reference))
    if not scope.sees_personal_data:
        for event in events:  # in memory only, never saved
            event.note = mask_text(event.note)
        for transfer in transfers:
            transfer.reason = mask_text(transfer.reason)
    return {
        "entry": found[0] if scope.sees_personal_data else masked(found[0]),
        "events": events,
        "transfers": [(t, transfer_overdue(t, today)) for t in transfers],
        "merged_from": merged,
    }


def transfer_overdue(transfer: Transfer, today: dt.date) -> bool:
    return transfer.received_at is None and transfer.receipt_due < today


def transfers_pending(*, scope: Scope, overdue: bool = False, limit: int, offset: int) -> list[tuple[Transfer, bool]]:
    """Transfers awaiting receipt by units of the caller's districts (city-wide units for
    city-wide staff), the oldest first; each with whether it is overdue."""
    _staff(scope)
    rows = Transfer.objects.filter(received_at__isnull=True).select_related("from_unit", "to_unit")
    if not scope.city_wide:
        rows = rows.filter(to_unit__district_id__in=list(scope.districts or ()))
    today = timezone.localdate()
    if overdue:
        rows = rows.filter(receipt_due__lt=today)
    return [(t, transfer_overdue(t, today)) for t in rows.order_by("receipt_due", "id")[offset : offset + limit]]


@dataclass(frozen=True)
class Duplicate:
    kind: str
    reference: str
    candidate_of: str
    days_apart: int


def duplicate_candidates(*, scope: Scope, kind: str, today: dt.date | None = None) -> list[Duplicate]:
    """Candidate duplicates, set-based: items of ``kind`` still open, by the same person (a
    petitioner outside the registry: the same name and phone) about the same employer,
    received within the dated window of each other. The later is the candidate of the earlier."""
    _staff(scope)
    today = today or timezone.localdate()
    window = deadlines.duplicate_window_days(on=today)
    model: Any = {PETITION: Petition, COMPLAINT: Complaint, FRAUD: FraudCase}.get(kind)
    if model is None:
        raise NotFound(code="labor_register_kind_not_found")
    date_field = "opened_on" if kind == FRAUD else "received_on"
    since = today - dt.timedelta(days=window * 4)
    rows = model._default_manager.filter(
        _districts(scope), merged_into__isnull=True, employer_id__isnull=False, **{f"{date_field}__gte": since}
    )
    if kind != PETITION:
        rows = rows.filter(person_id__isnull=False)
    if kind in OPEN:
        rows = rows.filter(status__in=OPEN[kind])
    fields = ["reference", "person_id", "employer_id", date_field]
    if kind == PETITION:
        fields += ["petitioner_name", "petitioner_phone"]
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows.values(*fields).order_by(date_field, "created_at", "reference"):
        who = row["person_id"] or (row.get("petitioner_name"), row.get("petitioner_phone"))
        if who and row["employer_id"] is not None:
            groups[(who, row["employer_id"])].append(row)
    found = []
    for group in groups.values():
        for earlier, later in itertools.pairwise(group):
            apart = (later[date_field] - earlier[date_field]).days
            if apart <= window:
                found.append(Duplicate(kind, later["reference"], earlier["reference"], apart))
    return found
