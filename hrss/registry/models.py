"""人社基本信息库: one person per ID number for life, one employer per credit code (A2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrss.core.crypto import BlindIndexField, EncryptedTextField
from hrss.core.models import BaseModel


class Source(models.TextChoices):
    """Where a value came from (一数一源)."""

    PUBLIC_SECURITY = "public_security", _("public security")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs")
    TAX = "tax", _("tax")
    EDUCATION = "education", _("education")
    HEALTH = "health", _("health")
    MARKET_REGULATION = "market_regulation", _("market regulation")
    BUREAU_COUNTER = "bureau_counter", _("bureau counter")
    SELF_DECLARED = "self_declared", _("self-declared")
    ID_NUMBER = "id_number", _("derived from the ID number")
    SYNTHETIC = "synthetic", _("synthetic data")


class Person(BaseModel):
    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DECEASED = "deceased", _("deceased")
        EMIGRATED = "emigrated", _("emigrated")

    id_number = EncryptedTextField(_("ID number"))
    # Unique through Meta.constraints: a plain unique index (``unique=True`` would add a
    # second, ``varchar_pattern_ops`` index for prefix searches nobody makes of a hash).
    id_number_index = BlindIndexField()
    name = models.CharField(_("full name"), max_length=100, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    # The districts are reached through the (district, name) indexes below, whose leading
    # column serves every lookup by district: no index of their own (two, with the
    # pattern-ops twin Django adds to a text key), which rebuilding 14 million rows paid for.
    household_district = models.ForeignKey(
        "codes.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("household district"),
        null=True,
        blank=True,
        db_index=False,
    )
    residence_district = models.ForeignKey(
        "codes.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("residence district"),
        null=True,
        blank=True,
        db_index=False,
    )
    phone = EncryptedTextField(_("mobile phone"), blank=True, default="")
    death_date = models.DateField(_("death date"), null=True, blank=True)
    # Never searched by education (analytics read whole columns); an index would only be
    # kept for refusing to delete a code-table row, which a scan can do.
    education = models.ForeignKey(
        "codes.EducationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    # Provenance of each attribute's current value: {"name": {"source": "...", "at": "..."}}
    sources = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["residence_district", "name"]),
            models.Index(fields=["household_district", "name"]),
            # the deceased are few: benefit and enrolment checks reach them without a scan
            models.Index(fields=["death_date"], condition=models.Q(death_date__isnull=False), name="person_deceased"),
        ]
        constraints = [models.UniqueConstraint(fields=["id_number_index"], name="person_id_number_index_unique")]

    def __str__(self) -> str:
        return self.name


class Employer(BaseModel):
    class Size(models.TextChoices):
        MICRO = "micro", _("micro")
        SMALL = "small", _("small")
        MEDIUM = "medium", _("medium")
        LARGE = "large", _("large")

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("employer name"), max_length=200, db_index=True)
    industry = models.ForeignKey("codes.Industry", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("codes.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    sources = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [models.Index(fields=["district", "name"])]

    def __str__(self) -> str:
        return self.name


class Employment(BaseModel):
    """An employment spell: who worked where, from when to when, as what, for what wage."""

    # Reached through the unique spell (person first) and the (employer, end_date) index:
    # no single-column indexes of their own.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employments", db_index=False)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="employments", db_index=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    occupation = models.ForeignKey(
        "codes.Occupation", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    monthly_wage = models.DecimalField(_("monthly wage"), max_digits=12, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.UniqueConstraint(fields=["person", "employer", "start_date"], name="employment_unique_spell"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="employment_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["employer", "end_date"])]


class SourceAuthority(models.Model):
    """Which source may set an attribute, in order of authority (rank 1 is authoritative)."""

    entity = models.CharField(max_length=20, default="person")
    attribute = models.CharField(max_length=40)
    source = models.CharField(max_length=20, choices=Source.choices)
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["entity", "attribute", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "attribute", "source"], name="authority_unique_source"),
            models.UniqueConstraint(fields=["entity", "attribute", "rank"], name="authority_unique_rank"),
        ]
        verbose_name = _("source authority")
        verbose_name_plural = _("source authorities")

    def __str__(self) -> str:
        return f"{self.entity}.{self.attribute}: {self.rank}. {self.source}"


class AttributeChange(models.Model):
    """Every change applied to a registry value, with its source (provenance trail)."""

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    attribute = models.CharField(max_length=40)
    old_source = models.CharField(max_length=20, blank=True)
    new_source = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)
    batch = models.ForeignKey("ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.attribute}: {self.old_source} -> {self.new_source}"


class ConflictReview(BaseModel):
    """A value from a less authoritative source that differs from the current one: a person decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts")
    attribute = models.CharField(max_length=40)
    current_value = EncryptedTextField(blank=True, default="")
    current_source = models.CharField(max_length=20, blank=True)
    proposed_value = EncryptedTextField(blank=True, default="")
    proposed_source = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey("ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("data conflict")
        verbose_name_plural = _("data conflicts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "attribute", "proposed_source"],
                condition=models.Q(status="open"),
                name="conflict_one_open_per_source",
            )
        ]


class ImportBatch(BaseModel):
    """One intake of a file from another department, with its row-level report."""

    class Kind(models.TextChoices):
        PERSONS = "persons", _("persons")
        EMPLOYERS = "employers", _("employers")
        EMPLOYMENTS = "employments", _("employments")

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_conflict = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True, help_text=_("one entry per row that was not applied cleanly"))
    started_by = models.CharField(max_length=150)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
