"""The unemployment benefit (失业保险金) of a person registered as unemployed, read from the
insurance app's declared ledger facts (``InsuranceConfig.ledger_facts``, never imported), and
their open 失业保险金申领 (SH-SY-001) in the service hall, for the citizen's jobs page and the
staff view of a registration."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.utils.translation import pgettext_lazy

from hrss.employment.policies import ledger_facts
from hrss.servicehall.models import Application

BENEFIT_ITEM = "SH-SY-001"  # 失业保险金申领

AWARD_STATUS = {
    "active": pgettext_lazy("unemployment benefit", "being paid"),
    "suspended": pgettext_lazy("unemployment benefit", "suspended"),
    "stopped": pgettext_lazy("unemployment benefit", "stopped"),
    "ended": pgettext_lazy("unemployment benefit", "ended"),
}


@dataclass(frozen=True)
class BenefitClaim:
    award: dict[str, Any] | None  # status, start_month, end_month, monthly_fen, entitled_months
    application_reference: str  # an open hall application for the benefit, if any
    available: bool  # the insurance facts could be read

    @property
    def status_label(self) -> str:
        return str(AWARD_STATUS.get(self.award["status"], self.award["status"])) if self.award else ""

    @property
    def monthly_yuan(self) -> str:
        return f"{self.award['monthly_fen'] / 100:.2f}" if self.award else ""

    @property
    def may_apply(self) -> bool:
        return self.award is None and not self.application_reference


def benefit_claim(person_id: uuid.UUID) -> BenefitClaim:
    """The person's unemployment benefit award, else their open application for one."""
    module = ledger_facts.module
    reader = getattr(module, "unemployment_benefit", None) if module is not None else None
    award = reader(person_id=person_id) if reader is not None else None
    reference = (
        Application.objects.filter(
            applicant_person_id=person_id, item__code=BENEFIT_ITEM, status__in=Application.OPEN_STATUSES
        )
        .order_by("-submitted_at")
        .values_list("reference", flat=True)
        .first()
    )
    return BenefitClaim(award=award, application_reference=reference or "", available=reader is not None)
