"""待遇资格 cross-checks (S3): benefits paid after death, unemployment benefit while working.

Each finding suspends (death) or stops (re-employment) the award, computes the overpaid
amount from the payment ledger and opens one recovery case with the evidence a staff
member needs to decide: the death date and its source, or the contribution lines that
show the new job. Running the check again opens nothing new for the same award.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Min, Sum
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, NotFound
from hrss.core.events import publish
from hrss.core.scope import Scope
from hrss.insurance import access, rules
from hrss.insurance.events import BenefitSuspended, RecoveryCaseOpened
from hrss.insurance.models import (
    BenefitAward,
    BenefitKind,
    BenefitPayment,
    ContributionLine,
    RecoveryCase,
)
from hrss.registry.models import Employer

CURRENT = (BenefitAward.Status.ACTIVE, BenefitAward.Status.SUSPENDED)


def _overpaid(award: BenefitAward, first_period: dt.date) -> tuple[int, list[dict[str, Any]]]:
    rows = (
        BenefitPayment.objects.filter(award=award, period__gte=first_period)
        .values("period")
        .annotate(total=Sum("amount_fen"))
        .filter(total__gt=0)
        .order_by("period")
    )
    periods = [{"period": f"{row['period']:%Y-%m}", "amount": str(rules.from_fen(row["total"]))} for row in rows]
    return sum(int(row["total"]) for row in rows), periods


def _open_case(
    *, award: BenefitAward, reason: str, first_period: dt.date, evidence: dict[str, Any], actor: str
) -> RecoveryCase | None:
    if RecoveryCase.objects.filter(award=award, reason=reason, status=RecoveryCase.Status.OPEN).exists():
        return None
    overpaid, periods = _overpaid(award, first_period)
    if overpaid <= 0:
        return None
    case = RecoveryCase.objects.create(
        person_id=award.person_id,
        award=award,
        reason=reason,
        overpaid_fen=overpaid,
        first_period=first_period,
        evidence={**evidence, "payments": periods},
        opened_by=actor,
    )
    audit_record(
        actor=actor,
        action="insurance.recovery.open",
        object_type="person",
        object_id=str(award.person_id),
        detail={"case": str(case.pk), "reason": reason, "overpaid_fen": overpaid},
    )
    publish(
        RecoveryCaseOpened(
            case_id=case.pk, person_id=award.person_id, reason=reason, overpaid=str(rules.from_fen(overpaid))
        )
    )
    return case


def award_suspend(*, award: BenefitAward, reason: str, actor: str) -> None:
    if award.status == BenefitAward.Status.ACTIVE:
        award.status = BenefitAward.Status.SUSPENDED
        award.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="insurance.award.suspend",
            object_type="person",
            object_id=str(award.person_id),
            detail={"award": str(award.pk), "reason": reason},
        )
        publish(BenefitSuspended(award_id=award.pk, person_id=award.person_id, kind=award.kind, reason=reason))


@transaction.atomic
def crosscheck_deaths(*, actor: str = "system", person_id: uuid.UUID | None = None) -> list[RecoveryCase]:
    """Pension or unemployment benefit for months after the month of death."""
    awards = BenefitAward.objects.select_for_update(of=("self",)).filter(person__death_date__isnull=False)
    if person_id is not None:
        awards = awards.filter(person_id=person_id)
    cases = []
    for award in awards.select_related("person"):
        death = award.person.death_date
        if death is None:
            continue
        first = rules.add_months(rules.month_start(death), 1)  # the month of death is due in full
        if award.status in CURRENT:
            award_suspend(award=award, reason=RecoveryCase.Reason.DECEASED, actor=actor)
        evidence = {
            "death_date": death.isoformat(),
            "death_source": (award.person.sources or {}).get("death_date", {}).get("source", ""),
            "recorded_at": (award.person.sources or {}).get("death_date", {}).get("at", ""),
        }
        case = _open_case(
            award=award, reason=RecoveryCase.Reason.DECEASED, first_period=first, evidence=evidence, actor=actor
        )
        if case:
            cases.append(case)
    return cases


@transaction.atomic
def crosscheck_reemployment(*, actor: str = "system") -> list[RecoveryCase]:
    """Unemployment benefit paid for months in which an employer contributed for the person."""
    paid = (
        BenefitPayment.objects.filter(benefit=BenefitKind.UNEMPLOYMENT)
        .values("award_id", "person_id")
        .annotate(first=Min("period"))
    )
    cases = []
    for row in paid:
        award = BenefitAward.objects.select_for_update().get(pk=row["award_id"])
        working = (
            ContributionLine.objects.filter(
                person_id=row["person_id"], employer__isnull=False, period__gte=award.start_month
            )
            .values("period", "employer_id")
            .annotate(base=Sum("base_fen"))
            .filter(base__gt=0)
            .order_by("period")
        )
        months = list(working)
        if not months:
            continue
        first = months[0]["period"]
        if not BenefitPayment.objects.filter(award=award, period__gte=first).exists():
            continue
        if award.status in CURRENT:
            award.status = BenefitAward.Status.STOPPED
            award.stop_reason = BenefitAward.StopReason.REEMPLOYED
            award.stopped_month = first
            award.end_month = rules.add_months(first, -1)
            award.save(update_fields=["status", "stop_reason", "stopped_month", "end_month", "updated_at"])
            publish(
                BenefitSuspended(
                    award_id=award.pk, person_id=award.person_id, kind=award.kind, reason=RecoveryCase.Reason.REEMPLOYED
                )
            )
        names = dict(Employer.objects.filter(pk__in={m["employer_id"] for m in months}).values_list("pk", "name"))
        codes = dict(
            Employer.objects.filter(pk__in={m["employer_id"] for m in months}).values_list("pk", "credit_code")
        )
        by_employer: dict[str, list[str]] = defaultdict(list)
        for month in months:
            by_employer[str(month["employer_id"])].append(f"{month['period']:%Y-%m}")
        evidence = {
            "first_month_contributed": f"{first:%Y-%m}",
            "employers": [
                {
                    "name": names.get(uuid.UUID(employer), ""),
                    "credit_code": codes.get(uuid.UUID(employer), ""),
                    "months": periods,
                }
                for employer, periods in by_employer.items()
            ],
        }
        case = _open_case(
            award=award, reason=RecoveryCase.Reason.REEMPLOYED, first_period=first, evidence=evidence, actor=actor
        )
        if case:
            cases.append(case)
    return cases


def eligibility_crosscheck(*, actor: str = "system") -> list[RecoveryCase]:
    """Every cross-check; the monthly batch (``hrss insurance crosscheck``)."""
    return crosscheck_deaths(actor=actor) + crosscheck_reemployment(actor=actor)


@transaction.atomic
def recovery_case_close(*, scope: Scope, case_id: uuid.UUID, recovered: bool, note: str = "") -> RecoveryCase:
    """Staff close a case: recovered, or waived (e.g. an error of the bureau's own)."""
    access.require_caseworker(scope)
    case = RecoveryCase.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such recovery case within your scope."))
    if case.person_id is not None:
        access.person_for(scope, case.person_id)
    elif not scope.covers_district(case.district):  # an institution's debt: its district
        raise NotFound(_("No such recovery case within your scope."))
    if case.status != RecoveryCase.Status.OPEN:
        raise Conflict(_("This recovery case is already closed."), code="recovery_closed")
    case.status = RecoveryCase.Status.RECOVERED if recovered else RecoveryCase.Status.WAIVED
    case.evidence = {**case.evidence, "closing_note": note}
    case.save(update_fields=["status", "evidence", "updated_at"])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="insurance.recovery.close",
        object_type="person",
        object_id=str(case.person_id),
        detail={"case": str(case.pk), "status": case.status},
    )
    return case
