"""Talent programmes and their expert review (人才计划/人才项目库, R1): the programmes a citizen
declares for (项目申报), the expert pool (专家库) with its declared conflicts, the review
assignments drawn from it with a recorded seed, the experts' scoring sheets, the published
ranking (公示) and the applicants' appeals (异议). Imported by ``hrss.talent.models``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel


class ProgrammeLevel(models.TextChoices):
    NATIONAL = "national", _("national (国家级)")
    PROVINCIAL = "provincial", _("provincial (省级)")
    MUNICIPAL = "municipal", _("municipal (市级)")
    DISTRICT = "district", _("district (区级)")


class Programme(BaseModel):
    """A talent programme or project (人才计划/人才项目): when it takes declarations, what it
    funds (``awards`` projects of up to ``funding_per_project`` yuan), the criteria its experts
    score on (``criteria``: ``[{"name", "max_points"}]``), how many experts review a declaration
    and how long its results are on notice (both defaulted from the dated
    ``talent.programme.*`` parameters when it is created). A district programme belongs to its
    district's office; the others to the city's."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=ProgrammeLevel.choices)
    district = models.ForeignKey("codes.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    speciality = models.CharField(_("speciality"), max_length=50, blank=True)  # the experts' it needs (blank: any)
    description = models.TextField(pgettext_lazy("talent", "description"), blank=True)
    opens_on = models.DateField(_("declarations open on"))
    closes_on = models.DateField(_("declarations close on"))
    funding_per_project = models.DecimalField(_("funding per project"), max_digits=12, decimal_places=2)
    awards = models.PositiveIntegerField(_("projects funded"))
    criteria = models.JSONField(_("scoring criteria"), default=list)
    experts_per_declaration = models.PositiveSmallIntegerField(_("experts per declaration"))
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"))
    published_at = models.DateTimeField(null=True, blank=True)
    notice_ends_on = models.DateField(null=True, blank=True)  # appeals until this day, inclusive
    finalised_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("talent programme")
        verbose_name_plural = _("talent programmes")
        ordering = ("-opens_on", "code")
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="talent_programme_window")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_points(self) -> int:
        return sum(int(c["max_points"]) for c in self.criteria)


class Expert(BaseModel):
    """A member of the expert pool (专家库): a person of the registry who signs in with their
    own citizen account; their employer is read from the registry's current employment when
    experts are drawn."""

    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="+")
    specialities = models.JSONField(_("specialities"), default=list)  # e.g. ["工程技术", "信息技术"]
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    active = models.BooleanField(pgettext_lazy("talent", "active"), default=True)
    added_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ("created_at", "id")


class ExpertConflict(BaseModel):
    """A person or an employer the expert must not review (利益冲突): declared by the expert or
    recorded by the office, or recorded when the expert recused themself (回避)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("expert conflict of interest")
        verbose_name_plural = _("expert conflicts of interest")
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(employer__isnull=False), name="talent_conflict_names_someone"
            )
        ]


class DeclarationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("talent", "submitted")
    REFUSED = "refused", pgettext_lazy("talent", "refused at the formal check")
    ACCEPTED = "accepted", pgettext_lazy("talent", "accepted for review")
    UNDER_REVIEW = "under_review", pgettext_lazy("talent", "under expert review")
    SCORED = "scored", pgettext_lazy("talent", "scored")
    PUBLISHED = "published", pgettext_lazy("talent", "on public notice")
    APPEALED = "appealed", pgettext_lazy("talent", "appealed")
    FINAL = "final", pgettext_lazy("talent", "final")


class Declaration(BaseModel):
    """A citizen's declaration for a programme (项目申报): one per person and programme. The
    employer is the registry's current employment when declared. ``review_round`` is 1, then 2
    after an upheld appeal (a fresh set of experts); ``score`` is the aggregate of the current
    round; ``rank`` and ``funded`` are set when the programme's results are published."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="declarations")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("summary"))
    requested_amount = models.DecimalField(_("amount requested"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=12, choices=DeclarationStatus.choices, default=DeclarationStatus.SUBMITTED
    )
    refusal_reason = models.CharField(_("reason"), max_length=500, blank=True)
    checked_by = models.CharField(max_length=150, blank=True)
    review_round = models.PositiveSmallIntegerField(default=1)
    score = models.DecimalField(pgettext_lazy("talent", "score"), max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    funded = models.BooleanField(_("funded"), default=False)

    class Meta:
        verbose_name = _("programme declaration")
        verbose_name_plural = _("programme declarations")
        ordering = ("-created_at", "id")
        constraints = [models.UniqueConstraint(fields=["programme", "person"], name="talent_declaration_once")]
        indexes = [models.Index(fields=["programme", "status"])]


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("talent", "to score")
    SUBMITTED = "submitted", pgettext_lazy("talent", "scored")
    RECUSED = "recused", pgettext_lazy("talent", "recused")


class ReviewAssignment(BaseModel):
    """An expert drawn to review a declaration in a round, with the seed of the draw (the same
    seed and pool give the same experts). A recusal (回避) keeps the row with its reason."""

    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    review_round = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    recusal_reason = models.CharField(_("reason for recusal"), max_length=300, blank=True)
    assigned_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["declaration", "expert"], name="talent_assignment_once_per_expert")
        ]
        indexes = [models.Index(fields=["expert", "status"])]


class ScoreSheet(BaseModel):
    """An expert's scoring sheet for an assignment (评分表): a score per criterion of the
    programme (``scores``: ``{criterion name: "points"}``), the total and a comment. Final
    once submitted."""

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.PROTECT, related_name="sheet")
    scores = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=7, decimal_places=2)
    comment = models.TextField(_("comment"))
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")


class AppealStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("talent", "pending")
    DISMISSED = "dismissed", pgettext_lazy("talent", "dismissed")
    UPHELD = "upheld", pgettext_lazy("talent", "upheld: re-reviewed")


class ProgrammeAppeal(BaseModel):
    """An applicant's appeal against the published result (异议), within the notice period; one
    per declaration. Dismissed with a reason, or upheld: the declaration is reviewed again by
    a fresh set of experts."""

    declaration = models.OneToOneField(Declaration, on_delete=models.PROTECT, related_name="appeal")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    score_before = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("programme appeal")
        verbose_name_plural = _("programme appeals")
        ordering = ("-created_at", "id")
