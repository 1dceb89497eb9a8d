"""养老保险关系转移接续 as a service item (SH-YL-005): check after acceptance, record after approval (S1).

A transfer in credits the months and account balance the other city's 参保缴费凭证 shows
(the reviewer checks the voucher); a transfer out moves everything on record here. The
other region is a GB/T 2260 code the codes app knows (the city's table, then the national
one), and never a division of this city.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.selectors import district_name
from hrss.core.errors import Conflict, InvalidInput
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, register_handler
from hrss.insurance import access, rules, services
from hrss.insurance.models import Enrolment, Transfer
from hrss.insurance.selectors.contributions import account_balance_fen, pension_contribution_months
from hrss.insurance.servicetasks.task_context import (
    acting_scope,
    earlier_result,
    form_decimal,
    money,
    month_text,
    person_id_of,
    record_result,
    refusing,
)

# --- transfer of the pension insurance relation (转移接续) ---------------------------------------


def _city_prefix() -> str:
    """The leading digits every GB/T 2260 code inside this city shares (12 for Tianjin)."""
    city = str(settings.HRSS_CITY_REGION)
    return city[:2] if city.endswith("0000") else city[:4]


def _transfer_plan(context: ServiceTaskContext, scope: Scope) -> dict[str, Any]:
    """What the transfer would record, checked: direction, the other region, months, amounts."""
    person = access.person_for(scope, person_id_of(context))
    direction = str(context.form_data.get("direction") or "")
    if direction not in Transfer.Direction.values:
        raise InvalidInput(fields={"direction": _("into the city or out of it")})
    region = str(context.form_data.get("other_region") or "").strip()
    region_name = district_name(region) if len(region) == 6 and region.isdigit() else None
    if region_name is None:
        raise InvalidInput(
            _("%(code)s is not a GB/T 2260 administrative division code.") % {"code": region or "—"},
            fields={"other_region": region},
        )
    if region.startswith(_city_prefix()):
        raise InvalidInput(
            _("%(code)s %(name)s is inside this city: a transfer is between cities.")
            % {"code": region, "name": region_name},
            fields={"other_region": region},
        )
    pooled = form_decimal(context, "pooled_fund_amount") or Decimal(0)
    if direction == Transfer.Direction.IN:
        # Brought along from the other city's 参保缴费凭证, which the reviewer checks.
        given_months = context.form_data.get("contribution_months")
        given_amount = form_decimal(context, "account_amount")
        missing = {
            name: _("required for a transfer into the city")
            for name, value in (("contribution_months", given_months), ("account_amount", given_amount))
            if value in (None, "")
        }
        if missing or given_amount is None:
            raise InvalidInput(fields=missing)
        months, amount = int(str(given_months)), given_amount
        earlier = Transfer.objects.filter(
            person=person,
            direction=direction,
            other_region=region,
            contribution_months=months,
            account_fen=rules.to_fen(amount),
        ).first()
        if earlier is not None:
            raise Conflict(
                _("This transfer from %(name)s was already recorded on %(day)s.")
                % {"name": region_name, "day": earlier.effective_on.isoformat()},
                fields={"other_region": region},
            )
    else:
        # Everything on record here moves out, as ``transfer_record`` does.
        months = pension_contribution_months(person.pk)
        amount = rules.from_fen(account_balance_fen(person.pk))
        open_here = Enrolment.objects.filter(
            person=person, insurance_type=rules.PENSION, end_month__isnull=True
        ).first()
        if open_here is not None:
            raise Conflict(
                _("The pension insurance here is still open (since %(month)s): it moves out once it has stopped.")
                % {"month": month_text(open_here.start_month)},
                fields={"direction": direction},
            )
        if months <= 0 and amount <= 0:
            raise Conflict(_("There is nothing on record here to transfer out."), fields={"direction": direction})
    return {
        "person_id": person.pk,
        "direction": direction,
        "other_region": region,
        "other_region_name": region_name,
        "contribution_months": months,
        "account_amount": rules.yuan(amount),
        "pooled_fund_amount": rules.yuan(pooled),
    }


def _transfer_figures(plan: dict[str, Any]) -> dict[str, Any]:
    return {
        "direction": plan["direction"],
        "other_region": plan["other_region"],
        "other_region_name": plan["other_region_name"],
        "contribution_months": plan["contribution_months"],
        "account_amount": money(plan["account_amount"]),
        "pooled_fund_amount": money(plan["pooled_fund_amount"]),
    }


@register_handler("insurance.transfer_preview")
@refusing
def transfer_preview(context: ServiceTaskContext) -> dict[str, Any]:
    """After acceptance: what will move, checked (region code, amounts, nothing recorded twice)."""
    plan = _transfer_plan(context, acting_scope(context))
    return {"what": _("Transfer checked for review"), **_transfer_figures(plan)}


@register_handler("insurance.transfer")
@refusing
def transfer(context: ServiceTaskContext) -> dict[str, Any]:
    """After approval: record the transfer in or out (account balance and contribution months)."""
    earlier = earlier_result(context, "transfer", person_id_of(context))
    if earlier is not None:
        return earlier
    scope = acting_scope(context)
    plan = _transfer_plan(context, scope)
    today = timezone.localdate()
    record = services.transfer_record(
        scope=scope,
        person_id=plan["person_id"],
        direction=plan["direction"],
        other_region=plan["other_region"],
        contribution_months=plan["contribution_months"],
        account_amount=plan["account_amount"],
        effective_on=today,
        pooled_fund_amount=plan["pooled_fund_amount"],
    )
    person_id = plan["person_id"]
    what = (
        _("Insurance relation transferred in from %(name)s.")
        if record.direction == Transfer.Direction.IN
        else _("Insurance relation transferred out to %(name)s.")
    )
    result = {
        "what": what % {"name": plan["other_region_name"]},
        "transfer_id": str(record.pk),
        **_transfer_figures(plan),
        "contribution_months": record.contribution_months,
        "account_amount": money(rules.from_fen(record.account_fen)),
        "effective_on": record.effective_on.isoformat(),
        "pension_months_after": pension_contribution_months(person_id),
        "account_balance_after": money(rules.from_fen(account_balance_fen(person_id))),
    }
    return record_result(context, scope, "transfer", person_id, result)
