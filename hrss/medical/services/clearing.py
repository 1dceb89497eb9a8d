"""Cross-region clearing (S5): the month's statements per other region, built from the
settlements whose insuring region differs from the treating region, and sent through the
clearing adapter (``hrss.medical.clearing``; development records what would be sent)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import InvalidInput
from hrss.core.scope import Scope
from hrss.medical import access, clearing
from hrss.medical.models import Claim

ZERO = Decimal("0.00")


def month_window(month: str) -> tuple[dt.datetime, dt.datetime]:
    """``YYYY-MM`` → the aware start of its first day and of the next month's; InvalidInput otherwise."""
    try:
        first = dt.date.fromisoformat(month + "-01")
    except ValueError:
        raise InvalidInput(fields={"month": _("a month as YYYY-MM")}) from None
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(dt.datetime.combine(first, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(after, dt.time.min)),
    )


def clearing_statements_build(month: str) -> list[clearing.Statement]:
    """One statement per other region with business in the month (two aggregate queries):
    receivable — their insured (the policy's insuring region) treated at our institutions;
    payable — our insured treated at institutions of that region."""
    start, end = month_window(month)
    prefix = clearing.home_prefix()
    claims = Claim.objects.filter(created_at__gte=start, created_at__lt=end)
    receivable = _sums(
        claims.filter(institution__region__startswith=prefix).exclude(policy__region__startswith=prefix),
        "policy__region",
    )
    payable = _sums(
        claims.filter(policy__region__startswith=prefix).exclude(institution__region__startswith=prefix),
        "institution__region",
    )
    empty = (0, ZERO, ZERO)
    statements = []
    for region in sorted(receivable.keys() | payable.keys()):
        their_n, their_fund, their_account = receivable.get(region, empty)
        our_n, our_fund, our_account = payable.get(region, empty)
        statements.append(
            clearing.Statement(
                home=str(settings.HRSS_CITY_REGION),
                other_region=region,
                month=month,
                receivable_claims=their_n,
                receivable_fund=their_fund,
                receivable_account=their_account,
                payable_claims=our_n,
                payable_fund=our_fund,
                payable_account=our_account,
            )
        )
    return statements


def _sums(claims: QuerySet[Claim], region: str) -> dict[str, tuple[int, Decimal, Decimal]]:
    """Per region: the number of claims, the fund share and the personal account paid (one query)."""
    rows = claims.values(region).annotate(n=Count("pk"), fund=Sum("fund"), account=Sum("account")).order_by()
    return {
        str(row[region]): (
            int(row["n"]),
            Decimal(row["fund"] or ZERO).quantize(ZERO),
            Decimal(row["account"] or ZERO).quantize(ZERO),
        )
        for row in rows
    }


def clearing_send(*, scope: Scope, month: str) -> list[tuple[clearing.Statement, str]]:
    """Send the statements of a month that is over; sending again sends the same statements
    under the same ids (the platform, and the recording backend, keep the last)."""
    access.require_finance(scope)
    start, _end = month_window(month)
    if start.date() >= timezone.localdate().replace(day=1):
        raise InvalidInput(
            _("Only a month that is over can be cleared."),
            code="medical_month_not_over",
            fields={"month": _("a month before this one")},
        )
    backend = clearing.backend()
    results = []
    for statement in clearing_statements_build(month):
        reference = backend.send(statement, clearing.statement_body(statement))
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="medical.clearing.send",
            object_type="medical_clearing_statement",
            object_id=statement.statement_id,
            purpose="medical fund finance",
            detail={"reference": reference, "net": str(statement.net)},
        )
        results.append((statement, reference))
    return results
