"""Insurance's scheduled jobs (declared in ``InsuranceConfig.scheduled_jobs``, run by ``hrss.core.schedule``)."""

from __future__ import annotations

from django.utils import timezone

from hrss.core.scope import Scope


def enrolment_reminders() -> dict[str, int]:
    """Monthly (全民参保): remind the uninsured of working age for the current month.

    Idempotent: a person is reminded once per month, so a second run (or a run late in
    the month after downtime) publishes only reminders not yet published.
    """
    from hrss.insurance import rules
    from hrss.insurance.services.universal import enrolment_reminders_publish

    period = rules.month_start(timezone.localdate())
    return {"reminders": enrolment_reminders_publish(scope=Scope.system("schedule:insurance.remind"), period=period)}


def eligibility_crosscheck() -> dict[str, int]:
    """Daily (待遇资格): suspend benefits paid after death or during re-employment.

    Idempotent: an award is suspended once and a recovery case opened once."""
    from hrss.insurance.services.eligibility import eligibility_crosscheck as crosscheck

    return {"recovery_cases": len(crosscheck(actor="schedule:insurance.crosscheck"))}
