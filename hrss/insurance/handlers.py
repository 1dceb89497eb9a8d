"""Subscriptions to other apps' domain events."""

from __future__ import annotations

from hrss.core.events import subscribe
from hrss.insurance.events import EnrolmentStarted
from hrss.registry.services import PersonDied


@subscribe(PersonDied)
def close_enrolments_on_death(event: PersonDied) -> None:
    """减员 on death: enrolments end with the month of death (the assessment never charges later)."""
    from hrss.insurance.services.assessment import enrolments_close_deceased

    enrolments_close_deceased(person_id=event.person_id, actor="registry:death")


@subscribe(PersonDied)
def suspend_benefits_on_death(event: PersonDied) -> None:
    """Benefits stop at once; anything already paid for later months becomes a recovery case."""
    from hrss.insurance.services.eligibility import crosscheck_deaths

    crosscheck_deaths(person_id=event.person_id, actor="registry:death")


@subscribe(EnrolmentStarted)
def stop_unemployment_benefit_on_reemployment(event: EnrolmentStarted) -> None:
    """An employer enrolling a person who draws unemployment benefit: the benefit stops from
    the first month of the new job (失业保险条例 第15条). Months already paid from then on
    are found by the cross-check and recovered."""
    if event.employer_id is None:
        return
    from hrss.core.scope import Scope
    from hrss.insurance.models import BenefitAward, BenefitKind
    from hrss.insurance.services.benefits import award_stop

    current = BenefitAward.objects.filter(
        person_id=event.person_id, kind=BenefitKind.UNEMPLOYMENT, status=BenefitAward.Status.ACTIVE
    ).first()
    if current is not None:
        award_stop(
            scope=Scope.system("insurance:reemployment"),
            award_id=current.pk,
            first_unpaid_month=event.start_month,
            reason=BenefitAward.StopReason.REEMPLOYED,
        )
