"""全民参保 reminders (S2) reach people through notify: an SMS, an in-app message, once a month."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db.models import TextField
from django.db.models.functions import Cast

from hrss.core.errors import PermissionDenied
from hrss.insurance.models import EnrolmentReminder, ReminderDelivery
from hrss.insurance.notify_templates import ENROLMENT_REMINDER_TEMPLATE as REMINDER_TEMPLATE
from hrss.insurance.selectors import universal
from hrss.insurance.services import universal as universal_services
from hrss.insurance.services.reminders import FLEXIBLE_ENROLMENT_ITEM
from hrss.insurance.tests.builders import citizen, clerk, employee
from hrss.notify import backends, selectors
from hrss.notify.models import OutboundMessage
from hrss.testing import make_employer, make_person, make_user

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 3, 15)
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _immediate_delivery(settings):
    """Deliver notify's messages in-process right after commit, as the task worker would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture
def residents():
    return {
        "with_phone": make_person(name="有手机", birth=dt.date(1990, 6, 1), sex="M", phone=PHONE),
        "no_phone": make_person(name="无手机", district="120103", birth=dt.date(1985, 2, 1), sex="F"),
        "insured": employee(make_employer(name="工厂"), name="已参保", birth=dt.date(1988, 1, 1), phone="13800001111"),
    }


def test_a_reminder_is_texted_once_a_month_with_the_item_and_where_to_enrol(
    residents, django_capture_on_commit_callbacks, caplog, settings
):
    settings.CSRF_TRUSTED_ORIGINS = ["https://hrss.example.gov.cn"]
    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        published = universal_services.enrolment_reminders_publish(scope=clerk(), period=ON)
    assert published == 2

    [envelope] = backends.outbox  # one SMS: the other person has no mobile number
    assert envelope.channel == "sms" and envelope.recipient == PHONE and envelope.template == REMINDER_TEMPLATE
    assert "Pension insurance enrolment for flexible workers" in envelope.text
    assert FLEXIBLE_ENROLMENT_ITEM in envelope.text
    assert f"https://hrss.example.gov.cn/hall/items/{FLEXIBLE_ENROLMENT_ITEM}/" in envelope.text
    message = OutboundMessage.objects.get(channel="sms")
    assert message.status == "sent" and message.provider_id == f"recorded-{message.pk}"
    stored = OutboundMessage.objects.filter(pk=message.pk).values_list(Cast("recipient", TextField()), flat=True).get()
    assert PHONE not in stored  # encrypted at rest
    assert PHONE not in caplog.text and "139****5678" in caplog.text  # masked in the log

    deliveries = {d.reminder.person_id: d for d in ReminderDelivery.objects.select_related("reminder")}
    assert deliveries[residents["with_phone"].pk].sms == "sent"
    assert deliveries[residents["no_phone"].pk].sms == "no_phone"
    counts = universal.reminder_counts(scope=clerk(), period=ON)
    assert (counts.reminders, counts.sms_sent, counts.no_phone, counts.invalid_phone, counts.undelivered) == (
        2,
        1,
        1,
        0,
        0,
    )
    assert universal.reminder_counts(scope=clerk(districts=["120103"]), period=ON).no_phone == 1
    assert universal.reminder_counts(scope=clerk(districts=["120103"]), period=ON).sms_sent == 0

    # The same month again: nobody is texted twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert universal_services.enrolment_reminders_publish(scope=clerk(), period=ON) == 0
    assert len(backends.outbox) == 1 and OutboundMessage.objects.count() == 1
    # The next month, the still-uninsured are reminded again.
    with django_capture_on_commit_callbacks(execute=True):
        assert universal_services.enrolment_reminders_publish(scope=clerk(), period=dt.date(2025, 4, 1)) == 2
    assert len(backends.outbox) == 2


def test_a_person_with_an_account_also_gets_the_message_in_the_inbox(residents, django_capture_on_commit_callbacks):
    user = make_user("youmobile", "citizen", person=residents["with_phone"])
    with django_capture_on_commit_callbacks(execute=True):
        universal_services.enrolment_reminders_publish(scope=clerk(), period=ON)
    [item] = selectors.in_app_inbox(user_id=user.pk)
    assert "Pension insurance enrolment for flexible workers" in item.text and not item.read
    assert "/hall/items/" in item.text
    assert ReminderDelivery.objects.get(reminder__person=residents["with_phone"]).in_app is True


def test_an_unusable_number_sends_nothing_and_is_counted(django_capture_on_commit_callbacks):
    make_person(name="坏号码", birth=dt.date(1992, 1, 1), sex="M", phone="12345")
    with django_capture_on_commit_callbacks(execute=True):
        assert universal_services.enrolment_reminders_publish(scope=clerk(), period=ON) == 1
    assert backends.outbox == [] and not OutboundMessage.objects.exists()
    assert universal.reminder_counts(scope=clerk(), period=ON).invalid_phone == 1


def test_nothing_is_sent_when_the_reminders_roll_back(residents, django_capture_on_commit_callbacks):
    from django.db import transaction

    def publish_then_fail():
        with transaction.atomic():
            universal_services.enrolment_reminders_publish(scope=clerk(), period=ON)
            raise RuntimeError("rollback")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        publish_then_fail()
    assert backends.outbox == [] and not EnrolmentReminder.objects.exists()
    assert not ReminderDelivery.objects.exists()


def test_only_staff_count_reminders(residents):
    with pytest.raises(PermissionDenied):
        universal.reminder_counts(scope=citizen(residents["with_phone"]), period=ON)


def test_the_same_reminder_event_twice_texts_once(residents, django_capture_on_commit_callbacks):
    from hrss.core.events import publish
    from hrss.insurance.events import EnrolmentReminderDue

    event = EnrolmentReminderDue(person_id=residents["with_phone"].pk, district="120101", period=dt.date(2025, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        publish(event)
        publish(event)
    assert len(backends.outbox) == 1
    assert EnrolmentReminder.objects.get(person=residents["with_phone"]).delivery.sms == "sent"
