"""Insured status: enrolment spells (参保登记), exemptions and 全民参保 reminders."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from hrss.core.models import BaseModel


class PayerCategory(models.TextChoices):
    EMPLOYEE = "employee", _("employee (through an employer)")
    FLEXIBLE = "flexible", _("flexible worker (灵活就业)")


class Enrolment(BaseModel):
    """One spell of insured status of a person in one insurance (参保登记), month-granular.

    A spell covers ``start_month`` .. ``end_month`` inclusive; an open spell has no end.
    A person has at most one open spell per insurance; spells never overlap (services).
    """

    class StopReason(models.TextChoices):
        LEFT_EMPLOYER = "left_employer", _("left the employer")
        CONTRACT_END = "contract_end", _("contract ended")
        RETIRED = "retired", pgettext_lazy("enrolment stopped because the person", "retired")
        DECEASED = "deceased", _("deceased")
        TRANSFERRED_OUT = "transferred_out", _("transferred to another city")
        SELF_STOPPED = "self_stopped", _("stopped by the insured person")
        OTHER = "other", _("other")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    insurance_type = models.CharField(max_length=40)  # a code of codes.InsuranceType
    category = models.CharField(max_length=10, choices=PayerCategory.choices)
    start_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"), null=True, blank=True)
    stop_reason = models.CharField(max_length=20, choices=StopReason.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "insurance_type"], condition=Q(end_month__isnull=True), name="enrolment_one_open"
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=models.F("start_month")),
                name="enrolment_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(category="flexible", employer__isnull=True)
                | Q(category="employee", employer__isnull=False),
                name="enrolment_payer_matches_category",
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "insurance_type"]),
            models.Index(fields=["person", "insurance_type", "start_month"]),
            # the assessment reaches flexible workers (no employer) by person range
            models.Index(fields=["person"], condition=Q(employer__isnull=True), name="enrolment_flexible_person"),
        ]

    def __str__(self) -> str:
        return f"{self.insurance_type} {self.start_month:%Y-%m}..{self.end_month or ''}"


class EnrolmentExemption(BaseModel):
    """Why a person of working age need not be insured here (student, insured elsewhere...)."""

    class Reason(models.TextChoices):
        STUDENT = "student", _("full-time student")
        RETIRED = "retired", _("retired (pension from elsewhere)")
        INSURED_ELSEWHERE = "insured_elsewhere", _("insured in another city or scheme")
        MILITARY = "military", _("in military service")
        OTHER = "other", _("other")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20)
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("enrolment exemption")
        verbose_name_plural = _("enrolment exemptions")
        indexes = [models.Index(fields=["person", "valid_from"])]


class EnrolmentReminder(models.Model):
    """A universal-enrolment reminder published for a person in a month (sent once a month)."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    period = models.DateField()
    district = models.CharField(max_length=6)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("enrolment reminder")
        verbose_name_plural = _("enrolment reminders")
        constraints = [models.UniqueConstraint(fields=["person", "period"], name="reminder_once_a_month")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.district}"


class ReminderDelivery(models.Model):
    """How a 全民参保 reminder reached its person, or why it did not (S2): one row per reminder.

    Written by the reminder's subscriber after the reminders are committed; the row is
    unique per reminder, so a reminder is delivered at most once. ``sms`` tells the SMS's
    fate: sent, or not sent because the registry has no (valid) mobile number — those are
    the people a district office still has to reach another way.
    """

    class Sms(models.TextChoices):
        SENT = "sent", _("SMS sent")
        NO_PHONE = "no_phone", _("no mobile number")
        INVALID_PHONE = "invalid_phone", _("mobile number not valid")

    id = models.BigAutoField(primary_key=True)
    reminder = models.OneToOneField(EnrolmentReminder, on_delete=models.PROTECT, related_name="delivery")
    sms = models.CharField(max_length=14, choices=Sms.choices)
    in_app = models.BooleanField(default=False, help_text=_("also put in the person's account inbox"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")

    def __str__(self) -> str:
        return f"{self.sms}{' + in-app' if self.in_app else ''}"
