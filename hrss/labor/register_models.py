"""The rights-protection register (L2, issue #20): petitions (信访), social-insurance fraud
cases (社保欺诈案件), the units that hold register items, transfers between them with their
receipts (转办/交办, 签收), and each item's history.

Complaints (``Complaint``) and arbitration cases (``ArbitrationCase``) stay in ``models.py``;
the register reads every kind at once through ``hrss.labor.register`` (one ``RegisterEntry``
per item, assembled at read time, one query per kind). Imported by ``models.py``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy

from hrss.core.crypto import EncryptedTextField
from hrss.core.models import BaseModel


class UnitKind(models.TextChoices):
    INSPECTION = "inspection", pgettext_lazy("labor register", "labour inspection")
    ARBITRATION = "arbitration", pgettext_lazy("labor register", "labour dispute arbitration")
    FUND_SUPERVISION = "fund_supervision", pgettext_lazy("labor register", "social insurance fund supervision")
    PETITION_OFFICE = "petition_office", pgettext_lazy("labor register", "petition office")


class Unit(BaseModel):
    """A unit that holds and handles register items (a district bureau's labour inspection
    team, the arbitration commission, the fund supervision unit...): data, kept in the back
    office. A unit without a district is city-wide."""

    code = models.SlugField(pgettext_lazy("labor register", "code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("labor register", "name"), max_length=200)
    kind = models.CharField(pgettext_lazy("labor register", "unit kind"), max_length=20, choices=UnitKind.choices)
    district = models.ForeignKey(
        "codes.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("labor register", "district"),
    )
    active = models.BooleanField(pgettext_lazy("labor register", "taking transfers"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("labor register", "register unit")
        verbose_name_plural = pgettext_lazy("labor register", "register units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PetitionChannel(models.TextChoices):
    LETTER = "letter", pgettext_lazy("labor register", "letter")
    VISIT = "visit", pgettext_lazy("labor register", "visit")
    ONLINE = "online", pgettext_lazy("labor register", "online")
    HOTLINE = "12333", pgettext_lazy("labor register", "12333 hotline")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("labor register", "received")
    ACCEPTED = "accepted", pgettext_lazy("labor register", "accepted")
    NOT_ACCEPTED = "not_accepted", pgettext_lazy("labor register", "not accepted")
    ANSWERED = "answered", pgettext_lazy("labor register", "answered")
    CLOSED = "closed", pgettext_lazy("labor register", "closed")
    MERGED = "merged", pgettext_lazy("labor register", "merged into another")


class Petition(BaseModel):
    """A petition (信访事项) by letter, visit, online or 12333. The petitioner is a registry
    person, or a name and phone (encrypted) for someone not in the registry. ``acceptance_due``
    and ``answer_due`` are the periods of the dated ``petition.*`` parameters; ``due_on`` is the
    deadline of the step it waits for."""

    reference = models.CharField(pgettext_lazy("labor register", "reference"), max_length=24, unique=True)
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="labour_petitions"
    )
    petitioner_name = EncryptedTextField(pgettext_lazy("labor register", "petitioner's name"), blank=True, default="")
    petitioner_phone = EncryptedTextField(pgettext_lazy("labor register", "petitioner's phone"), blank=True, default="")
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="labour_petitions"
    )
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(
        pgettext_lazy("labor register", "channel"), max_length=10, choices=PetitionChannel.choices
    )
    subject = models.CharField(pgettext_lazy("labor register", "subject"), max_length=200)
    content = models.TextField(pgettext_lazy("labor register", "content"), blank=True)
    received_on = models.DateField(pgettext_lazy("labor register", "received on"))
    acceptance_due = models.DateField(pgettext_lazy("labor register", "acceptance decision due"))
    accepted_on = models.DateField(pgettext_lazy("labor register", "accepted on"), null=True, blank=True)
    answer_due = models.DateField(pgettext_lazy("labor register", "answer due"), null=True, blank=True)
    extended = models.BooleanField(pgettext_lazy("labor register", "answer period extended"), default=False)
    answered_on = models.DateField(pgettext_lazy("labor register", "answered on"), null=True, blank=True)
    answer = models.TextField(pgettext_lazy("labor register", "answer"), blank=True)
    closed_on = models.DateField(pgettext_lazy("labor register", "closed on"), null=True, blank=True)
    status = models.CharField(
        pgettext_lazy("labor register", "status"), max_length=14, choices=PetitionStatus.choices, default="received"
    )
    due_on = models.DateField(pgettext_lazy("labor register", "current deadline"), null=True, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="petitions")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    recorded_by = models.CharField(max_length=150)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = pgettext_lazy("labor register", "petition")
        verbose_name_plural = pgettext_lazy("labor register", "petitions")
        ordering = ["-received_on", "reference"]
        indexes = [
            models.Index(fields=["person", "received_on"]),
            models.Index(fields=["employer", "received_on"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recorded_by", "idempotency_key"], name="labor_petition_idempotent"),
        ]

    def __str__(self) -> str:
        return self.reference


class FraudKind(models.TextChoices):
    IMPERSONATION = "impersonation", pgettext_lazy("labor register", "benefits drawn in another's name (冒领)")
    FALSE_ENROLMENT = "false_enrolment", pgettext_lazy("labor register", "false enrolment (虚假参保)")
    BENEFIT_FRAUD = "benefit_fraud", pgettext_lazy("labor register", "benefits obtained by deception (骗取待遇)")
    OTHER = "other", pgettext_lazy("labor register", "other")


class FraudSource(models.TextChoices):
    INSPECTION = "inspection", pgettext_lazy("labor register", "inspection")
    CROSS_CHECK = "cross_check", pgettext_lazy("labor register", "data cross-check")
    REPORT = "report", pgettext_lazy("labor register", "report")


class FraudStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("labor register", "under investigation")
    CONFIRMED = "confirmed", pgettext_lazy("labor register", "confirmed")
    DISMISSED = "dismissed", pgettext_lazy("labor register", "dismissed")
    CLOSED = "closed", pgettext_lazy("labor register", "closed")
    MERGED = "merged", pgettext_lazy("labor register", "merged into another")


class FraudCase(BaseModel):
    """A social insurance fraud case (社保欺诈案件) about a person and/or an employer, with the
    amount involved and how it was found; ``recovery_case`` is the insurance app's recovery
    case (``InsuranceConfig.recovery_cases``) when one exists — an id, never a foreign key."""

    reference = models.CharField(pgettext_lazy("labor register", "reference"), max_length=24, unique=True)
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="fraud_cases"
    )
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="fraud_cases"
    )
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(pgettext_lazy("labor register", "kind of fraud"), max_length=20, choices=FraudKind.choices)
    found_by = models.CharField(pgettext_lazy("labor register", "found by"), max_length=12, choices=FraudSource.choices)
    amount = models.DecimalField(pgettext_lazy("labor register", "amount involved"), max_digits=14, decimal_places=2)
    description = models.TextField(pgettext_lazy("labor register", "description"))
    opened_on = models.DateField(pgettext_lazy("labor register", "opened on"))
    # the investigation's statutory end (inspection.investigation_workdays); none once decided
    due_on = models.DateField(pgettext_lazy("labor register", "investigate by"), null=True, blank=True)
    status = models.CharField(
        pgettext_lazy("labor register", "status"), max_length=10, choices=FraudStatus.choices, default="open"
    )
    recovery_case = models.UUIDField(pgettext_lazy("labor register", "recovery case"), null=True, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="fraud_cases")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    recorded_by = models.CharField(max_length=150)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = pgettext_lazy("labor register", "fraud case")
        verbose_name_plural = pgettext_lazy("labor register", "fraud cases")
        ordering = ["-opened_on", "reference"]
        indexes = [models.Index(fields=["person", "opened_on"]), models.Index(fields=["employer", "opened_on"])]
        constraints = [
            models.UniqueConstraint(fields=["recorded_by", "idempotency_key"], name="labor_fraud_idempotent"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="labor_fraud_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.reference


class Transfer(models.Model):
    """A register item sent from one unit to another (转办/交办) with a reason, and the
    receiving unit's receipt (签收: who and when). Unacknowledged past ``receipt_due`` it is
    overdue (the dated ``register.transfer_receipt_workdays``)."""

    id = models.BigAutoField(primary_key=True)
    item_kind = models.CharField(max_length=12)
    item_reference = models.CharField(max_length=24)
    from_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="transfers_in")
    reason = models.TextField(pgettext_lazy("labor register", "reason"))
    sent_by = models.CharField(max_length=150)
    sent_on = models.DateField(pgettext_lazy("labor register", "sent on"))
    receipt_due = models.DateField(pgettext_lazy("labor register", "receipt due"))
    received_by = models.CharField(pgettext_lazy("labor register", "received by"), max_length=150, blank=True)
    received_at = models.DateTimeField(pgettext_lazy("labor register", "received at"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = pgettext_lazy("labor register", "transfer")
        verbose_name_plural = pgettext_lazy("labor register", "transfers")
        ordering = ["sent_on", "id"]
        indexes = [
            models.Index(fields=["item_kind", "item_reference"]),
            models.Index(fields=["to_unit", "received_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["sent_by", "idempotency_key"], name="labor_transfer_idempotent"),
        ]

    def __str__(self) -> str:
        return f"{self.item_kind} {self.item_reference} -> {self.to_unit_id}"


class RegisterEvent(models.Model):
    """One step of a register item's history (filed, accepted, transferred, received, merged...)."""

    id = models.BigAutoField(primary_key=True)
    item_kind = models.CharField(max_length=12)
    item_reference = models.CharField(max_length=24)
    action = models.CharField(max_length=30)
    actor = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = pgettext_lazy("labor register", "register event")
        verbose_name_plural = pgettext_lazy("labor register", "register events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["item_kind", "item_reference"])]

    def __str__(self) -> str:
        return f"{self.item_kind} {self.item_reference} {self.action}"
