"""Code tables (GB/T 2260, GB/T 4754, the 2022 occupation classification...) and dated policy parameters."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Confidence(models.TextChoices):
    """How sure we are of a figure (see the domain reference)."""

    STATUTE = "T", _("statute text read in full")
    OFFICIAL = "O", _("official document located")
    THIRD_PARTY = "3P", _("third-party compilation only")
    RECALLED = "R", _("recalled, not re-verified")


class CodeEntry(models.Model):
    """Common shape of a hierarchical code table row."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class District(CodeEntry):
    """GB/T 2260 administrative division. Retired codes stay: old ID numbers carry them."""

    class Status(models.TextChoices):
        CURRENT = "current", _("current")
        RETIRED = "retired", _("retired")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CURRENT)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("the current division that took over a retired one"),
    )
    source = models.CharField(max_length=200, blank=True)
    confidence = models.CharField(max_length=2, choices=Confidence.choices, default=Confidence.OFFICIAL)

    class Meta(CodeEntry.Meta):
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")


class Industry(CodeEntry):
    """GB/T 4754-2017 section (letter) or division (two digits)."""

    class Meta(CodeEntry.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


class Occupation(CodeEntry):
    """2022 occupation classification (职业分类大典) major and middle groups."""

    class Meta(CodeEntry.Meta):
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")


class EducationLevel(models.Model):
    """GB/T 4658 education level."""

    code = models.CharField(max_length=4, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InsuranceType(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)
    mohrss_code = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("insurance type")
        verbose_name_plural = _("insurance types")

    def __str__(self) -> str:
        return self.name


class PolicyParameter(models.Model):
    """A dated policy figure: a rate, base limit, average wage, divisor, deductible...

    Business code reads the value in force on the date it computes for, through
    ``selectors.parameter_value``; it never holds the figure as a literal.
    """

    class Unit(models.TextChoices):
        RATIO = "ratio", _("ratio")
        YUAN_PER_MONTH = "yuan_per_month", _("yuan per month")
        YUAN_PER_YEAR = "yuan_per_year", _("yuan per year")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")
        DAYS = "days", _("days")
        MULTIPLE = "multiple", _("multiple")
        COUNT = "count", _("count")

    name = models.CharField(max_length=100, db_index=True)
    value = models.DecimalField(max_digits=18, decimal_places=6)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text=_("last day in force; empty while in force"))
    region = models.CharField(max_length=6, default="100000", help_text=_("GB/T 2260 code; 100000 = national"))
    source = models.CharField(max_length=300, help_text=_("document number or statute article"))
    confidence = models.CharField(max_length=2, choices=Confidence.choices)
    verified = models.BooleanField(default=False, help_text=_("an official source has been checked"))
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "region", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "region", "valid_from"], name="parameter_unique_start"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="parameter_valid_range",
            ),
        ]
        verbose_name = _("policy parameter")
        verbose_name_plural = _("policy parameters")

    def __str__(self) -> str:
        return f"{self.name}@{self.region} {self.value} [{self.valid_from}..{self.valid_to or ''}]"
