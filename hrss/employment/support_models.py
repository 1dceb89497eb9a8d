"""The bureau's support for people (E1, E2), in their own module (imported by ``models.py``):

- special groups (就业困难人员): a person's category, on what basis and by whom it was
  identified, the support measures given and the follow-up contacts;
- career guidance appointments (职业指导预约): counsellors' slots and citizens' bookings;
- start-up registrations (创业登记) and their guidance follow-ups (创业指导).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel


class SpecialGroupMembership(BaseModel):
    """A person identified as belonging to a special group (``data/special_groups.csv``).
    One active membership per person and category; identifying again answers with it."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("special group", "active")
        ENDED = "ended", pgettext_lazy("special group", "ended")

    class EndReason(models.TextChoices):
        EMPLOYED = "employed", pgettext_lazy("special group end", "found work")
        EXPIRED = "expired", _("no longer meets the conditions")
        OTHER = "other", pgettext_lazy("special group end", "other")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=40)
    # The rule's reasons (codes and figures) or the evidence declared, as recorded.
    basis = models.JSONField(default=list)
    evidence = models.CharField(pgettext_lazy("special group", "evidence"), max_length=200, blank=True)
    evidence_date = models.DateField(_("evidence date"), null=True, blank=True)
    identified_by = models.CharField(max_length=150)
    identified_on = models.DateField(_("identified on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=10, choices=EndReason.choices, blank=True)
    ended_by = models.CharField(max_length=150, blank=True)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)

    class Meta:
        verbose_name = _("special group membership")
        verbose_name_plural = _("special group memberships")
        ordering = ("-identified_on", "-created_at")
        indexes = [models.Index(fields=["status", "next_follow_up"], name="employment_group_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "category"], condition=Q(status="active"), name="employment_one_active_group"
            )
        ]


class SupportMeasure(BaseModel):
    """A support measure given to a member of a special group."""

    class Kind(models.TextChoices):
        JOB_REFERRAL = "job_referral", _("job referral")
        SKILLS_TRAINING = "skills_training", _("skills training")
        PUBLIC_WELFARE_JOB = "public_welfare_job", _("public welfare job placement")
        SOCIAL_INSURANCE_SUBSIDY = "social_insurance_subsidy", _("social insurance subsidy")
        CAREER_GUIDANCE = "career_guidance", _("career guidance")

    membership = models.ForeignKey(SpecialGroupMembership, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("measure"), max_length=30, choices=Kind.choices)
    given_on = models.DateField(_("given on"))
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    given_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("support measure")
        verbose_name_plural = _("support measures")
        ordering = ("-given_on", "-created_at")


class FollowUp(BaseModel):
    """A follow-up contact with a member of a special group (跟踪回访)."""

    class Way(models.TextChoices):
        PHONE = "phone", _("by phone")
        VISIT = "visit", _("home visit")
        IN_PERSON = "in_person", _("in person at the bureau")

    membership = models.ForeignKey(SpecialGroupMembership, on_delete=models.PROTECT, related_name="follow_ups")
    on = models.DateField(_("date"))
    way = models.CharField(_("way"), max_length=10, choices=Way.choices)
    notes = models.CharField(_("notes"), max_length=1000, blank=True)
    next_due = models.DateField(_("next follow-up"), null=True, blank=True)
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ("-on", "-created_at")


class GuidanceSlot(BaseModel):
    """A counsellor's career guidance slot (capacity one)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("guidance slot", "open")
        WITHDRAWN = "withdrawn", pgettext_lazy("guidance slot", "withdrawn")

    counsellor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counsellor_name = models.CharField(_("counsellor"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=45)
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place or meeting link"), max_length=200)
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("career guidance slot")
        verbose_name_plural = _("career guidance slots")
        ordering = ("starts_at",)
        indexes = [models.Index(fields=["status", "starts_at"], name="employment_slot_open")]
        constraints = [
            models.UniqueConstraint(fields=["counsellor", "starts_at"], name="employment_slot_once_per_counsellor")
        ]


class GuidanceBooking(BaseModel):
    """A citizen's booking of a guidance slot. A slot holds one live booking; a citizen one
    upcoming booking (both database constraints)."""

    class Status(models.TextChoices):
        BOOKED = "booked", pgettext_lazy("guidance booking", "booked")
        CANCELLED = "cancelled", pgettext_lazy("guidance booking", "cancelled")
        ATTENDED = "attended", pgettext_lazy("guidance booking", "attended")
        MISSED = "missed", pgettext_lazy("guidance booking", "did not come")

    slot = models.ForeignKey(GuidanceSlot, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("what I would like to talk about"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    outcome = models.CharField(pgettext_lazy("guidance", "outcome"), max_length=1000, blank=True)
    outcome_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("career guidance booking")
        verbose_name_plural = _("career guidance bookings")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=~Q(status="cancelled"), name="employment_slot_booked_once"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="booked"), name="employment_one_booking_per_person"
            ),
        ]


class StartupRegistration(BaseModel):
    """创业登记: a business a person started, registered by them or by staff."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    business_name = models.CharField(_("business name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    started_on = models.DateField(_("business started on"))
    industry = models.ForeignKey("codes.Industry", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    employees = models.PositiveIntegerField(_("employees"), default=0)
    registered_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("start-up registration")
        verbose_name_plural = _("start-up registrations")
        ordering = ("-started_on", "-created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "business_name", "started_on"], name="employment_startup_registered_once"
            )
        ]


class StartupGuidance(BaseModel):
    """A guidance follow-up of a registered start-up (创业指导)."""

    registration = models.ForeignKey(StartupRegistration, on_delete=models.PROTECT, related_name="guidance")
    on = models.DateField(_("date"))
    adviser = models.CharField(_("adviser"), max_length=100)
    topics = models.JSONField(_("topics"), default=list)
    notes = models.CharField(_("notes"), max_length=1000, blank=True)
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("start-up guidance")
        verbose_name_plural = _("start-up guidance")
        ordering = ("-on", "-created_at")
