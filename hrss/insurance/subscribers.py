"""What the insurance app does on domain events: other apps' (a death in the registry) and its own
(re-employment, reminders due). Each subscriber calls a service; the work lives there."""

from __future__ import annotations

from hrss.core.events import subscribe
from hrss.insurance.events import EnrolmentReminderDue, EnrolmentStarted
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
    from hrss.insurance.services.benefits import unemployment_benefit_stop_on_reemployment

    unemployment_benefit_stop_on_reemployment(person_id=event.person_id, start_month=event.start_month)


@subscribe(EnrolmentReminderDue)
def send_enrolment_reminder(event: EnrolmentReminderDue) -> None:
    from hrss.insurance.services.reminders import enrolment_reminder_send

    enrolment_reminder_send(person_id=event.person_id, period=event.period, district=event.district)
