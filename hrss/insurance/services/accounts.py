"""The personal pension account (个人账户): monthly credits, yearly interest, transfers (S1).

Credits follow payment: a month's account share is credited once its payer (the
employer, or the flexible worker) has paid everything due for that month. Both batches
are set-based and idempotent: a contribution line is credited at most once (the entry
is unique on the line) and a year's interest at most once per person.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrss.codes.selectors import district_exists
from hrss.core.audit import audit_record
from hrss.core.errors import InvalidInput
from hrss.core.scope import Scope
from hrss.insurance import access, policy, rules
from hrss.insurance.models import AccountEntry, ContributionLine, Payment, Transfer
from hrss.insurance.selectors.contributions import account_balance_fen
from hrss.insurance.sql import db_datetime, db_uuid, execute

ENTRY = AccountEntry._meta.db_table
LINE = ContributionLine._meta.db_table
PAYMENT = Payment._meta.db_table


def _in_list(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", [db_uuid(uuid.UUID(str(v))) for v in values]


def account_credit_period(
    *,
    period: dt.date,
    employer_ids: Sequence[uuid.UUID] | None = None,
    person_ids: Sequence[uuid.UUID] | None = None,
) -> int:
    """Credit the month's account shares of every payer who has paid in full.

    Without filters the whole month is considered (the monthly batch); with them, only
    those employers and flexible workers (after a payment file or a correction).
    """
    period = rules.month_start(period)
    now = db_datetime(timezone.now())
    total = 0
    all_payers = employer_ids is None and person_ids is None

    # The payer filter goes into the sums too: a file paying a few employers sums their
    # lines only, not every employer's of the month.
    def payers(column: str, ids: Sequence[uuid.UUID] | None) -> tuple[str, list[Any]]:
        return ("1 = 1", []) if all_payers else _in_list(column, ids or [])

    employer_filter, employer_params = payers("employer_id", employer_ids)
    person_filter, person_params = payers("person_id", person_ids)
    line_employer_filter, _params = payers("l.employer_id", employer_ids)
    line_person_filter, _params = payers("l.person_id", person_ids)
    settled_employers = f"""
        SELECT d.employer_id FROM (
            SELECT employer_id, SUM(employer_fen + individual_fen) AS due FROM {LINE}
            WHERE period = %s AND employer_id IS NOT NULL AND {employer_filter} GROUP BY employer_id) d
        JOIN (SELECT employer_id, SUM(amount_fen) AS paid FROM {PAYMENT}
              WHERE period = %s AND employer_id IS NOT NULL AND {employer_filter} GROUP BY employer_id) p
          ON p.employer_id = d.employer_id
        WHERE p.paid >= d.due"""  # noqa: S608 - table names from model meta; values are bound parameters
    settled_persons = f"""
        SELECT d.person_id FROM (
            SELECT person_id, SUM(employer_fen + individual_fen) AS due FROM {LINE}
            WHERE period = %s AND employer_id IS NULL AND {person_filter} GROUP BY person_id) d
        JOIN (SELECT person_id, SUM(amount_fen) AS paid FROM {PAYMENT}
              WHERE period = %s AND person_id IS NOT NULL AND {person_filter} GROUP BY person_id) p
          ON p.person_id = d.person_id
        WHERE p.paid >= d.due"""  # noqa: S608 - table names from model meta; values are bound parameters
    insert = f"""
INSERT INTO {ENTRY} (person_id, kind, posted_on, year, amount_fen, months, line_id, note, created_at)
SELECT l.person_id, %s, l.period, %s, l.account_fen, 0, l.id, '', %s
FROM {LINE} l
WHERE l.period = %s AND l.account_fen <> 0 AND {{payer}}
ON CONFLICT DO NOTHING"""  # noqa: S608 - table names from model meta; values are bound parameters
    head = [AccountEntry.Kind.CONTRIBUTION.value, period.year, now, period]
    with transaction.atomic():
        total += execute(
            insert.format(
                payer=f"l.employer_id IS NOT NULL AND {line_employer_filter} AND l.employer_id IN ({settled_employers})"
            ),
            [*head, *employer_params, period, *employer_params, period, *employer_params],
        )
        total += execute(
            insert.format(
                payer=f"l.employer_id IS NULL AND {line_person_filter} AND l.person_id IN ({settled_persons})"
            ),
            [*head, *person_params, period, *person_params, period, *person_params],
        )
    return total


def _weight_case(year: int) -> tuple[str, list[Any]]:
    """Years of interest an entry earns: 12/12 before the year, (13 - m)/12 in month m."""
    branches = ["WHEN posted_on < %s THEN 12"]
    params: list[Any] = [dt.date(year, 1, 1)]
    for month in range(1, 13):
        branches.append("WHEN posted_on < %s THEN %s")
        params += [rules.add_months(dt.date(year, month, 1), 1), 13 - month]
    return "CASE " + " ".join(branches) + " ELSE 0 END", params


def account_interest_credit_year(*, year: int, actor: str = "system") -> int:
    """Credit a year's interest to every account at that year's 记账利率 (set-based, once).

    interest = rate × (opening balance + Σ credit_m × (13 - m)/12), half-up to the fen;
    ``rules.account_interest_fen`` is the same formula for one account.
    """
    rate = policy.account_interest_rate(year)
    ppm = rules.rate_ppm(rate)
    weight, weight_params = _weight_case(year)
    denominator = 12 * rules.PPM
    year_end = dt.date(year, 12, 31)
    sql = f"""
