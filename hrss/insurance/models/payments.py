"""Money in: bank payment files, the payments matched from them, and online payments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrss.core.models import BaseModel


class PaymentFile(BaseModel):
    """One bank or tax file of contribution payments, with its matching report."""

    class Source(models.TextChoices):
        BANK = "bank", _("bank")
        TAX = "tax", _("tax bureau")
        ONLINE = "online", _("online payment")

    source = models.CharField(max_length=10, choices=Source.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_matched = models.PositiveIntegerField(default=0)
    rows_different = models.PositiveIntegerField(default=0)
    rows_unmatched = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    posted_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")


class Payment(models.Model):
    """One payment received for a payer (employer, or a flexible worker) and month."""

    class Outcome(models.TextChoices):
        MATCHED = "matched", _("matched")
        UNDERPAID = "underpaid", _("underpaid")
        OVERPAID = "overpaid", _("overpaid")
        NOTHING_DUE = "nothing_due", _("nothing assessed for this payer and month")

    id = models.BigAutoField(primary_key=True)
    file = models.ForeignKey(PaymentFile, on_delete=models.PROTECT, related_name="payments")
    row_number = models.PositiveIntegerField()
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    period = models.DateField()
    amount_fen = models.BigIntegerField()
    paid_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    due_fen = models.BigIntegerField(help_text=_("still due for this payer and month before this payment"))
    difference_fen = models.BigIntegerField(help_text=_("amount minus what was due"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["file", "row_number"], name="payment_unique_row"),
            models.CheckConstraint(
                condition=Q(employer__isnull=False, person__isnull=True)
                | Q(employer__isnull=True, person__isnull=False),
                name="payment_one_payer",
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "period"], name="payment_employer_period"),
            models.Index(fields=["person", "period"], name="payment_person_period"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.amount_fen} {self.outcome}"


class OnlinePayment(BaseModel):
    """A flexible worker's online payment (线上缴费) of assessed months through a payment
    provider (S1, S2). The amount is what was due when the payment started; the provider's
    authenticated callback settles it once into ``Payment`` rows of an ``online`` file.

    ``months`` ("2025-03,2025-04", ascending) is the idempotency key: while an order for the
    same months is open (created or pending), starting again returns it.
    """

    class Status(models.TextChoices):
        CREATED = "created", _("created")
        PENDING = "pending", _("waiting for the payer")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired")

    OPEN = (Status.CREATED, Status.PENDING)

    reference = models.CharField(max_length=32, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    months = models.CharField(max_length=400, help_text=_("the months paid for, YYYY-MM, comma-separated"))
    lines = models.JSONField(default=list, help_text=_("[{period, amount_fen}] as due when the payment started"))
    amount_fen = models.BigIntegerField()
    gateway = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CREATED)
    gateway_reference = models.CharField(max_length=80, blank=True)
    redirect_url = models.CharField(max_length=500, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_file = models.OneToOneField(
        PaymentFile, null=True, blank=True, on_delete=models.PROTECT, related_name="online_payment"
    )
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("online contribution payment")
        verbose_name_plural = _("online contribution payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="online_payment_amount_positive"),
            models.UniqueConstraint(
                fields=["person", "months"],
                condition=Q(status__in=["created", "pending"]),
                name="online_payment_one_open_per_months",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"], name="online_payment_person_status")]

    def __str__(self) -> str:
        return f"{self.reference} {self.months} {self.status}"
