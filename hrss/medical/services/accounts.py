"""Personal accounts credited month by month (个人账户划入, S4).

What is due for a month comes from the dated rules (``AccountRule``, ``data/account_rules.csv``)
in force for the person's insuring region and category: an employee's own medical
contribution for the month, once the employer has paid the month in full (the insurance app's
ledger facts, ``InsuranceConfig.ledger_facts``, found through the app registry), times the
rule's share; a retiree's fixed amount. Residents have no account.

The credits are an append-only ledger (``AccountCredit``): a run credits, for each person and
month, what is due less what was credited before, as the month's next revision, and moves the
balance by exactly that. A rerun credits nothing; a correction in the contribution ledger or
arrears paid later are credited (or taken back) by the next run that covers the month.

Set-based per chunk of persons (a few queries a chunk, whatever its size), the chunk's
insurance rows locked while it is credited so that a concurrent run waits and then finds the
chunk done. The category is the person's current one (``Insured`` keeps no history).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from hrss.core.audit import audit_record
from hrss.core.months import month_start
from hrss.core.scope import Scope
from hrss.medical import rules
from hrss.medical.models import AccountCredit, AccountRule, Insured
from hrss.medical.rules import ZERO
from hrss.medical.services.crosschecks import ledger
from hrss.registry.models import Person

CHUNK = 2000  # persons a transaction (well below SQLite's bound on query parameters)
RECHECK_MONTHS = 12  # a run covers this many months up to the current one: arrears paid late


@dataclass(frozen=True)
class CreditRun:
    first: dt.date
    last: dt.date
    credits: int  # rows written (new credits and differences)
    total: Decimal  # their sum, in yuan


def rules_in_force(period: dt.date) -> dict[tuple[str, str], AccountRule]:
    """The rule in force for a month, per (region, category): the latest that started by then."""
    found: dict[tuple[str, str], AccountRule] = {}
    in_force = AccountRule.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period), valid_from__lte=period)
    for rule in in_force.order_by("region", "category_id", "-valid_from"):
        found.setdefault((rule.region, rule.category_id), rule)
    return found


def accounts_credit(*, scope: Scope, through: dt.date | None = None, months: int = RECHECK_MONTHS) -> CreditRun:
    """Credit every insured person's personal account for each of the ``months`` months up to
    ``through``'s (the current month): what is due less what was credited; audited when it
    credits anything. Idempotent: a second run writes nothing."""
    last = month_start(through or timezone.localdate())
    periods = [month_start(last, back=k) for k in range(max(1, months) - 1, -1, -1)]
    credits, total = 0, ZERO
    for period in periods:
        written, amount = _credit_month(period)
        credits += written
        total += amount
    if credits:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="medical.accounts_credit",
            object_type="medical_account",
            detail={"first": periods[0].isoformat(), "last": last.isoformat(), "credits": credits, "total": str(total)},
        )
    return CreditRun(first=periods[0], last=last, credits=credits, total=total)


def _credit_month(period: dt.date) -> tuple[int, Decimal]:
    in_force = rules_in_force(period)
    if not in_force:
        return 0, ZERO
    following = month_start(period, back=-1)
    facts: ModuleType | None = None
    employers: set[uuid.UUID] | None = None
    if any(rule.basis == AccountRule.Basis.CONTRIBUTION for rule in in_force.values()):
        facts = ledger.get()
        employers = facts.medical_account_employers(period=period)
    written, total = 0, ZERO
    after: uuid.UUID | None = None
    while True:
        with transaction.atomic():
            # The pages walk the insured's person index alone (a filter or a join the index
            # cannot serve makes the database sort every remaining row for each page); who is
            # covered that month — a rule for the region and category, insured by then, alive
            # (the chunk's deaths in one more query) — is decided here.
            page = Insured.objects.filter(person_id__gt=after) if after is not None else Insured.objects.all()
            rows_read = list(
                page.order_by("person_id")
                .select_for_update()
                .values_list("person_id", "region", "category_id", "since")[:CHUNK]
            )
            if not rows_read:
                return written, total
            after = rows_read[-1][0]
            died = set(
                Person.objects.filter(pk__in=[row[0] for row in rows_read], death_date__lt=period).values_list(
                    "pk", flat=True
                )
            )
            chunk = [
                (person, region, category)
                for person, region, category, since in rows_read
                if (region, category) in in_force and since < following and person not in died
            ]
            now = timezone.now()
            rows = _differences(period, chunk, in_force, facts, employers or set(), now) if chunk else []
            AccountCredit.objects.bulk_create(rows)
            # Each balance moved by its credit just written, in one statement (the chunk's
            # credits share their time of writing; a person has at most one of them).
            written_now = AccountCredit.objects.filter(period=period, created_at=now, person_id=OuterRef("person_id"))
            Insured.objects.filter(person_id__in=[row.person_id for row in rows]).update(
                account_balance=F("account_balance") + Subquery(written_now.values("amount")[:1])
            )
        written += len(rows)
        total += sum((row.amount for row in rows), ZERO)


def _differences(
    period: dt.date,
    chunk: list[tuple[uuid.UUID, str, str]],
    in_force: dict[tuple[str, str], AccountRule],
    facts: ModuleType | None,
    employers: set[uuid.UUID],
    now: dt.datetime,
) -> list[AccountCredit]:
    """The chunk's credits to write for the month: what is due less what was credited."""
    contributing = [
        person
        for person, region, category in chunk
        if in_force[(region, category)].basis == AccountRule.Basis.CONTRIBUTION
    ]
    own_fen = facts.medical_account_fen(period=period, person_ids=contributing, employers=employers) if facts else {}
    credited = {
        row["person_id"]: (row["total"], row["last"])
        for row in AccountCredit.objects.filter(period=period, person_id__in=[person for person, _r, _c in chunk])
        .values("person_id")
        .annotate(total=Sum("amount"), last=Max("revision"))
    }
    rows: list[AccountCredit] = []
    for person, region, category in chunk:
        rule = in_force[(region, category)]
        if rule.basis == AccountRule.Basis.CONTRIBUTION:
            due = rules.money(Decimal(own_fen.get(person, 0)) / 100 * (rule.share or 0))
        else:
            due = rules.money(rule.amount or 0)
        before, last = credited.get(person, (ZERO, None))
        difference = due - before
        if not difference:
            continue
        rows.append(
            AccountCredit(
                person_id=person,
                period=period,
                basis=rule.basis,
                revision=0 if last is None else last + 1,
                amount=difference,
                created_at=now,
            )
        )
    return rows
