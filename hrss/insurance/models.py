"""Social insurance tables: enrolment, bases, assessment lines, payments, accounts, benefits.

Money is kept in whole fen (``*_fen``, 0.01 yuan) as integers: the monthly assessment is
set-based SQL, and integer arithmetic is exact on SQLite as well as PostgreSQL (SQLite
has no decimal type). Selectors turn fen back into ``Decimal`` yuan.

Ledgers (contribution lines, payments, account entries, benefit payments) are
append-only: a correction is a reversing entry plus a new one, never an update.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from hrss.core.models import BaseModel


class InsuranceType(models.TextChoices):
    """The insurances this app assesses (codes of ``codes.InsuranceType``)."""

    PENSION = "pension_enterprise", _("basic pension (enterprise employees)")
    MEDICAL = "medical_employee", _("employee basic medical (incl. maternity)")
    UNEMPLOYMENT = "unemployment", _("unemployment")
    WORK_INJURY = "work_injury", _("work injury")


class PayerCategory(models.TextChoices):
    EMPLOYEE = "employee", _("employee (through an employer)")
    FLEXIBLE = "flexible", _("flexible worker (灵活就业)")


class Enrolment(BaseModel):
    """One spell of insured status of a person in one insurance (参保登记), month-granular.

    A spell covers ``start_month`` .. ``end_month`` inclusive; an open spell has no end.
    A person has at most one open spell per insurance; spells never overlap (services).
    """

    class StopReason(models.TextChoices):
        LEFT_EMPLOYER = "left_employer", _("left the employer")
        CONTRACT_END = "contract_end", _("contract ended")
        RETIRED = "retired", pgettext_lazy("enrolment stopped because the person", "retired")
        DECEASED = "deceased", _("deceased")
        TRANSFERRED_OUT = "transferred_out", _("transferred to another city")
        SELF_STOPPED = "self_stopped", _("stopped by the insured person")
        OTHER = "other", _("other")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    insurance_type = models.CharField(max_length=40, choices=InsuranceType.choices)
    category = models.CharField(max_length=10, choices=PayerCategory.choices)
    start_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"), null=True, blank=True)
    stop_reason = models.CharField(max_length=20, choices=StopReason.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "insurance_type"], condition=Q(end_month__isnull=True), name="enrolment_one_open"
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=models.F("start_month")),
                name="enrolment_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(category="flexible", employer__isnull=True)
                | Q(category="employee", employer__isnull=False),
                name="enrolment_payer_matches_category",
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "insurance_type"]),
            models.Index(fields=["person", "insurance_type", "start_month"]),
            # the assessment reaches flexible workers (no employer) by person range
            models.Index(fields=["person"], condition=Q(employer__isnull=True), name="enrolment_flexible_person"),
        ]

    def __str__(self) -> str:
        return f"{self.insurance_type} {self.start_month:%Y-%m}..{self.end_month or ''}"


class IndustryRiskClass(models.Model):
    """Work-injury risk class (1-8) of a GB/T 4754 division (人社部发〔2015〕71号)."""

    industry = models.OneToOneField("codes.Industry", primary_key=True, on_delete=models.PROTECT, related_name="+")
    risk_class = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=200)
    confidence = models.CharField(max_length=2)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["industry"]
        verbose_name = _("industry work-injury risk class")
        verbose_name_plural = _("industry work-injury risk classes")
        constraints = [
            models.CheckConstraint(condition=Q(risk_class__gte=1, risk_class__lte=8), name="risk_class_1_to_8")
        ]

    def __str__(self) -> str:
        return f"{self.industry_id}: {self.risk_class}"


class EmployerWorkInjuryRate(BaseModel):
    """An employer's work-injury class and floating percentage (浮动费率) from a month on.

    The rate charged is the class base rate (a dated parameter) × ``floating_percent`` / 100.
    """

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    risk_class = models.PositiveSmallIntegerField()
    floating_percent = models.PositiveSmallIntegerField(default=100)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    decided_by = models.CharField(max_length=150)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employer work-injury rate")
        verbose_name_plural = _("employer work-injury rates")
        constraints = [
            models.UniqueConstraint(fields=["employer", "valid_from"], name="wi_rate_unique_start"),
            models.UniqueConstraint(fields=["employer"], condition=Q(valid_to__isnull=True), name="wi_rate_one_open"),
            models.CheckConstraint(condition=Q(risk_class__gte=1, risk_class__lte=8), name="wi_rate_class_1_to_8"),
            models.CheckConstraint(
                condition=Q(floating_percent__gte=50, floating_percent__lte=200), name="wi_rate_floating_bounds"
            ),
        ]


class EmployerRegistration(BaseModel):
    """单位社会保险登记: an employer registered for one insurance from a month on.

    One row per employer and insurance; an open registration has no ``end_month`` and there
    is at most one open per employer and insurance. ``application`` is the service hall's
    reference when the registration came from 用人单位社会保险登记 (SH-YL-003).
    """

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    insurance_type = models.CharField(max_length=40, choices=InsuranceType.choices)
    start_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"), null=True, blank=True)
    headcount = models.PositiveIntegerField(_("employees to insure"), null=True, blank=True)
    application = models.CharField(_("application"), max_length=40, blank=True)
    registered_by = models.CharField(max_length=150)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employer insurance registration")
        verbose_name_plural = _("employer insurance registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "insurance_type"],
                condition=Q(end_month__isnull=True),
                name="employer_registration_one_open",
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=models.F("start_month")),
                name="employer_registration_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["application"], name="employer_registration_app")]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.insurance_type} {self.start_month:%Y-%m}.."


class ContributionBase(BaseModel):
    """缴费基数 of a person for a calendar year: declared wage and the clamped base."""

    class Source(models.TextChoices):
        EMPLOYER = "employer", _("employer declaration")
        FLEXIBLE = "flexible", _("flexible worker's choice")
        STAFF = "staff", _("set by bureau staff")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    declared_wage_fen = models.BigIntegerField(help_text=_("previous-year average monthly wage (fen)"))
    base_fen = models.BigIntegerField(help_text=_("contribution base after clamping (fen)"))
    source = models.CharField(max_length=10, choices=Source.choices)
    declared_by = models.CharField(max_length=150)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contribution base")
        verbose_name_plural = _("contribution bases")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="base_one_per_year")]
        indexes = [models.Index(fields=["employer", "year"])]


class AssessmentRun(BaseModel):
    """One period's 征缴核定 run: its status, progress and the figures it used (resume point)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")
        FAILED = "failed", _("failed")

    period = models.DateField(unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    chunks_total = models.PositiveIntegerField()
    chunks_done = models.PositiveIntegerField(default=0)
    rows_inserted = models.BigIntegerField(
        default=0, help_text=_("ledger rows written: one per person, payer and month")
    )
    attempts = models.PositiveIntegerField(default=1)
    evidence = models.JSONField(default=dict, help_text=_("rates and base band the run used"))
    started_by = models.CharField(max_length=150)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.status} {self.chunks_done}/{self.chunks_total}"


