"""The personal pension account's entries and transfers between pooling regions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrss.core.models import BaseModel
from hrss.insurance.models.contributions import ContributionLine


class AccountEntry(models.Model):
    """One entry of a person's personal pension account (个人账户), append-only."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("contribution")
        INTEREST = "interest", _("interest")
        TRANSFER_IN = "transfer_in", _("transferred in")
        TRANSFER_OUT = "transfer_out", _("transferred out")

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(max_length=14, choices=Kind.choices)
    posted_on = models.DateField(help_text=_("the month of a contribution, 31 December for interest"))
    year = models.PositiveSmallIntegerField()
    amount_fen = models.BigIntegerField()
    months = models.IntegerField(default=0, help_text=_("contribution months moved by a transfer"))
    # a line of the ContributionLine view: no database-level key
    line = models.OneToOneField(
        ContributionLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account_entry",
        db_constraint=False,
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("account entry")
        verbose_name_plural = _("account entries")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"], condition=Q(kind="interest"), name="account_one_interest_per_year"
            )
        ]
        indexes = [models.Index(fields=["person", "posted_on"], name="account_person_posted")]

    def __str__(self) -> str:
        return f"{self.posted_on} {self.kind} {self.amount_fen}"


class Transfer(BaseModel):
    """转移接续: insurance relation moved between cities (the domain record; the service
    item around it belongs to the service hall)."""

    class Direction(models.TextChoices):
        IN = "in", _("into the city")
        OUT = "out", _("out of the city")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    other_region = models.CharField(max_length=6, help_text=_("GB/T 2260 code of the other city or province"))
    contribution_months = models.PositiveIntegerField()
    account_fen = models.BigIntegerField()
    pooled_fund_fen = models.BigIntegerField(default=0, help_text=_("pooled-fund amount moved with the relation"))
    effective_on = models.DateField()
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("insurance transfer")
        verbose_name_plural = _("insurance transfers")
