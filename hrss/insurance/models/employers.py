"""Employers' social insurance registration and their work-injury risk class and rate."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hrss.core.models import BaseModel


class IndustryRiskClass(models.Model):
    """Work-injury risk class (1-8) of a GB/T 4754 division (人社部发〔2015〕71号)."""

    industry = models.OneToOneField("codes.Industry", primary_key=True, on_delete=models.PROTECT, related_name="+")
    risk_class = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=200)
    confidence = models.CharField(max_length=2)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["industry"]
        verbose_name = _("industry work-injury risk class")
        verbose_name_plural = _("industry work-injury risk classes")
        constraints = [
            models.CheckConstraint(condition=Q(risk_class__gte=1, risk_class__lte=8), name="risk_class_1_to_8")
        ]

    def __str__(self) -> str:
        return f"{self.industry_id}: {self.risk_class}"


class EmployerWorkInjuryRate(BaseModel):
    """An employer's work-injury class and floating percentage (浮动费率) from a month on.

    The rate charged is the class base rate (a dated parameter) × ``floating_percent`` / 100.
    """

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    risk_class = models.PositiveSmallIntegerField()
    floating_percent = models.PositiveSmallIntegerField(default=100)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    decided_by = models.CharField(max_length=150)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employer work-injury rate")
        verbose_name_plural = _("employer work-injury rates")
        constraints = [
            models.UniqueConstraint(fields=["employer", "valid_from"], name="wi_rate_unique_start"),
            models.UniqueConstraint(fields=["employer"], condition=Q(valid_to__isnull=True), name="wi_rate_one_open"),
            models.CheckConstraint(condition=Q(risk_class__gte=1, risk_class__lte=8), name="wi_rate_class_1_to_8"),
            models.CheckConstraint(
                condition=Q(floating_percent__gte=50, floating_percent__lte=200), name="wi_rate_floating_bounds"
            ),
        ]


class EmployerRegistration(BaseModel):
    """单位社会保险登记: an employer registered for one insurance from a month on.

    One row per employer and insurance; an open registration has no ``end_month`` and there
    is at most one open per employer and insurance. ``application`` is the service hall's
    reference when the registration came from 用人单位社会保险登记 (SH-YL-003).
    """

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    insurance_type = models.CharField(max_length=40)  # a code of codes.InsuranceType
    start_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"), null=True, blank=True)
    headcount = models.PositiveIntegerField(_("employees to insure"), null=True, blank=True)
    application = models.CharField(_("application"), max_length=40, blank=True)
    registered_by = models.CharField(max_length=150)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employer insurance registration")
        verbose_name_plural = _("employer insurance registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "insurance_type"],
                condition=Q(end_month__isnull=True),
                name="employer_registration_one_open",
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=models.F("start_month")),
                name="employer_registration_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["application"], name="employer_registration_app")]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.insurance_type} {self.start_month:%Y-%m}.."
