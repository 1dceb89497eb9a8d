"""A person's basic medical insurance record (category, insuring region, personal account).

This slice enrols by this service (the demo, tests, the admin); deriving the category from
the insurance app's enrolments comes with a later slice. The account is credited month by month
by ``services/accounts.py``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import InvalidInput
from hrss.core.scope import Scope
from hrss.medical.models import Insured, PersonCategory


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
