"""Training subsidies (T1): claims computed from attendance and certification, their lines,
and the payment files that pay each line once."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrss.core.crypto import EncryptedTextField
from hrss.core.models import BaseModel
from hrss.training.models.catalogue import Institution, Qualification
from hrss.training.models.courses import Course


class SubsidyClaim(BaseModel):
    """An institution's claim for one course, reviewed through the hall (SH-PX-001)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="claims")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="claims")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    hall_reference = models.CharField(_("application reference"), max_length=20, blank=True)
    amount_fen = models.BigIntegerField(default=0)
    decided_by = models.CharField(max_length=150, blank=True)
    submitted_by = models.CharField(max_length=150)
    # A client's retry of the same claim answers with the first one.
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("subsidy claim")
        verbose_name_plural = _("subsidy claims")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["institution", "idempotency_key"], name="training_claim_idempotent")
        ]

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_fen) / 100


class SubsidyPaymentFile(BaseModel):
    """One payment run's file, in the insurance payment-file conventions (UTF-8 CSV, yuan
    with two decimals, a reference per row), kept with its SHA-256."""

    filename = models.CharField(max_length=100)
    content = EncryptedTextField()  # ID numbers of trainees paid in person: personal data at rest
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    total_fen = models.BigIntegerField(default=0)
    created_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("subsidy payment file")
        verbose_name_plural = _("subsidy payment files")
        ordering = ("-created_at",)

    @property
    def total(self) -> Decimal:
        return Decimal(self.total_fen) / 100


class SubsidyLine(BaseModel):
    """One person's subsidy of a claim: each person, course and level at most once."""

    class Payee(models.TextChoices):
        PERSON = "person", _("the trainee")
        INSTITUTION = "institution", _("the institution")

    claim = models.ForeignKey(SubsidyClaim, on_delete=models.PROTECT, related_name="lines")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=20)
    shortage = models.BooleanField(default=False)
    amount_fen = models.BigIntegerField()
    payee = models.CharField(max_length=12, choices=Payee.choices)
    certificate_number = models.CharField(max_length=32)
    payment_file = models.ForeignKey(
        SubsidyPaymentFile, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("subsidy line")
        verbose_name_plural = _("subsidy lines")
        constraints = [
            models.UniqueConstraint(fields=["person", "course", "level"], name="training_subsidy_once"),
            models.UniqueConstraint(
                fields=["person", "qualification", "level", "year"], name="training_subsidy_once_a_year"
            ),
        ]
