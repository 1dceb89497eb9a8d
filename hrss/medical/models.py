"""Tables of basic medical insurance (S4, first slice).

Reference data, every row dated and naming its source (``data/*.csv``, loaded by the
migration ``0002_reference_data``; editable in the admin): the catalogue of drugs, treatment
items and consumables with their 甲/乙/丙 class, the designated institutions with their
contracts, the person categories and the policy figures (deductible, bands, annual cap) per
region, category, pooling and hospital level.

Business data: a person's medical insurance (category, insuring region, personal account),
and the claims institutions settle — one row per settlement, reversal (冲正) or refund (退费),
the latter two with negative amounts, so a person's running totals for a year are one sum.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.codes.models import Confidence
from hrss.core.models import BaseModel


class CatalogueItem(BaseModel):
    """A drug, treatment item or consumable of the medical insurance catalogue (医保目录)."""

    class Kind(models.TextChoices):
        DRUG = "drug", _("drug")
        TREATMENT = "treatment", _("treatment item")
        CONSUMABLE = "consumable", _("medical consumable")

    class Klass(models.TextChoices):
        A = "A", _("class A (甲类): fully in scope")
        B = "B", _("class B (乙类): a share paid first by the patient")
        C = "C", _("class C (丙类): outside the catalogue")

    code = models.CharField(_("catalogue code"), max_length=30)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("catalogue kind"), max_length=12, choices=Kind.choices)
    klass = models.CharField(_("catalogue class"), max_length=1, choices=Klass.choices)
    self_pay_share = models.DecimalField(
        _("share paid first by the patient"), max_digits=5, decimal_places=4, default=0
    )
    unit = models.CharField(pgettext_lazy("medical", "unit"), max_length=20, blank=True)
    region = models.CharField(
        _("region"), max_length=6, default="100000", help_text=_("GB/T 2260 code; 100000 = national")
    )
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ("code", "-valid_from")
        constraints = [models.UniqueConstraint(fields=("code", "region", "valid_from"), name="medical_catalogue_dated")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Institution(BaseModel):
    """A designated medical institution or pharmacy (定点医药机构)."""

    class Kind(models.TextChoices):
        HOSPITAL = "hospital", _("hospital")
        PHARMACY = "pharmacy", _("pharmacy")

    class Level(models.TextChoices):
        ONE = "1", _("level one (一级)")
        TWO = "2", _("level two (二级)")
        THREE = "3", _("level three (三级)")
        NONE = "", _("not graded")

    code = models.CharField(_("institution code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("institution kind"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("hospital level"), max_length=1, choices=Level.choices, blank=True)
    region = models.CharField(_("region"), max_length=6, help_text=_("GB/T 2260 code of the pooling region it is in"))
    district = models.CharField(_("district"), max_length=6)
    client_name = models.CharField(
        _("agency client"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("the name of the agency client (grant medical:settle) that settles for this institution"),
    )
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("designated institution")
        verbose_name_plural = _("designated institutions")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Contract(BaseModel):
    """A service agreement (医保服务协议) between the agency and a designated institution."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="contracts")
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("service agreement")
        verbose_name_plural = _("service agreements")
        ordering = ("institution", "-valid_from")

    def __str__(self) -> str:
        return self.number


