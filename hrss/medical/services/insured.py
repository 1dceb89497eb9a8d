"""A person's basic medical insurance record (category, insuring region, personal account).

``insured_enrol`` records one person (the demo, tests, the admin, a resident's enrolment);
``insured_sync`` derives employees and retirees from the insurance app's ledger (its ledger
facts, found through the app registry). The account is credited month by month by
``services/accounts.py``."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import InvalidInput
from hrss.core.scope import Scope
from hrss.medical.models import Insured, PersonCategory
from hrss.medical.services.crosschecks import ledger

CHUNK = 2000  # persons a transaction
EMPLOYEE, RETIREE, RESIDENT = "employee", "retiree", "resident"


def insured_enrol(
    *, scope: Scope, person: Any, category: str, region: str, since: dt.date, account_balance: Decimal | None = None
) -> Insured:
    """Record (or update) a person's medical insurance; audited."""
    if not PersonCategory.objects.filter(code=category).exists():
        raise InvalidInput(fields={"category": _("not a person category")})
    with transaction.atomic():
        insured, _created = Insured.objects.update_or_create(
            person=person, defaults={"category_id": category, "region": region, "since": since}
        )
        if account_balance is not None:
            insured.account_balance = account_balance
            insured.save(update_fields=["account_balance", "updated_at"])
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="medical.enrol",
            object_type="person",
            object_id=str(person.pk),
            detail={"category": category, "region": region},
        )
    return insured


def insured_sync(*, scope: Scope, on: dt.date | None = None) -> dict[str, int]:
    """Derive employees' and retirees' medical insurance from the insurance ledger, page by page
    (``medical_members``): a person newly in employees' medical insurance is insured here as
    在职职工 in the city's pooling region (``HRSS_MEDICAL_REGION``) from the first month of the
    spell; a pensioner becomes 退休人员; a resident who took a job becomes 在职职工 of the city.
    Never the other way: a retiree stays one, and a person who left insurance keeps the record
    (and the account). Each change of category is audited, each run that changes anything too;
    a rerun changes nothing."""
    on = on or timezone.localdate()
    facts = ledger.get()
    region = str(settings.HRSS_MEDICAL_REGION)
    enrolled = changed = 0
    after: uuid.UUID | None = None
    while page := facts.medical_members(on=on, after=after, limit=CHUNK):
        after = page[-1][0]
        with transaction.atomic():
            known = dict(
                Insured.objects.select_for_update()
                .filter(person_id__in=[person for person, _c, _f in page])
                .values_list("person_id", "category_id")
            )
            new = [
                Insured(person_id=person, category_id=category, region=region, since=first)
                for person, category, first in page
                if person not in known
            ]
            Insured.objects.bulk_create(new)
            moves = [
                (person, category)
                for person, category, _first in page
                if person in known and _moves(known[person], category)
            ]
            for category in {category for _p, category in moves}:
                persons = [person for person, to in moves if to == category]
                Insured.objects.filter(person_id__in=persons).update(
                    category_id=category, region=region, updated_at=timezone.now()
                )
            for person, category in moves:
                audit_record(
                    actor=scope.actor,
                    actor_role=scope.primary_role,
                    action="medical.category_change",
                    object_type="person",
                    object_id=str(person),
                    detail={"from": known[person], "to": category, "region": region},
                )
        enrolled += len(new)
        changed += len(moves)
    if enrolled or changed:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="medical.insured_sync",
            object_type="medical_insured",
            detail={"on": on.isoformat(), "enrolled": enrolled, "changed": changed},
        )
    return {"enrolled": enrolled, "changed": changed}


def _moves(current: str, derived: str) -> bool:
    """Whether a person's category follows the ledger: a resident into work or retirement, an
    employee into retirement."""
    return (current == RESIDENT and derived in (EMPLOYEE, RETIREE)) or (current == EMPLOYEE and derived == RETIREE)
