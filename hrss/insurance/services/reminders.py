"""全民参保 reminders (S2): an SMS, and an in-app message for people with an account."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hrss.core.errors import InvalidInput
from hrss.core.scope import Scope
from hrss.insurance.models import EnrolmentReminder, ReminderDelivery
from hrss.insurance.notify_templates import ENROLMENT_REMINDER_TEMPLATE
from hrss.notify import services as notify
from hrss.registry import selectors as registry_selectors

# The service hall's item for enrolling as a flexible worker (灵活就业人员参保登记): a code
# of the catalogue (data), linked by URL name so that this app never imports the hall.
FLEXIBLE_ENROLMENT_ITEM = "SH-YL-001"


def reminder_url() -> str:
    """Where to enrol: the hall's item page, else the insurance page; absolute when the
    site's public origin is known (the first of ``HRSS_CSRF_TRUSTED_ORIGINS``)."""
    try:
        path = reverse("servicehall:item", args=[FLEXIBLE_ENROLMENT_ITEM])
    except NoReverseMatch:
        path = reverse("insurance:mine")
    origins = list(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    return (origins[0].rstrip("/") + path) if origins else path


def enrolment_reminder_send(*, person_id: uuid.UUID, period: dt.date, district: str) -> None:
    """Text the person (registry mobile number, else the account's) and put the same text in
    the account's inbox. No valid number: no SMS, and the delivery row says why, so a
    district office can count whom it still has to reach. At most once per reminder."""
    with transaction.atomic():
        reminder, _created = EnrolmentReminder.objects.get_or_create(
            person_id=person_id,
            period=period,
            defaults={"district": district, "created_at": timezone.now()},
        )
        reminder = EnrolmentReminder.objects.select_for_update().get(pk=reminder.pk)
        if ReminderDelivery.objects.filter(reminder=reminder).exists():
            return
        person = (
            registry_selectors.person_queryset(scope=Scope.system("insurance:reminder")).filter(pk=person_id).first()
        )
        if person is None:
            return
        account = getattr(person, "account", None)
        if account is not None and not account.is_active:
            account = None
        params = {"item": FLEXIBLE_ENROLMENT_ITEM, "url": reminder_url()}
        phone = person.phone or (account.phone if account is not None else "")
        outcome = ReminderDelivery.Sms.NO_PHONE
        if phone:
            try:
                notify.send_sms(phone=phone, template=ENROLMENT_REMINDER_TEMPLATE, params=params)
                outcome = ReminderDelivery.Sms.SENT
            except InvalidInput:
                outcome = ReminderDelivery.Sms.INVALID_PHONE
        if account is not None:
            notify.send_in_app(user_id=account.pk, template=ENROLMENT_REMINDER_TEMPLATE, params=params)
        ReminderDelivery.objects.create(
            reminder=reminder, sms=outcome, in_app=account is not None, created_at=timezone.now()
        )
