"""参保缴费证明 (SH-YL-002) as a service item: the certificate's figures from the person's own
contribution lines (S1, A4: certificates from data)."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.selectors import insurance_type_name
from hrss.core.servicetasks import ServiceTaskContext, register_handler
from hrss.insurance import access, rules
from hrss.insurance.selectors.contributions import InsuranceSummary, contribution_summary, pension_contribution_months
from hrss.insurance.servicetasks.task_context import (
    acting_scope,
    money,
    month_text,
    person_id_of,
    record_result,
    refusing,
)

# --- certificate of contributions (参保缴费证明) --------------------------------------------------


def _summary_row(row: InsuranceSummary) -> dict[str, Any]:
    return {
        "insurance_type": row.insurance_type,
        "label": str(insurance_type_name(row.insurance_type)),
        "months": row.months,
        "first_month": month_text(row.first_month),
        "last_month": month_text(row.last_month),
        "individual_total": money(rules.from_fen(row.individual_fen)),
        "employer_total": money(rules.from_fen(row.employer_fen)),
        "insured_now": row.insured_now,
    }


@register_handler("insurance.contribution_certificate")
@refusing
def contribution_certificate(context: ServiceTaskContext) -> dict[str, Any]:
    """The certificate's figures from the person's own contribution lines (A4: certificates from data)."""
    scope = acting_scope(context)
    person = access.person_for(scope, person_id_of(context))
    today = timezone.localdate()
    by_type = [_summary_row(row) for row in contribution_summary(person.pk)]
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
