"""Skill appraisal (T2): approved bodies, sessions, candidates, results and certificates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel
from hrss.training.models.catalogue import Institution, Qualification, Site


class AppraisalApproval(BaseModel):
    """The occupation and levels an appraisal body is approved to appraise (备案)."""

    body = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="approvals")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="+")
    levels = models.JSONField(_("levels"), default=list)
    approved_on = models.DateField(_("approved on"))
    document = models.CharField(_("approval document"), max_length=100)

    class Meta:
        verbose_name = _("appraisal approval")
        verbose_name_plural = _("appraisal approvals")
        constraints = [models.UniqueConstraint(fields=["body", "qualification"], name="training_approval_unique")]


class AppraisalSession(BaseModel):
    """An appraisal sitting (考试批次): occupation, level, site and room, time, proctors."""

    class Status(models.TextChoices):
        OPEN = "open", _("open for registration")
        RESULTS_ENTERED = "entered", _("results entered")
        RESULTS_CHECKED = "checked", _("results checked")
        PUBLISHED = "published", _("results published")

    body = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="appraisal_sessions")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    proctors = models.JSONField(_("proctors"), default=list)  # the proctors' names or staff numbers
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    entered_by = models.CharField(max_length=150, blank=True)
    checked_by = models.CharField(max_length=150, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal session")
        verbose_name_plural = _("appraisal sessions")
        ordering = ("-starts_at",)


class Candidate(BaseModel):
    """A person registered for an appraisal session, with their eligibility and result."""

    class Result(models.TextChoices):
        PENDING = "pending", _("pending")
        PASSED = "passed", _("passed")
        FAILED = "failed", pgettext_lazy("appraisal", "failed")
        ABSENT = "absent", _("absent")

    session = models.ForeignKey(AppraisalSession, on_delete=models.PROTECT, related_name="candidates")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    eligibility = models.JSONField(_("eligibility"), default=dict)  # the facts the check used
    signed_in_at = models.DateTimeField(null=True, blank=True)
    face_check = models.CharField(max_length=100, blank=True)  # the biometric check's id
    theory_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    practical_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, default=Result.PENDING)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ("created_at",)
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="training_candidate_unique")]


class ProctorRecord(BaseModel):
    """A proctor's log line, incident or photo (kept by its SHA-256) of a session."""

    class Kind(models.TextChoices):
        LOG = "log", _("log")
        INCIDENT = "incident", _("incident")
        PHOTO = "photo", _("photo")

    session = models.ForeignKey(AppraisalSession, on_delete=models.PROTECT, related_name="proctor_records")
    kind = models.CharField(_("record kind"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=1000, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("proctor record")
        verbose_name_plural = _("proctor records")
        ordering = ("created_at",)


class Certificate(BaseModel):
    """A vocational skill level certificate, numbered and signed by the bureau's key."""

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        REVOKED = "revoked", _("revoked")

    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="certificate")
    body = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"))
    signature = models.CharField(max_length=100)  # base64 Ed25519 over ``rules.certificate_message``
    key_id = models.CharField(max_length=16)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.VALID)
    revoked_on = models.DateField(null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ("-issued_on", "number")


class ConsentCode(BaseModel):
    """A code a holder gives someone so that the verification shows their name unmasked."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="consents")
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = pgettext_lazy("certificate", "consent code")
        verbose_name_plural = pgettext_lazy("certificate", "consent codes")
