"""Personnel examinations (R4): the question bank, papers, exams with posts, registrations
with their fees, seats, answer sheets, double-blind marking, scores and appeals."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.crypto import EncryptedTextField
from hrss.core.models import BaseModel


class ItemKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    JUDGE = "judge", _("true or false")
    ESSAY = "essay", _("written answer")


class Item(BaseModel):
    """One version of a question in the bank. Its stem, options and key are encrypted at
    rest (``hrss.core.crypto``); reading them is audited (``selectors.item_read``). Editing a
    question adds a version; papers keep the version they were assembled from."""

    code = models.CharField(_("question code"), max_length=20)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    current = models.BooleanField(_("current version"), default=True)
    kind = models.CharField(_("question type"), max_length=10, choices=ItemKind.choices)
    tag = models.CharField(_("tag"), max_length=40, db_index=True)
    difficulty = models.PositiveSmallIntegerField(_("difficulty"))  # 1 (easy) .. 5 (hard)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    stem = EncryptedTextField(pgettext_lazy("exams", "question"), aad="exams.item.stem")
    options = EncryptedTextField(_("options"), aad="exams.item.options", blank=True)  # JSON list
    # Objective: the mask of the right options as one hex digit (A=1, B=2, C=4, D=8);
    # a written answer: the marking guide.
    key = EncryptedTextField(_("answer key"), aad="exams.item.key")
    created_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = pgettext_lazy("exams", "question")
        verbose_name_plural = _("questions")
        ordering = ("code", "-version")
        constraints = [models.UniqueConstraint(fields=("code", "version"), name="exams_item_version")]
        indexes = [models.Index(fields=("current", "kind", "tag", "difficulty"), name="exams_item_pick")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class ExamStatus(models.TextChoices):
    DRAFT = "draft", _("in preparation")
    OPEN = "open", _("registration open")
    CLOSED = "closed", _("registration closed")
    SEATED = "seated", _("seats allocated")
    SCORED = "scored", _("scored")
    PUBLISHED = "published", _("results published")


class Exam(BaseModel):
    """An examination: its posts, the paper's blueprint, fee, dates and marking threshold."""

    code = models.CharField(_("exam code"), max_length=20, unique=True)
    name = models.CharField(_("exam name"), max_length=200)
    district = models.CharField(_("district"), max_length=6)
    status = models.CharField(_("status"), max_length=10, choices=ExamStatus.choices, default=ExamStatus.DRAFT)
    fee = models.DecimalField(_("fee (yuan)"), max_digits=8, decimal_places=2)
    registration_opens = models.DateField(_("registration opens"))
    registration_closes = models.DateField(_("registration closes"))
    held_on = models.DateField(_("exam date"))
    # The sitting's hours on the exam date (local time), printed on the admission ticket.
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    # [{"kind", "tag", "difficulty", "count"}, ...]: the paper's questions, in order of the lines.
    blueprint = models.JSONField(_("blueprint"), default=list)
    # Two markers' scores of a written answer further apart than this go to a third marker.
    marking_threshold = models.DecimalField(_("marking difference threshold"), max_digits=5, decimal_places=1)
    sites = models.ManyToManyField("exams.Site", related_name="exams", blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("examination")
        verbose_name_plural = _("examinations")
        ordering = ("-held_on", "code")

    def __str__(self) -> str:
        return self.name


class Post(BaseModel):
    """A post recruited through the exam, with its eligibility rules."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="posts")
    code = models.CharField(_("post code"), max_length=20)
    name = models.CharField(_("post name"), max_length=200)
    hires = models.PositiveIntegerField(_("places"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=35)
    # Household registration in one of these districts (empty: any).
    districts = models.JSONField(_("household districts"), default=list, blank=True)
    # A certificate kind the candidate must hold, checked by number (hrss.core.exchange), or empty.
    certificate_kind = models.CharField(_("required certificate"), max_length=40, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("exams", "post")
        verbose_name_plural = pgettext_lazy("exams", "posts")
        ordering = ("exam", "code")
        constraints = [models.UniqueConstraint(fields=("exam", "code"), name="exams_post_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Paper(BaseModel):
    """The exam's paper: drawn from the bank by the blueprint with a recorded seed, then
    sealed: its questions are frozen (the versions drawn) and its SHA-256 recorded."""

    exam = models.OneToOneField(Exam, on_delete=models.CASCADE, related_name="paper")
    seed = models.BigIntegerField(_("seed"))
    items = models.JSONField(default=list)  # item ids (UUID strings) in paper order
    sealed_at = models.DateTimeField(_("sealed at"))
    sealed_by = models.CharField(max_length=150)
    sha256 = models.CharField(_("seal (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")


class Registration(BaseModel):
    class Status(models.TextChoices):
        REVIEW = "review", pgettext_lazy("exams", "awaiting review")
        REFUSED = "refused", pgettext_lazy("exams", "refused")
        PAYMENT = "payment", _("awaiting the fee")
        CONFIRMED = "confirmed", _("confirmed")

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="registrations")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REVIEW)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    eligibility = models.JSONField(default=list)  # [[check, passed, detail], ...] at registration
    reviewed_by = models.CharField(max_length=150, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ("exam", "created_at")
        constraints = [models.UniqueConstraint(fields=("exam", "person"), name="exams_one_registration")]
        indexes = [models.Index(fields=("exam", "status"), name="exams_reg_status")]


class FeeOrder(BaseModel):
    """The exam fee collected through a payment provider (``hrss.core.payments``)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("exams", "pending")
        PAID = "paid", _("paid")
        FAILED = "failed", pgettext_lazy("exams", "failed")

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="fee_orders")
    reference = models.CharField(max_length=32, unique=True)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    gateway = models.CharField(max_length=40)
    gateway_reference = models.CharField(max_length=64, blank=True)
    # Where the payer confirms with the provider: given again while the order is pending.
    redirect_url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)