class LineKind(models.TextChoices):
    ASSESSED = "assessed", _("assessed")
    REVERSAL = "reversal", _("reversal")
    ADJUSTMENT = "adjustment", _("adjustment")


# The column prefix of each insurance in ``ContributionMonth`` and its position in the
# ``ContributionLine`` view (a line's id is ``month.id * 4 + position``).
LINE_INSURANCES: tuple[tuple[str, str], ...] = (
    (InsuranceType.PENSION.value, "pension"),
    (InsuranceType.MEDICAL.value, "medical"),
    (InsuranceType.UNEMPLOYMENT.value, "unemployment"),
    (InsuranceType.WORK_INJURY.value, "work_injury"),
)
LINE_PREFIX = dict(LINE_INSURANCES)


class ContributionMonth(models.Model):
    """One person's contributions for one month through one payer, every insurance in one row.

    The stored form of the contribution ledger (append-only), read as per-insurance lines
    through ``ContributionLine``. One row per person and month (not per insurance) because
    this is the largest table of the system: the monthly assessment writes a quarter of the
    rows it would write otherwise, and that is most of its cost. An insurance the person
    is not enrolled in has NULL columns. ``revision`` 0 is the assessment (every insurance
    of the payer); correction n adds a reversal row and an adjustment row with revision n,
    each carrying only the corrected insurance. Revisions count per person and month.

    A bigint key rather than the usual UUID, and no database-level foreign keys or
    single-column indexes: every row is derived by SQL from enrolments that hold those
    keys (integrity by construction), and a per-row constraint trigger or index multiplies
    the cost of the monthly ``INSERT ... SELECT``. PROTECT still guards deletes via the ORM.
    """

    id = models.BigAutoField(primary_key=True)
    period = models.DateField()
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    employer = models.ForeignKey(
        "registry.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    category = models.CharField(max_length=10, choices=PayerCategory.choices)
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    revision = models.PositiveIntegerField(default=0)
    base_fen = models.BigIntegerField()
    pension_employer_ppm = models.IntegerField(null=True)
    pension_individual_ppm = models.IntegerField(null=True)
    pension_employer_fen = models.BigIntegerField(null=True)
    pension_individual_fen = models.BigIntegerField(null=True)
    pension_account_fen = models.BigIntegerField(
        null=True, help_text=_("part credited to the personal pension account")
    )
    medical_employer_ppm = models.IntegerField(null=True)
    medical_individual_ppm = models.IntegerField(null=True)
    medical_employer_fen = models.BigIntegerField(null=True)
    medical_individual_fen = models.BigIntegerField(null=True)
    unemployment_employer_ppm = models.IntegerField(null=True)
    unemployment_individual_ppm = models.IntegerField(null=True)
    unemployment_employer_fen = models.BigIntegerField(null=True)
    unemployment_individual_fen = models.BigIntegerField(null=True)
    work_injury_employer_ppm = models.IntegerField(null=True)
    work_injury_individual_ppm = models.IntegerField(null=True)
    work_injury_employer_fen = models.BigIntegerField(null=True)
    work_injury_individual_fen = models.BigIntegerField(null=True)
    run = models.ForeignKey(
        AssessmentRun,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    correction = models.ForeignKey(
        "Correction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("contribution month")
        verbose_name_plural = _("contribution months")
        constraints = [
            # the payer is the employer, or the person for a flexible worker
            models.UniqueConstraint(
                F("person"),
                F("period"),
                Coalesce(F("employer"), F("person")),
                F("kind"),
                F("revision"),
                name="month_unique_key",
            )
        ]
        indexes = [models.Index(fields=["employer", "period"], name="month_employer_period")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.kind}#{self.revision}"


class ContributionLine(models.Model):
    """One person's contribution in one insurance for one month: a row of a database view.

    The view unfolds each ``ContributionMonth`` row into one line per insurance it
    carries (``id`` is the month's id × 4 + the insurance's position; the view is created
    by migration 0006), so readers filter
    and sum per insurance as if lines were stored; writers write ``ContributionMonth``.
    The effective contribution of a key is the sum of all its lines.
    """

    id = models.BigIntegerField(primary_key=True)
    period = models.DateField()
    person = models.ForeignKey("registry.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    insurance_type = models.CharField(max_length=40, choices=InsuranceType.choices)
    category = models.CharField(max_length=10, choices=PayerCategory.choices)
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    revision = models.PositiveIntegerField(default=0)
    base_fen = models.BigIntegerField()
    employer_ppm = models.IntegerField(help_text=_("employer rate, parts per million"))
    individual_ppm = models.IntegerField(help_text=_("individual rate, parts per million"))
    employer_fen = models.BigIntegerField()
    individual_fen = models.BigIntegerField()
    account_fen = models.BigIntegerField(help_text=_("part credited to the personal pension account"))
    run = models.ForeignKey(
        AssessmentRun, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    correction = models.ForeignKey(
        "Correction", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="lines", db_constraint=False
    )
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        verbose_name = _("contribution line")
        verbose_name_plural = _("contribution lines")

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.insurance_type} {self.kind}#{self.revision}"


class EmployerMonthTotal(models.Model):
    """Per employer and month: the sums of its ledger rows, every insurance in one row.

    Kept equal to the sum of its lines by every writer (recomputed from the rows in the
    transaction that writes them); read per insurance through ``EmployerPeriodTotal``.
    An insurance the employer has no line in is NULL. One row per employer and month for
    the same reason as ``ContributionMonth``: the assessment writes them all each month.
    """

    id = models.BigAutoField(primary_key=True)
    period = models.DateField()
    employer = models.ForeignKey(
        "registry.Employer", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    pension_persons = models.IntegerField(null=True)
    pension_employer_fen = models.BigIntegerField(null=True)
    pension_individual_fen = models.BigIntegerField(null=True)
    medical_persons = models.IntegerField(null=True)
    medical_employer_fen = models.BigIntegerField(null=True)
    medical_individual_fen = models.BigIntegerField(null=True)
    unemployment_persons = models.IntegerField(null=True)
    unemployment_employer_fen = models.BigIntegerField(null=True)
    unemployment_individual_fen = models.BigIntegerField(null=True)
    work_injury_persons = models.IntegerField(null=True)
    work_injury_employer_fen = models.BigIntegerField(null=True)
    work_injury_individual_fen = models.BigIntegerField(null=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("employer monthly total")
        verbose_name_plural = _("employer monthly totals")
        # employer first: one index serves a statement, an employer's history and the upsert
        constraints = [models.UniqueConstraint(fields=["employer", "period"], name="month_total_unique_key")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m}"


class EmployerPeriodTotal(models.Model):
    """Per employer, month and insurance: the sum of its lines. A row of a database view.

    The view (migration 0007) unfolds each ``EmployerMonthTotal`` into one total per
    insurance the employer has lines in (``id`` is the month total's id × 4 + position).
    """

    id = models.BigIntegerField(primary_key=True)
    period = models.DateField()
    employer = models.ForeignKey(
        "registry.Employer", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    insurance_type = models.CharField(max_length=40, choices=InsuranceType.choices)
    persons = models.IntegerField()
    employer_fen = models.BigIntegerField()
    individual_fen = models.BigIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        managed = False
        verbose_name = _("employer monthly total per insurance")
        verbose_name_plural = _("employer monthly totals per insurance")

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.insurance_type}"


class Correction(BaseModel):
    """A change to an assessed month (new base, wrong enrolment...), with its reason."""

    period = models.DateField()
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    insurance_type = models.CharField(max_length=40, choices=InsuranceType.choices)
    revision = models.PositiveIntegerField()
    old_base_fen = models.BigIntegerField()
    new_base_fen = models.BigIntegerField()
    reason = models.CharField(max_length=300)
    made_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("contribution correction")
        verbose_name_plural = _("contribution corrections")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "period", "insurance_type", "revision"], name="correction_unique_revision"
            )
        ]


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
    """Overpaid benefit to recover (待遇资格 cross-check), with the evidence staff review."""

    class Reason(models.TextChoices):
        DECEASED = "deceased", _("paid after death")
        REEMPLOYED = "reemployed", _("unemployment benefit while contributing through an employer")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RECOVERED = "recovered", _("recovered")
        WAIVED = "waived", _("waived")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    award = models.ForeignKey(BenefitAward, on_delete=models.PROTECT, related_name="recovery_cases")
    reason = models.CharField(max_length=12, choices=Reason.choices)
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
            models.UniqueConstraint(fields=["award", "reason"], condition=Q(status="open"), name="recovery_one_open")
        ]


class EnrolmentExemption(BaseModel):
    """Why a person of working age need not be insured here (student, insured elsewhere...)."""

    class Reason(models.TextChoices):
        STUDENT = "student", _("full-time student")
        RETIRED = "retired", _("retired (pension from elsewhere)")
        INSURED_ELSEWHERE = "insured_elsewhere", _("insured in another city or scheme")
        MILITARY = "military", _("in military service")
        OTHER = "other", _("other")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20)
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("enrolment exemption")
        verbose_name_plural = _("enrolment exemptions")
        indexes = [models.Index(fields=["person", "valid_from"])]


class EnrolmentReminder(models.Model):
    """A universal-enrolment reminder published for a person in a month (sent once a month)."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    period = models.DateField()
    district = models.CharField(max_length=6)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("enrolment reminder")
        verbose_name_plural = _("enrolment reminders")
        constraints = [models.UniqueConstraint(fields=["person", "period"], name="reminder_once_a_month")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.district}"


class ReminderDelivery(models.Model):
    """How a 全民参保 reminder reached its person, or why it did not (S2): one row per reminder.

    Written by the reminder's subscriber after the reminders are committed; the row is
    unique per reminder, so a reminder is delivered at most once. ``sms`` tells the SMS's
    fate: sent, or not sent because the registry has no (valid) mobile number — those are
    the people a district office still has to reach another way.
    """

    class Sms(models.TextChoices):
        SENT = "sent", _("SMS sent")
        NO_PHONE = "no_phone", _("no mobile number")
        INVALID_PHONE = "invalid_phone", _("mobile number not valid")

    id = models.BigAutoField(primary_key=True)
    reminder = models.OneToOneField(EnrolmentReminder, on_delete=models.PROTECT, related_name="delivery")
    sms = models.CharField(max_length=14, choices=Sms.choices)
    in_app = models.BooleanField(default=False, help_text=_("also put in the person's account inbox"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")

    def __str__(self) -> str:
        return f"{self.sms}{' + in-app' if self.in_app else ''}"


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
