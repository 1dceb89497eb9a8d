"""Employment services (E1, E4): who is registered as unemployed, what they look for, and
the vacancies employers post."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel


class UnemploymentRegistration(BaseModel):
    """失业登记: a person registered as unemployed, from the hall's item SH-JY-001."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered as unemployed")
        ENDED = "ended", _("registration ended")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    unemployed_since = models.DateField(_("unemployed since"))
    registered_on = models.DateField(_("registered on"))
    last_employer = models.CharField(_("last employer"), max_length=200, blank=True)
    wants_training = models.BooleanField(_("would like vocational training"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # The hall application it came from: the retry key of the service task.
    hall_reference = models.CharField(_("application reference"), max_length=20, unique=True)
    registered_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("unemployment registration")
        verbose_name_plural = _("unemployment registrations")
        ordering = ("-registered_on", "-created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="registered"),
                name="employment_one_open_registration",
            )
        ]


class JobSeekerProfile(BaseModel):
    """A job seeker's intentions and what they bring; opened by unemployment registration
    or by the person themself. ``visible_to_employers`` is the seeker's own choice."""

    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="+")
    occupations = models.JSONField(_("occupations wanted"), default=list, blank=True)  # codes.Occupation codes
    districts = models.JSONField(_("districts wanted"), default=list, blank=True)  # codes.District codes
    wage_min = models.DecimalField(_("lowest monthly wage wanted"), max_digits=10, decimal_places=2, null=True)
    education = models.ForeignKey(
        "codes.EducationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    skills = models.JSONField(_("skills and certificates"), default=list, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    visible_to_employers = models.BooleanField(_("employers may see my profile"), default=False)

    class Meta:
        verbose_name = _("job-seeker profile")
        verbose_name_plural = _("job-seeker profiles")


class Vacancy(BaseModel):
    """A vacancy an employer posts (招聘岗位)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("vacancy", "open")
        CLOSED = "closed", pgettext_lazy("vacancy", "closed")

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=4000)
    occupation = models.ForeignKey("codes.Occupation", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    wage_min = models.DecimalField(_("lowest monthly wage"), max_digits=10, decimal_places=2)
    wage_max = models.DecimalField(_("highest monthly wage"), max_digits=10, decimal_places=2)
    education = models.ForeignKey(
        "codes.EducationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    skills = models.JSONField(_("skills wanted"), default=list, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    posted_by = models.CharField(max_length=150)
    # A client's retry of the same post answers with the first vacancy.
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["status", "valid_until"], name="employment_vacancy_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="employment_vacancy_idempotent",
            )
        ]
