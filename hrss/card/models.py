"""Tables of the social security card (A5): cards and their history, production batches,
the card application catalogue, usage trails, payment orders and reconciliation runs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrss.card.rules import IN_USE, PENDING, Action, ApplicationKind, CardStatus
from hrss.core.crypto import EncryptedTextField
from hrss.core.models import BaseModel


class Channel(models.TextChoices):
    """Where a card request came in (A1's six channels plus the partner bank)."""

    COUNTER = "counter", _("service counter")
    WEB = "web", _("web service hall")
    APP = "app", _("mobile app")
    WECHAT = "wechat", _("WeChat")
    KIOSK = "kiosk", _("self-service kiosk")
    HOTLINE = "hotline", _("12333 hotline")
    BANK = "bank", _("partner bank")
    SYSTEM = "system", _("system")


STATUS_LABELS = {
    CardStatus.APPLIED: _("applied"),
    CardStatus.IN_PRODUCTION: _("in production"),
    CardStatus.MADE: _("made, waiting to be issued"),
    CardStatus.ISSUED: _("issued, not yet activated"),
    CardStatus.ACTIVE: _("active"),
    CardStatus.TEMPORARILY_LOST: _("temporarily reported lost"),
    CardStatus.LOST: _("reported lost"),
    CardStatus.CANCELLED: _("cancelled"),
}
# The lifecycle's actions as a sentence ends them: "a card that is <status> cannot <action>".
ACTION_LABELS = {
    Action.SEND_TO_PRODUCTION: _("send to production"),
    Action.PRODUCTION_FAILED: _("production failed"),
    Action.PRODUCTION_SUCCEEDED: _("production succeeded"),
    Action.ISSUE: _("issue"),
    Action.ACTIVATE: _("activate"),
    Action.REPORT_TEMPORARY_LOSS: _("report temporary loss"),
    Action.TEMPORARY_LOSS_LAPSE: _("temporary loss lapse"),
    Action.REPORT_LOSS: _("report loss"),
    Action.UNFREEZE: _("unfreeze"),
    Action.CANCEL: _("cancel"),
}
STATUS_CHOICES = [(status.value, STATUS_LABELS[status]) for status in CardStatus]
KIND_CHOICES = [
    (ApplicationKind.FIRST.value, _("first card")),
    (ApplicationKind.REPLACEMENT.value, _("replacement after loss")),
    (ApplicationKind.RENEWAL.value, _("renewal")),
]


class Card(BaseModel):
    """One physical card (and its electronic form). The person keeps their ID number for
    life; the card number identifies this card only and changes on replacement."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="cards")
    number = models.CharField(_("card number"), max_length=9, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=CardStatus.APPLIED)
    kind = models.CharField(_("application kind"), max_length=12, choices=KIND_CHOICES)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by", verbose_name=_("replaces")
    )
    batch = models.ForeignKey("ProductionBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="cards")
    chip_serial = models.CharField(_("chip serial"), max_length=40, blank=True)
    issue_district = models.ForeignKey(
        "codes.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bank_code = models.CharField(_("partner bank"), max_length=20, blank=True)
    bank_account = EncryptedTextField(_("bank account number"), blank=True, default="")
    pin_hash = models.CharField(max_length=200, blank=True, editable=False)
    applied_at = models.DateTimeField(_("applied at"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    temporary_loss_until = models.DateTimeField(_("temporary loss lapses at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancel reason"), max_length=20, blank=True)
    # Electronic card (电子社保卡): issued once the card is active; the epoch is part of every
    # code, so bumping it (re-issue, revoke) invalidates every code shown before.
    ecard_issued_at = models.DateTimeField(_("electronic card issued at"), null=True, blank=True)
    ecard_epoch = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("social security card")
        verbose_name_plural = _("social security cards")
        constraints = [
            # 一人一卡: one card in use per person, and one on its way, enforced by the database.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=sorted(IN_USE)),
                name="card_one_in_use_per_person",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=sorted(PENDING)),
                name="card_one_pending_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "applied_at"]),
            models.Index(fields=["status", "temporary_loss_until"]),
        ]

    def __str__(self) -> str:
        return self.number or f"({self.status})"


class CardEvent(models.Model):
    """One step of a card's life: the history the lifecycle machine leaves behind."""

    id = models.BigAutoField(primary_key=True)
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    channel = models.CharField(max_length=10, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("card event")
        verbose_name_plural = _("card events")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class ProductionBatch(BaseModel):
    """A file of personalisation data sent to the card factory, and the results it returned."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent to the factory")
        RETURNED = "returned", _("results received")

    reference = models.CharField(max_length=30, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    file_format = models.CharField(max_length=4, default="csv")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    cards_total = models.PositiveIntegerField(default=0)
    cards_made = models.PositiveIntegerField(default=0)
    cards_failed = models.PositiveIntegerField(default=0)
    result_filename = models.CharField(max_length=255, blank=True)
    result_report = models.JSONField(default=list, blank=True)
    created_by = models.CharField(max_length=150)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("card production batch")
        verbose_name_plural = _("card production batches")

    def __str__(self) -> str:
        return self.reference


class ApplicationDomain(models.TextChoices):
    EMPLOYMENT = "employment", _("employment and entrepreneurship")
    SOCIAL_INSURANCE = "social_insurance", _("social insurance")
    LABOUR_RELATIONS = "labour_relations", _("labour relations")
    TALENT = "talent", _("personnel and talent")
    MEDICAL = "medical", _("medical")
    OTHER = "other", _("other city services")


class AccessChannel(models.TextChoices):
    """How a card application can be used (the catalogue's ``channels`` column)."""

    PHYSICAL = "physical", _("physical card")
    ELECTRONIC = "electronic", _("electronic card")
    COUNTER = "counter", _("at a counter")
    ONLINE = "online", _("online")


class CardApplication(models.Model):
    """One entry of the catalogue of card applications (持卡应用目录, the plan's 102 items)."""

    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    domain = models.CharField(max_length=20, choices=ApplicationDomain.choices)
    channels = models.CharField(max_length=100, help_text=_("comma-separated: physical, electronic, counter, online"))
    needs_financial = models.BooleanField(default=False, help_text=_("needs the card's financial (bank) function"))
    source = models.CharField(max_length=300, blank=True)
    verified = models.BooleanField(default=False, help_text=_("checked against the official catalogue"))
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("card application")
        verbose_name_plural = _("card applications")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def channel_labels(self) -> list[str]:
        """The channels in the reader's language, in the catalogue's order."""
        labels = dict(AccessChannel.choices)
        return [str(labels.get(code.strip(), code.strip())) for code in self.channels.split(",") if code.strip()]


class UseKind(models.TextChoices):
    IDENTITY_CHECK = "identity_check", _("identity check")
    MEDICAL_SETTLEMENT = "medical_settlement", _("medical settlement")
    BENEFIT_PAYMENT = "benefit_payment", _("benefit payment")
    SERVICE_COUNTER = "service_counter", _("service counter")
    TRANSPORT = "transport", _("transport")
    CITY_SERVICE = "city_service", _("other city service")
    PAYMENT = "payment", _("payment")


class UseChannel(models.TextChoices):
    CONTACT = "contact", _("physical card, contact chip")
    CONTACTLESS = "contactless", _("physical card, contactless")
    ELECTRONIC = "electronic", _("electronic card code")
    COUNTER = "counter", _("counter, card number")
    ONLINE = "online", _("online")


class CardUse(models.Model):
    """One use of a card (持卡用卡轨迹): what, when, where, by which institution, how."""

    id = models.BigAutoField(primary_key=True)
    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="uses")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=UseKind.choices)
    channel = models.CharField(max_length=12, choices=UseChannel.choices)
    at = models.DateTimeField()
    district = models.ForeignKey("codes.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    institution = models.CharField(max_length=150, help_text=_("the agency client or staff account that recorded it"))
    institution_name = models.CharField(max_length=200, blank=True)
    application = models.ForeignKey(
        CardApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="uses"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    reference = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("card use")
        verbose_name_plural = _("card uses")
        indexes = [
            models.Index(fields=["person", "at"]),
            models.Index(fields=["district", "channel", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class PaymentOrder(BaseModel):
    """A payment of a contribution or fee with the card's bank account or a third-party provider."""

    class Purpose(models.TextChoices):
        CONTRIBUTION = "contribution", _("social insurance contribution")
        FEE = "fee", _("fee")

    class Method(models.TextChoices):
        CARD_ACCOUNT = "card_account", _("the card's bank account")
        THIRD_PARTY = "third_party", _("third-party payment")

    class Status(models.TextChoices):
        CREATED = "created", _("created")
        PENDING = "pending", _("waiting for the payer")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    reference = models.CharField(max_length=32, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    card = models.ForeignKey(Card, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    description = models.CharField(max_length=200)
    period = models.CharField(max_length=7, blank=True, help_text=_("YYYY-MM the contribution is for"))
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    method = models.CharField(max_length=12, choices=Method.choices)
    gateway = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CREATED)
    gateway_reference = models.CharField(max_length=80, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        indexes = [models.Index(fields=["gateway", "status", "paid_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"


class ReconciliationRun(BaseModel):
    """One day's comparison of our paid orders with a bank's statement file."""

    gateway = models.CharField(max_length=30)
    statement_date = models.DateField()
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    matched = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    extra = models.PositiveIntegerField(default=0)
    amount_mismatch = models.PositiveIntegerField(default=0)
    total_ours = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    total_statement = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-statement_date", "-created_at"]
        verbose_name = _("reconciliation run")
        verbose_name_plural = _("reconciliation runs")

    def __str__(self) -> str:
        return f"{self.gateway} {self.statement_date}"

    @property
    def balanced(self) -> bool:
        return not (self.missing or self.extra or self.amount_mismatch)


class ReconciliationItem(models.Model):
    class Kind(models.TextChoices):
        MATCHED = "matched", _("matched")
        MISSING = "missing", _("paid in hrss, missing from the statement")
        EXTRA = "extra", _("on the statement, not paid in hrss")
        AMOUNT_MISMATCH = "amount_mismatch", _("amounts differ")

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reference = models.CharField(max_length=60)
    order = models.ForeignKey(PaymentOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    amount_ours = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_statement = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "reference"]
        verbose_name = _("reconciliation item")
        verbose_name_plural = _("reconciliation items")

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"
