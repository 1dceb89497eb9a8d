"""The analytics platform's own table: the unemployment early warnings (E5) its rules raise,
each kept with its figures and the history of what staff did with it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from hrss.core.models import BaseModel


class EarlyWarning(BaseModel):
    """失业预警: one rule (``hrss.analytics.rules.RULES``) fired for one subject — an employer
    or a district — in one month. Raised once: a rerun of the month finds it already there."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("analytics", "open")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("analytics", "acknowledged")
        CLOSED = "closed", pgettext_lazy("analytics", "closed")

    class Subject(models.TextChoices):
        EMPLOYER = "employer", pgettext_lazy("analytics", "employer")
        DISTRICT = "district", pgettext_lazy("analytics", "district")

    rule = models.CharField(_("rule"), max_length=40)
    subject = models.CharField(pgettext_lazy("analytics", "subject"), max_length=10, choices=Subject.choices)
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The district whose staff the warning goes to: the employer's, or the district warned of.
    district = models.ForeignKey("codes.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("month"))  # the first day of the month the rule looked at
    figures = models.JSONField(_("figures"), default=dict)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    acknowledged_by = models.CharField(max_length=150, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=150, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unemployment early warning")
        verbose_name_plural = _("unemployment early warnings")
        ordering = ("-period", "rule", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "employer", "period"],
                condition=Q(employer__isnull=False),
                name="analytics_one_employer_warning",
            ),
            models.UniqueConstraint(
                fields=["rule", "district", "period"],
                condition=Q(employer__isnull=True),
                name="analytics_one_district_warning",
            ),
            models.CheckConstraint(
                condition=Q(subject="employer", employer__isnull=False)
                | Q(subject="district", employer__isnull=True, district__isnull=False),
                name="analytics_warning_subject",
            ),
        ]
        indexes = [models.Index(fields=["district", "status", "period"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.period:%Y-%m}"
