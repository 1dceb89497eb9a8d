"""Records as service items: 灵活就业人员参保登记 (SH-YL-001) and 参保缴费证明 (SH-YL-002) (S1, S2, A4)."""

from __future__ import annotations

import hashlib
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.selectors import insurance_type_name
from hrss.core.errors import ValidationError
from hrss.core.servicetasks import ServiceTaskContext, register_handler
from hrss.insurance import access, policy, rules, services
from hrss.insurance.models import ContributionLine, Enrolment
from hrss.insurance.selectors.contributions import pension_contribution_months
from hrss.insurance.servicetasks.common import (
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
        raise ValidationError(fields={"base_level": _("a share of the average wage")}) from error
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


# --- certificate of contributions (参保缴费证明) --------------------------------------------------


def _contribution_summary(person_id: uuid.UUID) -> list[dict[str, Any]]:
    """Months and amounts per insurance from the contribution lines, corrections netted."""
    rows = (
        ContributionLine.objects.filter(person_id=person_id)
        .values("insurance_type", "period")
        .annotate(base=Sum("base_fen"), individual=Sum("individual_fen"), employer=Sum("employer_fen"))
        .order_by("insurance_type", "period")
    )
    by_type: dict[str, dict[str, Any]] = {}
    for row in rows:
        if not row["base"] or row["base"] <= 0:
            continue  # a month reversed in full by a correction was not contributed
        entry = by_type.setdefault(
            row["insurance_type"],
            {"months": 0, "first": row["period"], "last": row["period"], "individual": 0, "employer": 0},
        )
        entry["months"] += 1
        entry["last"] = row["period"]
        entry["individual"] += row["individual"] or 0
        entry["employer"] += row["employer"] or 0
    insured_now = set(
        Enrolment.objects.filter(person_id=person_id, end_month__isnull=True).values_list("insurance_type", flat=True)
    )
    summary = []
    for code in rules.ASSESSED_INSURANCES:
        if code not in by_type and code not in insured_now:
            continue
        found = by_type.get(code) or {"months": 0, "first": None, "last": None, "individual": 0, "employer": 0}
        summary.append(
            {
                "insurance_type": code,
                "label": str(insurance_type_name(code)),
                "months": found["months"],
                "first_month": month_text(found["first"]),
                "last_month": month_text(found["last"]),
                "individual_total": money(rules.from_fen(found["individual"])),
                "employer_total": money(rules.from_fen(found["employer"])),
                "insured_now": code in insured_now,
            }
        )
    return summary


@register_handler("insurance.contribution_certificate")
@refusing
def contribution_certificate(context: ServiceTaskContext) -> dict[str, Any]:
    """The certificate's figures from the person's own contribution lines (A4: certificates from data)."""
    scope = acting_scope(context)
    person = access.person_for(scope, person_id_of(context))
    today = timezone.localdate()
    by_type = _contribution_summary(person.pk)
    pension_here = next((row["months"] for row in by_type if row["insurance_type"] == rules.PENSION), 0)
    pension_total = pension_contribution_months(person.pk)
    digest = hashlib.sha256(f"{context.reference}:{person.pk}".encode()).hexdigest()[:12].upper()
    number = f"JFZM-{today:%Y%m%d}-{digest}"
    result = {
        "what": _("Certificate of social insurance contributions issued."),
        "certificate_number": number,
        "issued_on": today.isoformat(),
        "purpose": context.form_data.get("purpose"),
        "name": person.name,
        "by_type": by_type,
        "pension_months_total": pension_total,
        "pension_months_transferred": pension_total - pension_here,
        "individual_total": money(sum((Decimal(row["individual_total"]) for row in by_type), Decimal(0))),
        "employer_total": money(sum((Decimal(row["employer_total"]) for row in by_type), Decimal(0))),
    }
    return record_result(context, scope, "contribution_certificate", person.pk, result)
