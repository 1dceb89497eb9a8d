"""The contribution ledger: bases, monthly assessment runs, contribution months and lines,
employer totals and corrections."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hrss.core.models import BaseModel
from hrss.insurance import rules
from hrss.insurance.models.enrolment import PayerCategory


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
    (rules.PENSION, "pension"),
    (rules.MEDICAL, "medical"),
    (rules.UNEMPLOYMENT, "unemployment"),
    (rules.WORK_INJURY, "work_injury"),
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
    insurance_type = models.CharField(max_length=40)  # a code of codes.InsuranceType
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
    insurance_type = models.CharField(max_length=40)  # a code of codes.InsuranceType
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
    insurance_type = models.CharField(max_length=40)  # a code of codes.InsuranceType
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