class PersonCategory(models.Model):
    """Who is insured how: 在职职工, 退休人员, 城乡居民."""

    code = models.CharField(_("category code"), max_length=20, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    has_account = models.BooleanField(_("has a personal account"), default=False)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("person category")
        verbose_name_plural = _("person categories")
        ordering = ("code",)

    def __str__(self) -> str:
        return str(self.name)


class Pooling(models.TextChoices):
    INPATIENT = "inpatient", _("inpatient (住院)")
    OUTPATIENT = "outpatient", _("outpatient pooling (门诊统筹)")
    CHRONIC = "chronic", _("outpatient chronic and special diseases (门诊慢特病)")


class Policy(BaseModel):
    """The figures in force for one region, person category, pooling and hospital level:
    the deductible (起付线), the bands ``[[upper or null, ratio], ...]`` over the in-scope
    amount, the annual cap of the pool (最高支付限额), and by how much each band's ratio falls
    for a temporary outing to another region without referral."""

    region = models.CharField(_("region"), max_length=6, help_text=_("GB/T 2260 code of the insuring region"))
    category = models.ForeignKey(PersonCategory, on_delete=models.PROTECT, related_name="+")
    pooling = models.CharField(_("pooling"), max_length=10, choices=Pooling.choices)
    level = models.CharField(_("hospital level"), max_length=1, choices=Institution.Level.choices, blank=True)
    deductible = models.DecimalField(_("deductible"), max_digits=12, decimal_places=2)
    deductible_per_visit = models.BooleanField(
        _("deductible per admission"), default=False, help_text=_("else once a year for this pooling")
    )
    bands = models.JSONField(_("bands"), help_text=_('[["10000", "0.85"], [null, "0.90"]]: upper bound and ratio'))
    annual_cap = models.DecimalField(_("annual cap"), max_digits=12, decimal_places=2)
    outing_reduction = models.DecimalField(
        _("ratio reduction for an outing without referral"), max_digits=5, decimal_places=4, default=0
    )
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    confidence = models.CharField(_("confidence"), max_length=2, choices=Confidence.choices)
    verified = models.BooleanField(_("verified"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("medical policy figures")
        verbose_name_plural = _("medical policy figures")
        ordering = ("region", "category", "pooling", "level", "-valid_from")
        constraints = [
            models.UniqueConstraint(
                fields=("region", "category", "pooling", "level", "valid_from"), name="medical_policy_dated"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.category_id} {self.pooling} {self.level or '-'} {self.valid_from}"


class Insured(BaseModel):
    """A person's basic medical insurance: category, insuring region, personal account."""

    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(PersonCategory, on_delete=models.PROTECT, related_name="+")
    region = models.CharField(_("insuring region"), max_length=6)
    account_balance = models.DecimalField(_("personal account balance"), default=0, max_digits=12, decimal_places=2)
    since = models.DateField(_("insured since"))

    class Meta:
        verbose_name = _("insured person")
        verbose_name_plural = _("insured persons")

    def __str__(self) -> str:
        return f"{self.category_id} {self.region}"


class AccountRule(models.Model):
    """How the personal accounts (个人账户) of one person category are credited in one region,
    dated: employees get a share of their own contribution (all of it under 国办发〔2021〕14号,
    the employer's part going to the pool), retirees a fixed amount a month (about 2 % of the
    region's average basic pension)."""

    class Basis(models.TextChoices):
        CONTRIBUTION = "contribution", _("a share of the person's own contribution")
        FIXED = "fixed", _("a fixed amount a month")

    region = models.CharField(_("region"), max_length=6, help_text=_("GB/T 2260 code of the insuring region"))
    category = models.ForeignKey(PersonCategory, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices)
    share = models.DecimalField(
        _("share of the own contribution"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    amount = models.DecimalField(_("amount a month"), max_digits=10, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    confidence = models.CharField(_("confidence"), max_length=2, choices=Confidence.choices)
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        verbose_name = _("personal account crediting rule")
        verbose_name_plural = _("personal account crediting rules")
        ordering = ("region", "category", "-valid_from")
        constraints = [
            models.UniqueConstraint(fields=("region", "category", "valid_from"), name="medical_account_rule_dated"),
            models.CheckConstraint(
                condition=models.Q(basis="contribution", share__isnull=False, amount__isnull=True)
                | models.Q(basis="fixed", share__isnull=True, amount__isnull=False),
                name="medical_account_rule_one_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.category_id} {self.basis} {self.valid_from}"


class AccountCredit(models.Model):
    """One credit to a person's personal account for one month (个人账户划入), append-only: a
    later run that finds the month's due credit changed (a correction in the contribution
    ledger, arrears paid) adds the difference as the next revision, so a month's credit is the
    sum of its rows and the balance moved by exactly that sum."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.DateField(_("month"))
    basis = models.CharField(_("basis"), max_length=12, choices=AccountRule.Basis.choices)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(_("credited at"))

    class Meta:
        verbose_name = _("personal account credit")
        verbose_name_plural = _("personal account credits")
        constraints = [
            models.UniqueConstraint(fields=("person", "period", "revision"), name="medical_account_credit_once")
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.amount}"


class ChronicDisease(models.Model):
    """A chronic or special disease (门诊慢特病) whose outpatient treatment, once recognised for a
    person, settles under the 门特 policy figures (``Policy`` rows of the ``chronic`` pooling)."""

    code = models.CharField(_("disease code"), max_length=20, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("chronic or special disease")
        verbose_name_plural = _("chronic and special diseases")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DiseaseRecognition(BaseModel):
    """A person's recognised chronic or special disease (门特认定), dated, recorded by staff of
    the medical insurance agency on a designated hospital's diagnosis."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    disease = models.ForeignKey(ChronicDisease, on_delete=models.PROTECT, related_name="recognitions")
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    diagnosed_by = models.CharField(_("diagnosing institution"), max_length=120, blank=True)
    recognised_by = models.CharField(_("recognised by"), max_length=150)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("chronic disease recognition")
        verbose_name_plural = _("chronic disease recognitions")
        ordering = ("-valid_from",)
        indexes = [models.Index(fields=("person", "disease"))]

    def __str__(self) -> str:
        return f"{self.disease_id} {self.valid_from}"


class Filing(BaseModel):
    """A filing for treatment in another region (异地就医备案, 医保发〔2022〕22号), recorded when
    the hall's item SH-YB-001 is approved. Long-term residents and referred or emergency
    patients settle there at the insuring region's ratios; other temporary outings, and
    visits with no filing, get the reduced ratio of the policy in force."""

    class Kind(models.TextChoices):
        LONG_TERM = "long_term", _("long-term residence in another region (异地长期居住)")
        REFERRAL = "referral", _("referral to another region (转诊转院)")
        EMERGENCY = "emergency", _("emergency treatment (急诊抢救)")
        TEMPORARY = "temporary", _("other temporary outing (其他临时外出就医)")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("filing kind"), max_length=10, choices=Kind.choices)
    region = models.CharField(_("place of treatment"), max_length=6, help_text=_("GB/T 2260 code of the region"))
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    hospital = models.CharField(_("hospital referred to"), max_length=120, blank=True)
    reference = models.CharField(_("application reference"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("cross-region filing")
        verbose_name_plural = _("cross-region filings")
        ordering = ("-valid_from",)

    def __str__(self) -> str:
        return f"{self.reference} {self.kind} {self.region}"


class Claim(BaseModel):
    """One settlement, reversal (冲正) or refund (退费) by a designated institution.

    ``(institution, transaction_id)`` is unique: a retried or concurrent duplicate finds the
    first and settles nothing more. Reversals and refunds carry negative amounts and point at
    the settlement they undo."""

    class Kind(models.TextChoices):
        SETTLEMENT = "settlement", _("settlement")
        REVERSAL = "reversal", _("reversal (冲正)")
        REFUND = "refund", _("refund (退费)")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="claims")
    transaction_id = models.CharField(_("institution transaction id"), max_length=64)
    request_hash = models.CharField(max_length=64)
    kind = models.CharField(_("claim kind"), max_length=10, choices=Kind.choices, default=Kind.SETTLEMENT)
    original = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="+")
    pooling = models.CharField(_("pooling"), max_length=10, choices=Pooling.choices)
    visit_date = models.DateField(_("visit date"))
    disease = models.CharField(
        _("chronic or special disease"),
        max_length=20,
        blank=True,
        help_text=_("the recognised disease (门诊慢特病) an outpatient visit was settled for, if any"),
    )
    doctor = models.CharField(
        _("doctor code"),
        max_length=30,
        blank=True,
        help_text=_("the practitioner code (医保医师代码) of the doctor who treated, as the institution sends it"),
    )
    cross_region = models.BooleanField(_("cross-region"), default=False)
    referred = models.BooleanField(_("referred"), default=False)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    out_of_catalogue = models.DecimalField(_("outside the catalogue"), max_digits=12, decimal_places=2)
    class_b_self_pay = models.DecimalField(_("class B share paid first"), max_digits=12, decimal_places=2)
    scope = models.DecimalField(_("in scope"), max_digits=12, decimal_places=2)
    deductible_applied = models.DecimalField(_("deductible applied"), max_digits=12, decimal_places=2)
    fund = models.DecimalField(_("paid by the fund"), max_digits=12, decimal_places=2)
    over_cap = models.DecimalField(_("above the annual cap"), max_digits=12, decimal_places=2)
    patient = models.DecimalField(_("paid by the patient"), max_digits=12, decimal_places=2)
    account = models.DecimalField(_("paid from the personal account"), max_digits=12, decimal_places=2)
    cash = models.DecimalField(_("paid in cash"), max_digits=12, decimal_places=2)
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("medical claim")
        verbose_name_plural = _("medical claims")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=("institution", "transaction_id"), name="medical_claim_once"),
        ]
        indexes = [models.Index(fields=("person", "visit_date"))]

    def __str__(self) -> str:
        return f"{self.transaction_id} ({self.kind})"


class ClaimLine(models.Model):
    """A line of the bill: a catalogue item, its quantity and price, and how it was classed."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField()
    code = models.CharField(_("catalogue code"), max_length=30)
    name = models.CharField(_("name"), max_length=120)
    klass = models.CharField(_("catalogue class"), max_length=1, choices=CatalogueItem.Klass.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=4)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    out_of_catalogue = models.DecimalField(_("outside the catalogue"), max_digits=12, decimal_places=2)
    class_b_self_pay = models.DecimalField(_("class B share paid first"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        ordering = ("claim", "line_no")

    def __str__(self) -> str:
        return f"{self.line_no} {self.code}"


class MonitoringRun(BaseModel):
    """One run of the smart monitoring (智能监控, S6) over the claims of a window: the rules of
    ``data/monitoring_rules.json`` and the unsupervised screen, with the figures they used."""

    actor = models.CharField(_("run by"), max_length=150)
    window_from = models.DateField(_("claims from"))
    window_to = models.DateField(_("claims until"))
    claims = models.PositiveIntegerField(_("claims screened"), default=0)
    lines = models.PositiveIntegerField(_("bill lines screened"), default=0)
    parameters = models.JSONField(_("figures used"), default=dict)
    counts = models.JSONField(_("findings per rule"), default=dict)
    new_flags = models.PositiveIntegerField(_("new cases"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        verbose_name = _("monitoring run")
        verbose_name_plural = _("monitoring runs")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.window_from}..{self.window_to} ({self.new_flags})"


class MonitoringFlag(BaseModel):
    """A finding of the monitoring, and the case staff work on it: the evidence, a decision
    (dismissed with a reason, or confirmed with the overpaid amount, which opens a recovery case
    of the insurance app's recovery cases), then the recovery recorded. One per rule, subject and
    period: a later run finds it again and raises nothing new."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("medical monitoring", "open")
        DISMISSED = "dismissed", pgettext_lazy("medical monitoring", "dismissed")
        CONFIRMED = "confirmed", pgettext_lazy("medical monitoring", "confirmed, recovery open")
        RECOVERED = "recovered", pgettext_lazy("medical monitoring", "recovered")
        WAIVED = "waived", pgettext_lazy("medical monitoring", "recovery waived")

    run = models.ForeignKey(MonitoringRun, on_delete=models.PROTECT, related_name="flags")
    rule = models.CharField(pgettext_lazy("medical monitoring", "rule"), max_length=40)
    subject = models.CharField(pgettext_lazy("medical monitoring", "subject"), max_length=200)
    period = models.CharField(
        pgettext_lazy("medical monitoring", "period"), max_length=7, help_text=_("the month, as YYYY-MM")
    )
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    district = models.CharField(pgettext_lazy("medical monitoring", "district"), max_length=6)
    amount = models.DecimalField(
        pgettext_lazy("medical monitoring", "amount at stake"), max_digits=14, decimal_places=2, default=0
    )
    score = models.FloatField(pgettext_lazy("medical monitoring", "anomaly score"), null=True, blank=True)
    evidence = models.JSONField(pgettext_lazy("medical monitoring", "evidence"), default=dict)
    status = models.CharField(
        pgettext_lazy("medical monitoring", "status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reason = models.TextField(pgettext_lazy("medical monitoring", "reason of the decision"), blank=True)
    overpaid = models.DecimalField(
        pgettext_lazy("medical monitoring", "overpaid"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decided_by = models.CharField(pgettext_lazy("medical monitoring", "decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(pgettext_lazy("medical monitoring", "decided at"), null=True, blank=True)
    recovery_case = models.UUIDField(pgettext_lazy("medical monitoring", "recovery case"), null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring case")
        verbose_name_plural = _("monitoring cases")
        ordering = ("-created_at",)
        constraints = [models.UniqueConstraint(fields=("rule", "subject", "period"), name="medical_flag_once")]
        indexes = [models.Index(fields=("status", "district"))]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject} {self.period}"


# --- reconciliation (S4 daily settlement files, S7 business against finance) ---------------------


class SettlementReconciliation(BaseModel):
    """An institution's day reconciled (对账): its own list of the day's settlements, reversals
    and refunds against ours. One per institution and day; a retry of the same list answers it."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="reconciliations")
    day = models.DateField(_("settlement day"))
    request_hash = models.CharField(max_length=64)
    sha256 = models.CharField(_("SHA-256 of our settlement file"), max_length=64)
    lines_ours = models.PositiveIntegerField(_("our lines"), default=0)
    lines_theirs = models.PositiveIntegerField(_("the institution's lines"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    fund_ours = models.DecimalField(_("fund total, ours"), max_digits=16, decimal_places=2, default=0)
    fund_theirs = models.DecimalField(_("fund total, the institution's"), max_digits=16, decimal_places=2, default=0)
    created_by = models.CharField(_("submitted by"), max_length=200)

    class Meta:
        verbose_name = _("settlement reconciliation")
        verbose_name_plural = _("settlement reconciliations")
        ordering = ("-day", "institution")
        constraints = [models.UniqueConstraint(fields=("institution", "day"), name="medical_reconciliation_once")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.day}"


class SettlementDifference(models.Model):
    """A difference a reconciliation found; amounts per side as ``{"total", "fund", "account",
    "cash"}`` (strings of yuan), empty on the side that lacks the line."""

    class Kind(models.TextChoices):
        OURS_ONLY = "ours_only", _("in our file, not in the institution's")
        THEIRS_ONLY = "theirs_only", _("in the institution's list, not in our file")
        AMOUNT = "amount_mismatch", _("amounts differ")
        REVERSED_ONE_SIDE = "reversed_one_side", _("reversed on one side only")

    id = models.BigAutoField(primary_key=True)
    reconciliation = models.ForeignKey(SettlementReconciliation, on_delete=models.CASCADE, related_name="differences")
    kind = models.CharField(_("difference"), max_length=20, choices=Kind.choices)
    transaction_id = models.CharField(_("institution transaction id"), max_length=64)
    ours = models.JSONField(_("our amounts"), default=dict)
    theirs = models.JSONField(_("the institution's amounts"), default=dict)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("settlement difference")
        verbose_name_plural = _("settlement differences")
        ordering = ("reconciliation", "kind", "transaction_id")

    def __str__(self) -> str:
        return f"{self.kind} {self.transaction_id}"


class BankPayment(BaseModel):
    """A payment of the fund to a designated institution, as the bank's file reports it (S7)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="bank_payments")
    reference = models.CharField(_("bank reference"), max_length=60, unique=True)
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    period = models.CharField(
        _("settlements paid"),
        max_length=10,
        help_text=_("the settlement day (YYYY-MM-DD) or month (YYYY-MM) the payment is for"),
    )
    filename = models.CharField(_("imported from"), max_length=255)
    imported_by = models.CharField(_("imported by"), max_length=150)

    class Meta:
        verbose_name = _("bank payment to an institution")
        verbose_name_plural = _("bank payments to institutions")
        ordering = ("-paid_on", "reference")
        indexes = [models.Index(fields=("institution", "period"))]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"
