"""The credit system (人社信用体系, A7): credit events about persons and employers, each from
the app that owns the underlying record, and objections to them.

A subject's rating is computed from its events in force (``rules.rate``); the points and
validity of an event are fixed when it is recorded, from the scoring parameters in force on
the day it occurred (``codes`` ``credit.*``), so a rating can always be explained by its events.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrss.core.models import BaseModel


class Direction(models.TextChoices):
    NEGATIVE = "negative", _("negative")
    POSITIVE = "positive", _("positive")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("person")
    EMPLOYER = "employer", _("employer")


class EventKind(models.Model):
    """A kind of credit event (e.g. 欠缴社会保险费), its legal basis and whom it concerns.
    Its points and months of validity are dated policy parameters (``credit.points.<code>``,
    ``credit.months.<code>``)."""

    code = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(_("name"), max_length=100)
    subject_kind = models.CharField(_("subject"), max_length=10, choices=SubjectKind.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    severe = models.BooleanField(_("severe (black list)"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("credit event kind")
        verbose_name_plural = _("credit event kinds")

    def __str__(self) -> str:
        return self.name


class CreditEvent(BaseModel):
    """One credit event of one subject. ``source``/``source_ref`` name the record it comes from
    in the owning app; a source reports the same record again without creating a second event.
    A corrected event (an upheld objection) stays, with ``corrected_at`` and the reason, and
    no longer counts."""

    kind = models.ForeignKey(EventKind, on_delete=models.PROTECT, related_name="events")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_events"
    )
    employer = models.ForeignKey(
        "registry.Employer", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_events"
    )
    source = models.CharField(_("source app"), max_length=40)
    source_ref = models.CharField(_("source record"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300)
    occurred_on = models.DateField(_("occurred on"))
    expires_on = models.DateField(_("counts until"))
    points = models.SmallIntegerField(_("points"))
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    correction = models.CharField(_("correction"), max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_on", "source_ref"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_ref"], name="credit_event_once_per_record"),
            models.CheckConstraint(
                condition=Q(person__isnull=False, employer__isnull=True)
                | Q(person__isnull=True, employer__isnull=False),
                name="credit_event_one_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "expires_on"], name="credit_event_employer"),
            models.Index(fields=["person", "expires_on"], name="credit_event_person"),
        ]
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")


class Rating(models.Model):
    """The published rating of a subject, recomputed when its events change and nightly (as
    events expire); the lists read it. The hall's gateways compute it live (``selectors``)."""

    id = models.BigAutoField(primary_key=True)
    person = models.OneToOneField(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_rating"
    )
    employer = models.OneToOneField(
        "registry.Employer", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_rating"
    )
    score = models.IntegerField(_("score"))
    grade = models.CharField(_("class"), max_length=1)
    severe = models.BooleanField(_("severe event in force"), default=False)
    positive = models.BooleanField(_("positive event in force"), default=False)
    rated_on = models.DateField(_("rated on"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, employer__isnull=True)
                | Q(person__isnull=True, employer__isnull=False),
                name="credit_rating_one_subject",
            )
        ]
        verbose_name = _("credit rating")
        verbose_name_plural = _("credit ratings")

    def __str__(self) -> str:
        return f"{self.grade} ({self.score})"


class Objection(BaseModel):
    """A subject's objection to one event (信用信息异议), reviewed through the service hall
    (SH-XY-001). Upheld, the event is corrected and the rating recomputed."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("under review")
        UPHELD = "upheld", _("upheld, event corrected")
        REJECTED = "rejected", _("rejected")

    event = models.ForeignKey(CreditEvent, on_delete=models.PROTECT, related_name="objections")
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.CharField(_("submitted by"), max_length=150)
    idempotency_key = models.CharField(max_length=64)
    hall_reference = models.CharField(_("application"), max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "idempotency_key"], name="credit_objection_once"),
        ]
        verbose_name = _("credit objection")
        verbose_name_plural = _("credit objections")
