"""Corrections of an assessed month (S1): a reversal of what stands and a new line, never an
update in place; the employer's totals are recomputed from its lines in the same transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.scope import Scope
from hrss.insurance import access, policy, rules
from hrss.insurance.models import (
    LINE_PREFIX,
    ContributionMonth,
    Correction,
    LineKind,
)
from hrss.insurance.services.assessment import employer_totals_refresh
from hrss.insurance.sql import db_uuid


@transaction.atomic
def contribution_correct(
    *, scope: Scope, person_id: uuid.UUID, period: dt.date, insurance_type: str, base: Decimal, reason: str
) -> Correction:
    """Correct an assessed month with a new base: a reversal of what stands and a new line.

    Nothing is updated in place; the employer's totals are recomputed from its lines in
    the same transaction.
    """
    access.require_caseworker(scope)
    person = access.person_for(scope, person_id)
    period = rules.month_start(period)
    if insurance_type not in rules.ASSESSED_INSURANCES:
        raise InvalidInput(fields={"insurance_type": insurance_type})
    if not reason.strip():
        raise InvalidInput(fields={"reason": _("required")})
    prefix = LINE_PREFIX[insurance_type]
    rows = list(ContributionMonth.objects.select_for_update().filter(person=person, period=period).order_by("id"))
    lines = [row for row in rows if getattr(row, f"{prefix}_employer_fen") is not None]
    if not lines:
        raise NotFound(
            _("Nothing was assessed for this person, insurance and month."), fields={"period": f"{period:%Y-%m}"}
        )
    latest = [line for line in lines if line.kind != LineKind.REVERSAL][-1]
    rates = policy.period_rates(period)
    band = rates.band
    new_base = rules.yuan(base)
    if not band.contains(new_base):
        raise InvalidInput(
            _("The base must be between %(floor)s and %(ceiling)s yuan.")
            % {"floor": band.floor, "ceiling": band.ceiling},
            fields={"base": str(new_base)},
        )
    stood = {
        part: sum(getattr(line, f"{prefix}_{part}", None) or 0 for line in lines)  # account: pension only
        for part in ("employer_fen", "individual_fen", "account_fen")
    }
    stood["base_fen"] = sum(line.base_fen for line in lines)
    # revisions count per person and month (across insurances), under the rows' lock
    revision = max(row.revision for row in rows) + 1
    correction = Correction.objects.create(
        period=period,
        person=person,
        insurance_type=insurance_type,
        revision=revision,
        old_base_fen=stood["base_fen"],
        new_base_fen=rules.to_fen(new_base),
        reason=reason.strip()[:300],
        made_by=scope.actor,
    )
    now = timezone.now()
    account_ppm = rates.row(insurance_type, latest.category).account_ppm
    employer_ppm = getattr(latest, f"{prefix}_employer_ppm")
    individual_ppm = getattr(latest, f"{prefix}_individual_ppm")
    base_fen = rules.to_fen(new_base)
    common = {
        "period": period,
        "person": person,
        "employer_id": latest.employer_id,
        "category": latest.category,
        "revision": revision,
        f"{prefix}_employer_ppm": employer_ppm,
        f"{prefix}_individual_ppm": individual_ppm,
        "correction": correction,
        "created_at": now,
    }

    def amounts(base: int, employer: int, individual: int, account: int) -> dict[str, int]:
        parts = {"base_fen": base, f"{prefix}_employer_fen": employer, f"{prefix}_individual_fen": individual}
        if prefix == LINE_PREFIX[rules.PENSION]:
            parts["pension_account_fen"] = account
        return parts

    try:
        ContributionMonth.objects.bulk_create(
            [
                ContributionMonth(
                    kind=LineKind.REVERSAL,
                    **amounts(
                        -stood["base_fen"], -stood["employer_fen"], -stood["individual_fen"], -stood["account_fen"]
                    ),
                    **common,
                ),
                ContributionMonth(
                    kind=LineKind.ADJUSTMENT,
                    **amounts(
                        base_fen,
                        rules.amount_fen(base_fen, employer_ppm),
                        rules.amount_fen(base_fen, individual_ppm),
                        rules.amount_fen(base_fen, account_ppm),
                    ),
                    **common,
                ),
            ]
        )
    except IntegrityError as error:  # a concurrent correction took this revision
        raise Conflict(_("This month was corrected at the same time; please reload.")) from error
    if latest.employer_id is not None:
        predicate, params = "employer_id = %s", [db_uuid(latest.employer_id)]
        employer_totals_refresh(period, predicate, params, now)
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.contribution.correct",
        object_type="person",
        object_id=str(person.pk),
        detail={
            "period": f"{period:%Y-%m}",
            "insurance_type": insurance_type,
            "old_base": str(rules.from_fen(stood["base_fen"])),
            "new_base": str(new_base),
            "revision": revision,
            "reason": correction.reason,
        },
    )
    # The account follows once the payer has paid the difference (accounts.account_credit_period).
    from hrss.insurance.services.accounts import account_credit_period

    account_credit_period(
        period=period,
        employer_ids=[latest.employer_id] if latest.employer_id else [],
        person_ids=[] if latest.employer_id else [person.pk],
    )
    return correction
