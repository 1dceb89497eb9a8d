"""Labour dispute arbitration cases (L1): the case from filing to award, and its history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrss.core.models import BaseModel


class CaseStatus(models.TextChoices):
    FILED = "filed", _("filed, awaiting acceptance")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")
    HEARING_SCHEDULED = "hearing_scheduled", _("hearing scheduled")
    HEARD = "heard", _("heard")
    AWARDED = "awarded", _("award issued")


class AwardOutcome(models.TextChoices):
    UPHELD = "upheld", _("claims upheld")
    PARTLY_UPHELD = "partly_upheld", _("claims partly upheld")
    DISMISSED = "dismissed", _("claims dismissed")


class ClockState(models.TextChoices):
    ON_TIME = "on_time", _("on time")
    AT_RISK = "at_risk", _("at risk")
    OVERDUE = "overdue", _("overdue")
    STOPPED = "stopped", _("no running deadline")


# The statuses whose statutory clock is still running.
OPEN_STATUSES = (CaseStatus.FILED, CaseStatus.ACCEPTED, CaseStatus.HEARING_SCHEDULED, CaseStatus.HEARD)


class ArbitrationCase(BaseModel):
    """One application for labour dispute arbitration (劳动争议仲裁案件).

    It is filed through the service hall's item 劳动仲裁申请 (SH-ZC-001): ``reference`` is the
    hall application's reference, which is also the key that makes the hall's service tasks
    idempotent. ``due_on`` is the deadline of the step the case waits for (acceptance, then
    the award), ``clock`` where it stands, kept by the daily job ``labor.deadlines``.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="arbitration_cases")
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="arbitration_cases"
    )
    respondent_name = models.CharField(_("respondent"), max_length=200)
    district = models.ForeignKey("codes.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    claims = models.TextField(_("claims"))
    amount_claimed = models.DecimalField(_("amount claimed"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.FILED)
    received_on = models.DateField(_("received on"))
    acceptance_due = models.DateField(_("acceptance due"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    refusal_reasons = models.TextField(_("reasons for refusal"), blank=True)
    award_due = models.DateField(_("award due"), null=True, blank=True)
    extended = models.BooleanField(_("award period extended"), default=False)
    due_on = models.DateField(_("current deadline"), null=True, blank=True)
    clock = models.CharField(_("deadline state"), max_length=10, choices=ClockState.choices, default=ClockState.ON_TIME)
    arbitrator = models.CharField(_("arbitrator"), max_length=150, blank=True)
    hearing_at = models.DateTimeField(_("hearing at"), null=True, blank=True)
    hearing_room = models.CharField(_("hearing room"), max_length=40, blank=True)
    hearing_notified_on = models.DateField(_("hearing notice sent on"), null=True, blank=True)
    hearing_record = models.TextField(_("hearing record"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=AwardOutcome.choices, blank=True)
    amount_awarded = models.DecimalField(_("amount awarded"), max_digits=14, decimal_places=2, null=True, blank=True)
    award_text = models.TextField(_("award"), blank=True)
    final_award = models.BooleanField(_("final award"), default=False)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("arbitration case")
        verbose_name_plural = _("arbitration cases")
        ordering = ["due_on", "reference"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["person", "received_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing_room", "hearing_at"],
                condition=models.Q(hearing_at__isnull=False),
                name="labor_case_room_slot_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(models.Model):
    """One step of a case's history: who did what, when (shown to both parties)."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(ArbitrationCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    actor = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
