"""Employment filing (用工备案, L3): the labour contracts an employer records (劳动合同), and
construction projects with their real-name workers and wage payments (工程建设领域实名制、
农民工工资专用账户). Hires and terminations are not stored here: they are the insurance app's
增员/减员, read through its ledger facts. Imported by ``models.py``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel


class ContractType(models.TextChoices):
    FIXED_TERM = "fixed_term", _("fixed term")
    OPEN_ENDED = "open_ended", pgettext_lazy("labour contract", "open-ended")
    TASK = "task", _("until a task is completed")


class LabourContract(BaseModel):
    """A written labour contract between an employer and a worker, as the employer records
    it (劳动合同法 第十条, 第十二条): fixed term (with an end), open-ended (none), or for a task
    (ending when the task does: no end date until then)."""

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    contract_type = models.CharField(_("contract type"), max_length=12, choices=ContractType.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.CharField(max_length=150)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("labour contract")
        verbose_name_plural = _("labour contracts")
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["employer", "person"], name="labor_contract_employer_person")]
        constraints = [
            models.UniqueConstraint(fields=["employer", "idempotency_key"], name="labor_contract_idempotent"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="labor_contract_valid_range",
            ),
            models.CheckConstraint(
                condition=~Q(contract_type="fixed_term") | Q(end_date__isnull=False),
                name="labor_contract_fixed_term_ends",
            ),
            models.CheckConstraint(
                condition=~Q(contract_type="open_ended") | Q(end_date__isnull=True),
                name="labor_contract_open_ended_has_no_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_type} {self.start_date}..{self.end_date or ''}"


class ConstructionProject(BaseModel):
    """A registered construction project (工程建设项目) under the wage-payment rules for migrant
    workers (保障农民工工资支付条例 第二十六条 to 第三十一条): its general contractor (施工总承包
    单位, a registry employer), district, and the special wage account (农民工工资专用账户) wages
    are paid through."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    contractor = models.ForeignKey(
        "registry.Employer", on_delete=models.PROTECT, related_name="+", verbose_name=_("general contractor")
    )
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    wage_bank = models.CharField(_("bank of the wage account"), max_length=100)
    wage_account = models.CharField(_("wage account number"), max_length=40)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    recorded_by = models.CharField(max_length=150)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("construction project")
        verbose_name_plural = _("construction projects")
        ordering = ["-started_on", "reference"]
        indexes = [models.Index(fields=["contractor", "started_on"], name="labor_project_contractor")]
        constraints = [
            models.UniqueConstraint(fields=["recorded_by", "idempotency_key"], name="labor_project_idempotent"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="labor_project_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ProjectWorker(BaseModel):
    """A worker on a project's real-name roster (实名制管理), in a team (班组), from when to when."""

    project = models.ForeignKey(ConstructionProject, on_delete=models.PROTECT, related_name="workers")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    team = models.CharField(_("team"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("project worker")
        verbose_name_plural = _("project workers")
        constraints = [
            models.UniqueConstraint(fields=["project", "person", "start_date"], name="labor_project_worker_spell"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="labor_project_worker_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.team}"


class WageAccountEntry(models.Model):
    """A movement of a project's wage account for a month: money received into it (the
    construction unit's labour cost, 人工费用) or a wage paid from it to a roster worker."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("received into the account")
        WAGE = "wage", _("wage paid to a worker")

    id = models.BigAutoField(primary_key=True)
    project = models.ForeignKey(ConstructionProject, on_delete=models.PROTECT, related_name="account_entries")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("month"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    booked_on = models.DateField(_("booked on"))
    reference = models.CharField(_("bank reference"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wage account entry")
        verbose_name_plural = _("wage account entries")
        indexes = [models.Index(fields=["project", "period"], name="labor_wage_entry_period")]
        constraints = [
            models.UniqueConstraint(fields=["project", "reference"], name="labor_wage_entry_once"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="labor_wage_entry_positive"),
            models.CheckConstraint(
                condition=Q(kind="deposit", person__isnull=True) | Q(kind="wage", person__isnull=False),
                name="labor_wage_entry_person_for_wages",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.kind} {self.amount_fen}"
