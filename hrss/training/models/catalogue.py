"""Published reference data of vocational training (T1): policies, the qualification and
skill-level catalogue, the shortage-occupation list, and the institutions with their sites.

Every row of the first three is dated and names its source (``data/*.csv``, loaded by the
migration ``0002_reference_data``); an institution is a registered employer (``registry``)
with its licence, scope, capacity and computed rating.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel


class TrainingPolicy(BaseModel):
    """A training policy document in force (培训政策), as published."""

    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(pgettext_lazy("policy", "title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000)
    issued_by = models.CharField(_("issued by"), max_length=100)
    source = models.CharField(_("source"), max_length=300, help_text=_("document number"))
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("training policy")
        verbose_name_plural = _("training policies")
        ordering = ("-valid_from", "code")


class Qualification(BaseModel):
    """An occupation of the 国家职业资格目录 or of the 职业技能等级 catalogue, with its levels,
    linked to the 2022 occupation classification (its middle category in ``codes``)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("access qualification (准入类)")
        LEVEL = "level", _("skill level (水平评价类)")

    code = models.CharField(_("occupation code"), max_length=20, unique=True)  # e.g. 6-31-01-03
    name = models.CharField(_("name"), max_length=100)
    occupation = models.ForeignKey("codes.Occupation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("qualification kind"), max_length=8, choices=Kind.choices)
    levels = models.JSONField(_("levels"), default=list)  # 1 (高级技师) .. 5 (初级工)
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ShortageOccupation(BaseModel):
    """An entry of the shortage-occupation list (紧缺职业目录) of one edition."""

    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="shortages")
    edition = models.CharField(_("edition"), max_length=20)
    rank = models.PositiveSmallIntegerField(_("rank"))
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("shortage occupation")
        verbose_name_plural = _("shortage occupations")
        ordering = ("edition", "rank")
        constraints = [
            models.UniqueConstraint(fields=["qualification", "edition"], name="training_shortage_unique"),
        ]


class Institution(BaseModel):
    """A training institution or skill-appraisal body: a registered employer with a licence."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("training institution")
        APPRAISAL = "appraisal", _("skill appraisal body")

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("institution kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    licence_number = models.CharField(_("licence number"), max_length=60)
    licence_valid_until = models.DateField(_("licence valid until"))
    scope = models.ManyToManyField(Qualification, related_name="+", verbose_name=_("scope"))
    capacity = models.PositiveIntegerField(_("trainees at a time"))
    rating = models.DecimalField(_("rating"), max_digits=5, decimal_places=2, null=True, blank=True)
    rating_detail = models.JSONField(default=dict, blank=True)
    rated_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ("name",)
        constraints = [models.UniqueConstraint(fields=["employer", "kind"], name="training_institution_unique")]

    def __str__(self) -> str:
        return self.name


class Site(BaseModel):
    """A place where an institution trains or examines: one room with its capacity."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("name"), max_length=100)
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200)
    room = models.CharField(_("room"), max_length=40)
    capacity = models.PositiveIntegerField(_("seats"))

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ("name", "room")

    def __str__(self) -> str:
        return f"{self.name} {self.room}"
