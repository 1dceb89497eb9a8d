"""Courses, real-name enrolment, session attendance and the cases consistency checks raise (T1)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel
from hrss.training.models.catalogue import Institution, Qualification, Site


class Course(BaseModel):
    """A course an institution publishes (online or at one of its sites)."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("online")
        SITE = "site", _("at a site")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        CLOSED = "closed", pgettext_lazy("course", "closed")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(pgettext_lazy("course", "title"), max_length=100)
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hours = models.PositiveIntegerField(_("hours"))
    capacity = models.PositiveIntegerField(_("places"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    subsidy_eligible = models.BooleanField(_("eligible for training subsidy"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    published_by = models.CharField(max_length=150)
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ("starts_on", "title")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="training_course_idempotent",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CourseSession(BaseModel):
    """One lesson of a course: when and where attendance is signed in."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ("starts_at",)


class Enrolment(BaseModel):
    """A person's real-name enrolment in a course."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        COMPLETED = "completed", _("completed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    progress_percent = models.PositiveSmallIntegerField(_("online progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    survey_score = models.PositiveSmallIntegerField(_("survey score"), null=True, blank=True)
    survey_comment = models.CharField(_("survey comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("training", "enrolment")
        verbose_name_plural = pgettext_lazy("training", "enrolments")
        ordering = ("-created_at",)
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="training_enrolment_unique")]


class Attendance(BaseModel):
    """One signed-in attendance of a session, with how the person was identified."""

    class Method(models.TextChoices):
        CARD = "card", _("social security card")
        ECARD = "ecard", _("electronic card code")
        FACE = "face", _("face check")

    session = models.ForeignKey(CourseSession, on_delete=models.PROTECT, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("sign-in method"), max_length=6, choices=Method.choices)
    signed_at = models.DateTimeField(_("signed in at"))
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence = models.CharField(_("evidence"), max_length=100, blank=True)  # the biometric check's id
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ("signed_at",)
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="training_attendance_once")]
        indexes = [models.Index(fields=["person", "signed_at"], name="training_attendance_person")]


class ConsistencyCase(BaseModel):
    """An anomaly a consistency check found, opened for staff to look into (T1, T2)."""

    class Kind(models.TextChoices):
        DOUBLE_SIGN_IN = "double_sign_in", _("signed in at two sites at once")
        OUTSIDE_SESSION = "outside_session", _("attendance outside the session's time")
        OVER_CAPACITY = "over_capacity", _("class over its room's capacity")
        PASS_RATE = "pass_rate", _("pass rate far above the body's history")
        PROCTOR_OVERLAP = "proctor_overlap", _("the same proctor on overlapping sessions")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("case", "open")
        CLOSED = "closed", pgettext_lazy("case", "closed")

    kind = models.CharField(_("case kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    # One case per anomaly: the check's key (kind and the records involved) makes a rerun idempotent.
    key = models.CharField(max_length=200, unique=True)
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    detail = models.JSONField(default=dict)
    closed_by = models.CharField(max_length=150, blank=True)
    closing_note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("consistency case")
        verbose_name_plural = _("consistency cases")
        ordering = ("-created_at",)