INSERT INTO {ENTRY} (person_id, kind, posted_on, year, amount_fen, months, line_id, note, created_at)
SELECT person_id, %s, %s, %s,
       CASE WHEN x >= 0 THEN (x + {denominator // 2}) / {denominator}
            ELSE -((-x + {denominator // 2}) / {denominator}) END,
       0, NULL, %s, %s
FROM (SELECT person_id, %s * CAST(SUM(amount_fen * {weight}) AS BIGINT) AS x
      FROM {ENTRY}
      WHERE posted_on <= %s AND NOT (kind = %s AND year = %s)
      GROUP BY person_id) w
WHERE x <> 0
ON CONFLICT DO NOTHING"""  # noqa: S608 - table names from model meta; values are bound parameters
    params = [
        AccountEntry.Kind.INTEREST.value,
        year_end,
        year,
        f"rate {rate.normalize()}",
        db_datetime(timezone.now()),
        ppm,
        *weight_params,
        year_end,
        AccountEntry.Kind.INTEREST.value,
        year,
    ]
    with transaction.atomic():
        credited = execute(sql, params)
        audit_record(
            actor=actor,
            action="insurance.account.interest",
            object_type="year",
            object_id=str(year),
            detail={"rate": str(rate), "accounts": credited},
        )
    return credited


@transaction.atomic
def transfer_record(
    *,
    scope: Scope,
    person_id: uuid.UUID,
    direction: str,
    other_region: str,
    contribution_months: int,
    account_amount: Decimal | None,
    effective_on: dt.date,
    pooled_fund_amount: Decimal = Decimal(0),
) -> Transfer:
    """转移接续: record an insurance relation moved in from or out to another city.

    A transfer in credits the account balance and contribution months brought along; a
    transfer out moves the whole balance and every month out. The service item around it
    (application, the other city's confirmation) belongs to the service hall.
    """
    access.require_caseworker(scope)
    person = access.person_for(scope, person_id)
    if direction not in Transfer.Direction.values:
        raise InvalidInput(fields={"direction": direction})
    if not district_exists(other_region) and not (len(other_region) == 6 and other_region.isdigit()):
        raise InvalidInput(fields={"other_region": _("a GB/T 2260 code")})
    if contribution_months < 0:
        raise InvalidInput(fields={"contribution_months": _("must not be negative")})
    if direction == Transfer.Direction.IN:
        if account_amount is None or account_amount < 0:
            raise InvalidInput(fields={"account_amount": _("required, not negative")})
        amount_fen, months = rules.to_fen(account_amount), contribution_months
    else:
        # Everything leaves: the balance as it stands, and every month on record here.
        from hrss.insurance.selectors.contributions import pension_contribution_months

        amount_fen = -account_balance_fen(person.pk)
        months = -pension_contribution_months(person.pk)
    transfer = Transfer.objects.create(
        person=person,
        direction=direction,
        other_region=other_region,
        contribution_months=abs(months),
        account_fen=abs(amount_fen),
        pooled_fund_fen=rules.to_fen(pooled_fund_amount),
        effective_on=effective_on,
        recorded_by=scope.actor,
    )
    AccountEntry.objects.create(
        person=person,
        kind=AccountEntry.Kind.TRANSFER_IN if direction == Transfer.Direction.IN else AccountEntry.Kind.TRANSFER_OUT,
        posted_on=effective_on,
        year=effective_on.year,
        amount_fen=amount_fen,
        months=months,
        note=other_region,
        created_at=timezone.now(),
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=f"insurance.transfer.{direction}",
        object_type="person",
        object_id=str(person.pk),
        detail={"region": other_region, "months": months, "account_fen": amount_fen},
    )
    return transfer