class Site(BaseModel):
    """An examination site (考点) with its rooms."""

    code = models.CharField(_("site code"), max_length=20, unique=True)
    name = models.CharField(_("site name"), max_length=200)
    district = models.CharField(_("district"), max_length=6)
    address = models.CharField(_("address"), max_length=200)

    class Meta:
        verbose_name = _("exam site")
        verbose_name_plural = _("exam sites")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name


class Room(BaseModel):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="rooms")
    code = models.CharField(pgettext_lazy("exams", "room"), max_length=20)
    capacity = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        ordering = ("site", "code")
        constraints = [models.UniqueConstraint(fields=("site", "code"), name="exams_room_code")]


class Seat(BaseModel):
    """A confirmed candidate's seat and admission ticket number (准考证号)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="seat")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("seat"))
    ticket = models.CharField(_("admission ticket number"), max_length=24, unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("exam", "room", "number"), name="exams_seat_once")]


class AnswerSheet(BaseModel):
    """A candidate's objective answers as read from the answer sheet: one hex digit per
    objective question in paper order (the mask of the options marked; 0 left blank)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="sheet")
    answers = models.CharField(max_length=400)


class Script(BaseModel):
    """A candidate's written answer to one question, marked blind (markers see its code only)."""

    class Status(models.TextChoices):
        MARKING = "marking", _("being marked")
        THIRD = "third", _("with the third marker")
        FINAL = "final", _("marked")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="scripts")
    position = models.PositiveSmallIntegerField()  # the question's place in the paper (0-based)
    code = models.CharField(max_length=16, unique=True)  # what markers see
    text = EncryptedTextField(aad="exams.script.text")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.MARKING)
    final = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("registration", "position"), name="exams_script_once")]
        indexes = [models.Index(fields=("status",), name="exams_script_status")]


class Mark(BaseModel):
    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="marks")
    round = models.PositiveSmallIntegerField()  # 1, 2: blind double marking; 3: the third marker
    marker = models.CharField(max_length=150)
    score = models.DecimalField(max_digits=5, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("script", "round"), name="exams_mark_round"),
            models.UniqueConstraint(fields=("script", "marker"), name="exams_mark_marker"),
        ]


class Score(BaseModel):
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="score")
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    objective = models.DecimalField(_("objective"), max_digits=6, decimal_places=1)
    written = models.DecimalField(_("written"), max_digits=6, decimal_places=1)
    total = models.DecimalField(pgettext_lazy("exams", "total"), max_digits=6, decimal_places=1)
    rank = models.PositiveIntegerField(_("rank in post"))

    class Meta:
        indexes = [models.Index(fields=("post", "rank"), name="exams_score_rank")]


class Appeal(BaseModel):
    """A candidate's request to re-check the score (成绩复核), answered within the exam's rules."""

    class Status(models.TextChoices):
        OPEN = "open", _("being re-checked")
        UNCHANGED = "unchanged", _("score confirmed")
        CORRECTED = "corrected", _("score corrected")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="appeals")
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    total_before = models.DecimalField(max_digits=6, decimal_places=1)
    total_after = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
