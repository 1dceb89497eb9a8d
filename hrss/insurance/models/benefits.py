"""Benefits: awards, their monthly payments and overpayment recovery cases."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hrss.core.models import BaseModel


class BenefitKind(models.TextChoices):
    PENSION = "pension", _("basic pension")
    UNEMPLOYMENT = "unemployment", _("unemployment benefit")


class BenefitAward(BaseModel):
    """A decided monthly benefit (pension or unemployment) with its calculation."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        STOPPED = "stopped", _("stopped")
        ENDED = "ended", _("ended")

    class StopReason(models.TextChoices):
        REEMPLOYED = "reemployed", _("re-employed")
        DECEASED = "deceased", _("deceased")
        EXHAUSTED = "exhausted", _("entitlement used up")
        OTHER = "other", _("other")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=14, choices=BenefitKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    start_month = models.DateField()
    end_month = models.DateField(null=True, blank=True, help_text=_("last month paid; empty for a pension"))
    monthly_fen = models.BigIntegerField()
    entitled_months = models.PositiveIntegerField(null=True, blank=True)
    calculation = models.JSONField(default=dict, help_text=_("inputs and parts of the calculation"))
    stop_reason = models.CharField(max_length=12, choices=StopReason.choices, blank=True)
    stopped_month = models.DateField(null=True, blank=True, help_text=_("first month no longer paid"))
    decided_by = models.CharField(max_length=150)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("benefit award")
        verbose_name_plural = _("benefit awards")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status__in=["active", "suspended"]),
                name="award_one_current_per_kind",
            )
        ]
        indexes = [models.Index(fields=["kind", "status"])]


class BenefitPayment(models.Model):
    """One monthly benefit payment (or its reversal), append-only."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("payment")
        REVERSAL = "reversal", _("reversal")

    id = models.BigAutoField(primary_key=True)
    award = models.ForeignKey(BenefitAward, on_delete=models.PROTECT, related_name="payments", db_index=False)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", db_index=False)
    benefit = models.CharField(max_length=14, choices=BenefitKind.choices)
    period = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    amount_fen = models.BigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("benefit payment")
        verbose_name_plural = _("benefit payments")
        constraints = [models.UniqueConstraint(fields=["award", "period", "kind"], name="benefit_payment_unique")]
        indexes = [models.Index(fields=["person", "period"], name="benefit_person_period")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.benefit} {self.kind} {self.amount_fen}"


class RecoveryCase(BaseModel):
    """Overpaid benefit to recover (待遇资格 cross-check), with the evidence staff review; also
    an overpayment of the medical fund another app found and opened here through
    ``hrss.insurance.recovery`` (``InsuranceConfig.recovery_cases``): then there is no award,
    the debtor is named (a designated institution), the district scopes it, and ``reference``
    is the opening app's own (one case per reference)."""

    class Reason(models.TextChoices):
        DECEASED = "deceased", _("paid after death")
        REEMPLOYED = "reemployed", _("unemployment benefit while contributing through an employer")
        MEDICAL = "medical", _("medical insurance fund paid without entitlement (智能监控)")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RECOVERED = "recovered", _("recovered")
        WAIVED = "waived", _("waived")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    award = models.ForeignKey(
        BenefitAward, on_delete=models.PROTECT, related_name="recovery_cases", null=True, blank=True
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    debtor = models.CharField(_("debtor"), max_length=200, blank=True, help_text=_("who owes it, when not the person"))
    district = models.CharField(_("district"), max_length=6, blank=True)
    reference = models.CharField(_("reference of the opening app"), max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    overpaid_fen = models.BigIntegerField()
    first_period = models.DateField(help_text=_("first month paid without entitlement"))
    evidence = models.JSONField(default=dict)
    opened_by = models.CharField(max_length=150)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recovery case")
        verbose_name_plural = _("recovery cases")
        constraints = [
            models.UniqueConstraint(fields=["award", "reason"], condition=Q(status="open"), name="recovery_one_open"),
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""), name="recovery_reference_once"),
        ]
