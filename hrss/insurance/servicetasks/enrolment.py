"""灵活就业人员参保登记 (SH-YL-001) as a service item: enrol in the basic pension as a flexible worker (S1, S2)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.errors import InvalidInput
from hrss.core.servicetasks import ServiceTaskContext, register_handler
from hrss.insurance import policy, rules, services
from hrss.insurance.servicetasks.task_context import (
    acting_scope,
    earlier_result,
    money,
    month_text,
    person_id_of,
    record_result,
    refusing,
)

# --- flexible workers (灵活就业人员参保登记) --------------------------------------------------------


@register_handler("insurance.flexible_worker_enrol")
@refusing
def flexible_worker_enrol(context: ServiceTaskContext) -> dict[str, Any]:
    """Enrol in the basic pension from this month, at the chosen share of the average wage in force."""
    person_id = person_id_of(context)
    earlier = earlier_result(context, "flexible_worker_enrol", person_id)
    if earlier is not None:
        return earlier
    scope = acting_scope(context)
    try:
        level = Decimal(str(context.form_data.get("base_level")))
    except InvalidOperation as error:
        raise InvalidInput(fields={"base_level": _("a share of the average wage")}) from error
    start = rules.month_start(timezone.localdate())
    wage = policy.average_wage(on=start)
    base = rules.yuan(wage * level / 100)  # base_level is a percentage of the average wage
    enrolments = services.flexible_enrol(scope=scope, person_id=person_id, start_month=start, base=base)
    rates = policy.period_rates(start).row(rules.PENSION, policy.FLEXIBLE)
    monthly = rules.from_fen(rules.amount_fen(rules.to_fen(base), rates.individual_ppm))
    result = {
        "what": _("Enrolled in basic pension insurance as a flexible worker from %(month)s.")
        % {"month": month_text(start)},
        "enrolment_ids": [str(enrolment.pk) for enrolment in enrolments],
        "insurance_type": rules.PENSION,
        "start_month": month_text(start),
        "work_type": context.form_data.get("work_type"),
        "base_level": str(level),
        "average_wage": money(wage),
        "base": money(base),
        "monthly_contribution": money(monthly),
    }
    return record_result(context, scope, "flexible_worker_enrol", person_id, result)
