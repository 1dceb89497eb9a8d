"""The 12333 knowledge base (A1): articles and question-and-answer pairs about the bureau's
policies and services, each citing the service items and policy parameters it rests on, so
that a change of a cited figure sends the article back to review."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from hrss.core.crypto import EncryptedTextField
from hrss.core.models import BaseModel


class Article(BaseModel):
    """One answer of the knowledge base, in Simplified Chinese (the hotline's language).

    Every saved change is a version (``history``); ``version`` counts the published ones."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("article")
        QA = "qa", _("question and answer")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PENDING = "pending", _("awaiting review")
        PUBLISHED = "published", _("published")
        # Published, but a cited policy figure changed since: still answered, flagged.
        REVIEW = "review", _("to be reviewed again")
        RETIRED = "retired", pgettext_lazy("hotline", "retired")

    class Origin(models.TextChoices):
        GENERATED = "generated", _("generated from the catalogue and the policy tables")
        STAFF = "staff", _("written by staff")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    title = models.CharField(pgettext_lazy("hotline", "title"), max_length=200)
    question = models.CharField(_("question"), max_length=300, blank=True)
    body = models.TextField(_("body"))
    # A page that does what the article explains (the pension calculator, an item's page).
    link = models.CharField(_("link"), max_length=300, blank=True)
    items = models.ManyToManyField("servicehall.ServiceItem", blank=True, related_name="+", verbose_name=_("items"))
    # Names of the policy parameters (hrss.codes.PolicyParameter.name) the text rests on.
    parameters = models.JSONField(_("cited policy parameters"), default=list, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_reason = models.CharField(_("why it is to be reviewed"), max_length=300, blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.STAFF)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    version = models.PositiveIntegerField(_("published version"), default=0)
    # Who wrote the text under review and who published it (the scope's actor names).
    author = models.CharField(_("author"), max_length=150, blank=True)
    reviewer = models.CharField(_("reviewer"), max_length=150, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("knowledge base article")
        verbose_name_plural = _("knowledge base articles")
        ordering = ("code",)
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="hotline_article_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Ticket(BaseModel):
    """One contact with the hotline (a call, or a message on another channel): what the caller
    asked or reported, what they were told, and — for what the call could not settle — the
    unit it went to, with its deadline, its call-back and its quality check."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("consultation")
        COMPLAINT = "complaint", pgettext_lazy("hotline", "complaint")
        REPORT = "report", _("report of a violation")
        PETITION = "petition", _("petition (信访)")

    class Status(models.TextChoices):
        ANSWERED = "answered", _("answered on the call")
        ROUTED = "routed", _("sent to a unit")
        RESOLVED = "resolved", _("resolved by the unit")

    reference = models.CharField(pgettext_lazy("hotline", "reference"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=10, default="hotline")
    kind = models.CharField(_("kind of contact"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20)
    # The caller: a registry person when identified, else only the number they called from.
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    caller_phone = EncryptedTextField(_("caller's phone"), blank=True, default="")
    # A complaint or report about an employer names it (credit code checked at the edge).
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("what the caller said"))
    answer = models.TextField(_("what the caller was told"), blank=True)
    articles = models.ManyToManyField(Article, blank=True, related_name="+", verbose_name=_("articles used"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    first_contact_resolved = models.BooleanField(_("resolved on first contact"), default=False)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # The same complaint in another app's register (labour: the rights-protection register).
    linked_reference = models.CharField(_("register reference"), max_length=30, blank=True)
    resolution = models.TextField(_("the unit's answer"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True)
    callback_due = models.DateField(_("call back by"), null=True, blank=True)
    callback_done_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    callback_note = models.TextField(_("call-back note"), blank=True)
    sampled_on = models.DateField(_("sampled for quality on"), null=True, blank=True)
    quality_score = models.PositiveSmallIntegerField(_("quality score"), null=True, blank=True)
    quality_note = models.TextField(_("quality note"), blank=True)
    agent = models.CharField(_("agent"), max_length=150)
    # A retried request (the desk's form posted twice, an API client's retry) is the same ticket.
    idempotency_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("hotline ticket")
        verbose_name_plural = _("hotline tickets")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "idempotency_key"], condition=~Q(idempotency_key=""), name="hotline_ticket_retry"
            ),
            models.CheckConstraint(
                condition=Q(quality_score__isnull=True) | Q(quality_score__gte=1, quality_score__lte=5),
                name="hotline_ticket_quality_range",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="hotline_ticket_open"),
            models.Index(fields=["unit", "status"], name="hotline_ticket_unit"),
            models.Index(fields=["created_at"], name="hotline_ticket_created"),
        ]

    def __str__(self) -> str:
        return self.reference
