"""Construction projects (工程建设领域, 保障农民工工资支付条例, L3): a registered project with
its general contractor and special wage account (农民工工资专用账户), its real-name roster
(实名制: person, team, from, to) and the wage account's monthly movements — money received,
and wages paid to roster workers. The contractor's agent records its own projects; labour
inspectors and administrators of the project's district record for any. Writes are atomic,
idempotent (on the caller's key, or the bank reference per project) and audited.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from hrss.codes.models import District
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.months import month_start
from hrss.core.scope import ADMINISTRATOR, EMPLOYER_AGENT, INSPECTOR, Scope
from hrss.labor.models import ConstructionProject, ProjectWorker, WageAccountEntry
from hrss.labor.services.filing import filing_employer
from hrss.labor.services.register import person_find


def project_for(scope: Scope, reference: str, *, write: bool) -> ConstructionProject:
    """The project, for inspectors and administrators of its district, or (``write``) for its
    contractor's agents; anyone else gets not found (or refused, when not staff at all)."""
    project = ConstructionProject.objects.select_related("contractor").filter(reference=reference).first()
    if scope.has_role(INSPECTOR, ADMINISTRATOR):
        if project is None or not scope.covers_district(project.district_id):
            raise NotFound(code="project_not_found")
        return project
    if write and scope.has_role(EMPLOYER_AGENT):
        if project is None or scope.employer_id != project.contractor_id:
            raise NotFound(code="project_not_found")
        return project
    raise PermissionDenied()


def _audit(scope: Scope, action: str, project: ConstructionProject, **detail: object) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type="labor.ConstructionProject",
        object_id=str(project.pk),
        detail={"reference": project.reference, **detail},
    )


@transaction.atomic
def project_register(
    *,
    scope: Scope,
    credit_code: str,
    name: str,
    district: str,
    wage_bank: str,
    wage_account: str,
    started_on: dt.date,
    idempotency_key: str,
    ended_on: dt.date | None = None,
) -> ConstructionProject:
    """Register a project with its general contractor (by credit code) and wage account."""
    contractor = filing_employer(scope, credit_code, agent=True)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise InvalidInput(_("Send an idempotency key of 1 to 64 characters."), fields={"idempotency_key": key[:64]})
    existing = ConstructionProject.objects.filter(recorded_by=scope.actor, idempotency_key=key).first()
    if existing is not None:
        return existing
    if not (name or "").strip():
        raise InvalidInput(_("Name the project."), fields={"name": ""})
    staff = scope.has_role(INSPECTOR, ADMINISTRATOR)
    if not District.objects.filter(code=district).exists() or (staff and not scope.covers_district(district)):
        raise InvalidInput(_("Choose a district of the city."), fields={"district": district})
    account = "".join((wage_account or "").split())
    if not account.isdigit() or not 8 <= len(account) <= 32 or not (wage_bank or "").strip():
        raise InvalidInput(_("Enter the wage account's bank and number (digits)."), fields={"wage_account": account})
    if ended_on is not None and ended_on < started_on:
        raise InvalidInput(_("The project cannot end before it starts."), fields={"ended_on": ended_on.isoformat()})
    for _attempt in range(3):
        reference = f"GC{started_on:%y%m}{secrets.randbelow(10**6):06d}"
        if not ConstructionProject.objects.filter(reference=reference).exists():
            break
    else:
        raise Conflict(_("Please send the project again."), code="labor_project_retry")
    project = ConstructionProject.objects.create(
        reference=reference,
        name=name.strip(),
        contractor=contractor,
        district_id=district,
        wage_bank=wage_bank.strip(),
        wage_account=account,
        started_on=started_on,
        ended_on=ended_on,
        recorded_by=scope.actor,
        idempotency_key=key,
    )
    _audit(scope, "labor.project.register", project, contractor=contractor.credit_code)
    return project


@transaction.atomic
def project_worker_add(
    *,
    scope: Scope,
    reference: str,
    id_number: str,
    team: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
) -> ProjectWorker:
    """Put a registered person on the project's real-name roster (idempotent per start date)."""
    project = project_for(scope, reference, write=True)
    person = person_find(None, id_number)
    if person is None:
        raise InvalidInput(_("Enter the worker's ID number."), fields={"id_number": ""})
    if not (team or "").strip():
        raise InvalidInput(_("Name the worker's team."), fields={"team": ""})
    if end_date is not None and end_date < start_date:
        raise InvalidInput(_("The work cannot end before it starts."), fields={"end_date": end_date.isoformat()})
    worker, created = ProjectWorker.objects.get_or_create(
        project=project, person=person, start_date=start_date, defaults={"team": team.strip(), "end_date": end_date}
    )
    if not created and worker.end_date != end_date:
        worker.end_date = end_date
        worker.save(update_fields=["end_date", "updated_at"])
    _audit(scope, "labor.project.worker", project, person=str(person.pk), start=start_date.isoformat())
    return worker


@transaction.atomic
def wage_account_record(
    *,
    scope: Scope,
    reference: str,
    kind: str,
    period: dt.date,
    amount_fen: int,
    booked_on: dt.date,
    bank_reference: str,
    id_number: str = "",
) -> WageAccountEntry:
    """A movement of the project's wage account: money received (``deposit``) or a wage paid
    to a roster worker (``wage``, with the worker's ID number). Once per bank reference."""
    project = project_for(scope, reference, write=True)
    bank = (bank_reference or "").strip()
    if not bank or len(bank) > 64:
        raise InvalidInput(_("Enter the bank's reference of the movement."), fields={"bank_reference": bank[:64]})
    existing = WageAccountEntry.objects.filter(project=project, reference=bank).first()
    if existing is not None:
        return existing
    if kind not in WageAccountEntry.Kind.values:
        raise InvalidInput(_("Say whether money was received or a wage paid."), fields={"kind": kind})
    if amount_fen <= 0:
        raise InvalidInput(_("The amount must be above zero."), fields={"amount_fen": str(amount_fen)})
    person = None
    if kind == WageAccountEntry.Kind.WAGE:
        person = person_find(None, id_number)
        if person is None or not project.workers.filter(person=person).exists():  # type: ignore[attr-defined]
            raise InvalidInput(_("Wages are paid to workers on the project's roster."), fields={"id_number": ""})
    entry = WageAccountEntry.objects.create(
        project=project,
        kind=kind,
        person=person,
        period=month_start(period),
        amount_fen=amount_fen,
        booked_on=booked_on,
        reference=bank,
    )
    _audit(scope, "labor.project.account", project, kind=kind, period=f"{entry.period:%Y-%m}", amount_fen=amount_fen)
    return entry
