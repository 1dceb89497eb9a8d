"""Subscriptions to other apps' domain events."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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


# --- 全民参保 reminders (S2): an SMS, and an in-app message for people with an account ----------

REMINDER_TEMPLATE = "insurance_enrolment_reminder"
# The service hall's item for enrolling as a flexible worker (灵活就业人员参保登记): a code
# of the catalogue (data), linked by URL name so that this app never imports the hall.
FLEXIBLE_ENROLMENT_ITEM = "SH-YL-001"


# Registered with notify by ``InsuranceConfig.ready()`` (data here, registration at start-up).
NOTIFY_TEMPLATES = {
    REMINDER_TEMPLATE: _(
        "[HR and Social Security] You are of working age and have no social insurance yet. "
        'Enrol online with the service item "Pension insurance enrolment for flexible workers" ({item}): '
        "{url}, or at any social insurance counter. Questions: call 12333."
    ),
}


def _reminder_url() -> str:
    """Where to enrol: the hall's item page, else the insurance page; absolute when the
    site's public origin is known (the first of ``HRSS_CSRF_TRUSTED_ORIGINS``)."""
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("servicehall:item", args=[FLEXIBLE_ENROLMENT_ITEM])
    except NoReverseMatch:
        path = reverse("insurance:mine")
    origins = list(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    return (origins[0].rstrip("/") + path) if origins else path


@subscribe(EnrolmentReminderDue)
def send_enrolment_reminder(event: EnrolmentReminderDue) -> None:
    """Text the person (registry mobile number, else the account's) and put the same text in
    the account's inbox. No valid number: no SMS, and the delivery row says why, so a
    district office can count whom it still has to reach. At most once per reminder."""
    from django.db import transaction
    from django.utils import timezone

    from hrss.core.errors import ValidationError
    from hrss.core.scope import Scope
    from hrss.insurance.models import EnrolmentReminder, ReminderDelivery
    from hrss.notify import services as notify
    from hrss.registry import selectors as registry_selectors

    with transaction.atomic():
        reminder, _created = EnrolmentReminder.objects.get_or_create(
            person_id=event.person_id,
            period=event.period,
            defaults={"district": event.district, "created_at": timezone.now()},
        )
        reminder = EnrolmentReminder.objects.select_for_update().get(pk=reminder.pk)
        if ReminderDelivery.objects.filter(reminder=reminder).exists():
            return
        person = (
            registry_selectors.person_queryset(scope=Scope.system("insurance:reminder"))
            .filter(pk=event.person_id)
            .first()
        )
        if person is None:
            return
        account = getattr(person, "account", None)
        if account is not None and not account.is_active:
            account = None
        params = {"item": FLEXIBLE_ENROLMENT_ITEM, "url": _reminder_url()}
        phone = person.phone or (account.phone if account is not None else "")
        outcome = ReminderDelivery.Sms.NO_PHONE
        if phone:
            try:
                notify.send_sms(phone=phone, template=REMINDER_TEMPLATE, params=params)
                outcome = ReminderDelivery.Sms.SENT
            except ValidationError:
                outcome = ReminderDelivery.Sms.INVALID_PHONE
        if account is not None:
            notify.send_in_app(user_id=account.pk, template=REMINDER_TEMPLATE, params=params)
        ReminderDelivery.objects.create(
            reminder=reminder, sms=outcome, in_app=account is not None, created_at=timezone.now()
        )
