"""Public-institution personnel (R3): an institution's profile (编制, 岗位设置, staff), its
open recruitment plans, post changes and wage approvals, each decided through the hall."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel

# Talent programmes and their expert review (人才计划/人才项目库, R1) live in their own module.
from hrss.talent.programme_models import (  # noqa: F401
    AppealStatus,
    AssignmentStatus,
    Declaration,
    DeclarationStatus,
    Expert,
    ExpertConflict,
    Programme,
    ProgrammeAppeal,
    ProgrammeLevel,
    ReviewAssignment,
    ScoreSheet,
)


class FundingKind(models.TextChoices):
    """The kind of a staffing quota (编制) by how the institution is funded."""

    FULL = "full", _("fully funded (全额拨款)")
    PARTIAL = "partial", _("partly funded (差额拨款)")
    SELF = "self", _("self-financed (自收自支)")


class PostCategory(models.TextChoices):
    """Post categories of 事业单位岗位设置: each has its own grades and wage table."""

    MANAGEMENT = "management", _("management post (管理岗位)")
    PROFESSIONAL = "professional", _("professional and technical post (专业技术岗位)")
    SUPPORT = "support", _("support skills post (工勤技能岗位)")


class Decision(models.TextChoices):
    SUBMITTED = "submitted", _("submitted for review")
    APPROVED = "approved", pgettext_lazy("talent", "approved")
    REJECTED = "rejected", pgettext_lazy("talent", "rejected")


class Institution(BaseModel):
    """A public institution (事业单位): a registry employer whose credit code starts with
    ``12`` (registered by the staffing authority, category 事业单位), with its personnel profile."""

    employer = models.OneToOneField("registry.Employer", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    supervisor = models.CharField(_("supervising department"), max_length=200, blank=True)
    registered_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("public institution")
        verbose_name_plural = _("public institutions")
        ordering = ("name",)
        indexes = [models.Index(fields=["district", "name"])]

    def __str__(self) -> str:
        return self.name


class Quota(BaseModel):
    """The institution's staffing quota (编制数) of one funding kind, as approved by the
    staffing authority (its document number)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="quotas")
    kind = models.CharField(_("funding kind"), max_length=10, choices=FundingKind.choices)
    count = models.PositiveIntegerField(_("quota"))
    document = models.CharField(pgettext_lazy("talent", "approval document"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("staffing quota")
        verbose_name_plural = _("staffing quotas")
        ordering = ("kind",)
        constraints = [models.UniqueConstraint(fields=["institution", "kind"], name="talent_quota_once")]


class Post(BaseModel):
    """A post setting (岗位设置): how many positions of one category and grade the
    institution has."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="posts")
    category = models.CharField(_("post category"), max_length=12, choices=PostCategory.choices)
    grade = models.PositiveSmallIntegerField(_("grade"))
    count = models.PositiveIntegerField(_("positions"))

    class Meta:
        verbose_name = _("post setting")
        verbose_name_plural = _("post settings")
        ordering = ("category", "grade")
        constraints = [models.UniqueConstraint(fields=["institution", "category", "grade"], name="talent_post_once")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.grade}"


class AllowanceKind(models.Model):
    """An allowance a wage approval may include (津贴补贴); its amount is the dated policy
    parameter ``talent.wage.allowance.<code>`` in the codes app."""

    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("allowance")
        verbose_name_plural = _("allowances")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name


class RecruitmentPlan(BaseModel):
    """An open recruitment plan (公开招聘计划), filed with the bureau through the hall
    (SH-RS-001): posts, numbers and conditions, under one funding kind of the quota."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("funding kind"), max_length=10, choices=FundingKind.choices)
    conditions = models.TextField(_("general conditions"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.SUBMITTED)
    hall_reference = models.CharField(_("application reference"), max_length=20, blank=True)
    submitted_by = models.CharField(max_length=150)
    decided_by = models.CharField(max_length=150, blank=True)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("recruitment plan")
        verbose_name_plural = _("recruitment plans")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["institution", "idempotency_key"], name="talent_plan_idempotent")
        ]

    @property
    def numbers(self) -> int:
        return sum(line.numbers for line in self.lines.all())


class RecruitmentLine(BaseModel):
    """One post of a recruitment plan: how many people, on what conditions."""

    plan = models.ForeignKey(RecruitmentPlan, on_delete=models.CASCADE, related_name="lines")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    numbers = models.PositiveIntegerField(_("numbers"))
    conditions = models.CharField(_("conditions"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("recruitment post")
        verbose_name_plural = _("recruitment posts")
        ordering = ("post__category", "post__grade")


class Staff(BaseModel):
    """A member of the institution's staff on its quota: person, post, funding kind, salary
    scale step (薪级), from when to when."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="staff")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="staff")
    kind = models.CharField(_("funding kind"), max_length=10, choices=FundingKind.choices)
    scale_step = models.PositiveSmallIntegerField(_("salary scale step"))
    entered_on = models.DateField(_("entered on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    plan = models.ForeignKey(RecruitmentPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="hired")
    monthly_wage_fen = models.BigIntegerField(null=True, blank=True)  # the last approved wage

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ("entered_on", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "person"], condition=Q(left_on__isnull=True), name="talent_staff_once"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("entered_on")), name="talent_staff_range"
            ),
        ]

    @property
    def monthly_wage(self) -> Decimal | None:
        return None if self.monthly_wage_fen is None else Decimal(self.monthly_wage_fen) / 100


class PostChange(BaseModel):
    """A staff member's change of post (岗位变动), decided through the hall (SH-RS-002)."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="post_changes")
    from_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    to_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.SUBMITTED)
    hall_reference = models.CharField(_("application reference"), max_length=20, blank=True)
    submitted_by = models.CharField(max_length=150)
    decided_by = models.CharField(max_length=150, blank=True)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("post change")
        verbose_name_plural = _("post changes")
        ordering = ("-created_at",)
        constraints = [models.UniqueConstraint(fields=["staff", "idempotency_key"], name="talent_change_idempotent")]


class WageApproval(BaseModel):
    """A staff member's wage approved (工资审批, SH-RS-003): post wage + salary scale wage +
    allowances from the tables in force on ``effective_on``, in fen, computed when applied
    for and again, stored, when approved."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="wage_approvals")
    effective_on = models.DateField(_("effective on"))
    scale_step = models.PositiveSmallIntegerField(_("salary scale step"))
    allowances = models.JSONField(default=list, blank=True)  # AllowanceKind codes
    post_wage_fen = models.BigIntegerField(default=0)
    scale_wage_fen = models.BigIntegerField(default=0)
    allowance_fen = models.BigIntegerField(default=0)
    total_fen = models.BigIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.SUBMITTED)
    hall_reference = models.CharField(_("application reference"), max_length=20, blank=True)
    submitted_by = models.CharField(max_length=150)
    decided_by = models.CharField(max_length=150, blank=True)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("wage approval")
        verbose_name_plural = _("wage approvals")
        ordering = ("-created_at",)
        constraints = [models.UniqueConstraint(fields=["staff", "idempotency_key"], name="talent_wage_idempotent")]

    @property
    def post_wage(self) -> Decimal:
        return Decimal(self.post_wage_fen) / 100

    @property
    def scale_wage(self) -> Decimal:
        return Decimal(self.scale_wage_fen) / 100

    @property
    def allowance(self) -> Decimal:
        return Decimal(self.allowance_fen) / 100

    @property
    def total(self) -> Decimal:
        return Decimal(self.total_fen) / 100


class GreenCardCategory(models.TextChoices):
    """The talent green card's categories (人才绿卡 A/B/C); what qualifies for each is dated
    policy data (``talent.green_card.<category>.*`` in codes), never figures here."""

    A = "a", _("A card: leading talent (领军人才)")
    B = "b", _("B card: high-level talent (高层次人才)")
    C = "c", _("C card: talent in short supply (急需紧缺人才)")


class GreenCard(BaseModel):
    """A person's talent green card (R1), issued by ``talent.green_card_issue`` when the hall
    approves 人才绿卡申领 (SH-RC-001); valid from ``issued_on`` to ``valid_until``. A person
    holds at most one valid card (checked at submission and again at issue)."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("card number"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=1, choices=GreenCardCategory.choices)
    issued_on = models.DateField(pgettext_lazy("talent", "issued on"))
    valid_until = models.DateField(_("valid until"))
    hall_reference = models.CharField(_("application reference"), max_length=20, unique=True)
    issued_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("talent green card")
        verbose_name_plural = _("talent green cards")
        ordering = ("-issued_on", "number")
        indexes = [models.Index(fields=["person", "valid_until"])]

    def __str__(self) -> str:
        return self.number


class GreenCardBenefitKind(models.TextChoices):
    """What a green card holder may apply for (人才绿卡服务事项)."""

    HOUSING = "housing", _("housing subsidy (住房补贴)")
    SCHOOL = "school", _("school places for children (子女入学)")
    MEDICAL = "medical", _("medical green channel (就医绿色通道)")


class GreenCardBenefit(BaseModel):
    """A holder's application for one benefit of the card, decided by the bureau's staff
    (approved, or refused with a reason). One of each kind while pending or granted."""

    card = models.ForeignKey(GreenCard, on_delete=models.PROTECT, related_name="benefits")
    kind = models.CharField(_("benefit"), max_length=10, choices=GreenCardBenefitKind.choices)
    details = models.CharField(_("details"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.SUBMITTED)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("green card benefit application")
        verbose_name_plural = _("green card benefit applications")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["card", "idempotency_key"], name="talent_benefit_idempotent"),
            models.UniqueConstraint(
                fields=["card", "kind"],
                condition=Q(status__in=["submitted", "approved"]),
                name="talent_benefit_once_open_or_granted",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]


# --- Professional titles (职称, R1) -----------------------------------------------------------


class TitleLevel(models.TextChoices):
    """The four levels of a professional title (专业技术职务任职资格)."""

    JUNIOR = "junior", _("junior (初级)")
    INTERMEDIATE = "intermediate", _("intermediate (中级)")
    DEPUTY_SENIOR = "deputy_senior", _("deputy senior (副高级)")
    SENIOR = "senior", _("senior (正高级)")


class TitleStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("talent", "valid")
    REVOKED = "revoked", pgettext_lazy("talent", "revoked")


class ProfessionalTitle(BaseModel):
    """A professional title a person was awarded by an evaluation committee (职称评审委员会),
    recorded by the bureau with its certificate number: what the holder sees, what a
    department's system verifies through the exchange (``professional_title``) and what the
    green card's title route reads. Revoked, never deleted."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    series = models.CharField(_("title series"), max_length=50)  # 工程, 卫生, 教育 …
    speciality = models.CharField(_("speciality"), max_length=100, blank=True)
    name = models.CharField(pgettext_lazy("talent", "title"), max_length=50)  # 高级工程师 …
    level = models.CharField(_("level"), max_length=15, choices=TitleLevel.choices)
    committee = models.CharField(_("evaluation committee"), max_length=200)
    issued_on = models.DateField(pgettext_lazy("talent", "awarded on"))
    status = models.CharField(_("status"), max_length=10, choices=TitleStatus.choices, default=TitleStatus.VALID)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("professional title")
        verbose_name_plural = _("professional titles")
        ordering = ("-issued_on", "number")
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"
