"""Service hall tables: the catalogue (事项清单), process versions, applications, work items.

The workflow state of an application is SpiffWorkflow's serialised JSON, kept on the
application row; work items mirror the workflow's ready user tasks so that queues,
dispatch and escalation are plain indexed queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel
from hrss.servicehall import rules


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    EMPLOYER = "employer", pgettext_lazy("servicehall", "employer")


class Channel(models.TextChoices):
    WEB = "web", pgettext_lazy("servicehall", "web service hall")
    APP = "app", pgettext_lazy("servicehall", "mobile app")
    WECHAT = "wechat", _("WeChat")
    SMS = "sms", _("SMS")
    KIOSK = "kiosk", _("self-service kiosk")
    COUNTER = "counter", _("service counter")
    HOTLINE = "hotline", pgettext_lazy("servicehall", "12333 hotline")


class Decision(models.TextChoices):
    """A staff member's decision on a step (the values are ``rules.DECISIONS``)."""

    APPROVE = "approve", pgettext_lazy("decision", "approved")
    REJECT = "reject", pgettext_lazy("decision", "rejected")
    SUPPLEMENT = "supplement", pgettext_lazy("decision", "supplement requested")


# What people read for the risk flags ``rules.risk_flags`` raises (the codes stay in the API).
RISK_FLAG_LABELS = {
    "applicant_not_active": _("the applicant is not an active resident in the registry"),
    "duplicate_open_application": _("another application for this service is open"),
    "repeatedly_rejected": _("rejected repeatedly within the last year"),
    "phone_differs_from_registry": _("the phone number differs from the registry"),
    "poor_credit": _("poor credit class"),
}

# The lanes of the hall's processes, as people call them.
ROLE_LABELS = {
    "applicant": _("applicant"),
    "counter_clerk": _("counter clerk"),
    "reviewer": pgettext_lazy("servicehall", "reviewer"),
    "approver": _("approver"),
}


class OnlineLevel(models.IntegerChoices):
    """How far an item can be done online (the usual four-star 网办深度 scale)."""

    INFORMATION = 1, _("information online only")
    FORMS = 2, _("forms online, handled at the counter")
    APPLY = 3, _("applied online, one visit to collect")
    FULL = 4, _("handled fully online (zero visits)")


class ServiceItem(BaseModel):
    """One service in the catalogue, with everything X2 says must be published."""

    code = models.CharField(_("item code"), max_length=40, unique=True)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=200)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary_zh_hans = models.TextField(_("summary (Simplified Chinese)"), blank=True)
    summary_zh_hant = models.TextField(_("summary (Traditional Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    zh_hant_reviewed = models.BooleanField(
        _("Traditional Chinese reviewed"),
        default=False,
        help_text=_("generated from the Simplified text with OpenCC until a person reviews it"),
    )
    category = models.CharField(_("category"), max_length=40, help_text=_("used to match staff skills"))
    department = models.CharField(_("owning department"), max_length=200)
    legal_basis = models.TextField(pgettext_lazy("servicehall", "legal basis"))
    time_limit_workdays = models.PositiveSmallIntegerField(_("statutory time limit (working days)"))
    promised_workdays = models.PositiveSmallIntegerField(_("promised time limit (working days)"), null=True, blank=True)
    materials = models.JSONField(
        _("required materials"), default=list, blank=True, help_text=_('[{"code", "name", "required", "note"}]')
    )
    fees = models.CharField(_("fees"), max_length=200, default="免费")
    channels = models.JSONField(_("channels"), default=list)
    # Where an applicant can follow an application once made (A1's channel parity: the test
    # walks every item through every channel it claims, to start and to track).
    tracking_channels = models.JSONField(_("tracking channels"), default=list)
    online_level = models.PositiveSmallIntegerField(_("online level"), choices=OnlineLevel.choices)
    applicant_type = models.CharField(_("applicant type"), max_length=10, choices=ApplicantType.choices)
    form = models.JSONField(
        _("form definition"),
        default=list,
        blank=True,
        help_text=_('[{"name", "label": {lang: text}, "type", "required", "prefill", "choices"}]'),
    )
    process_key = models.CharField(_("BPMN process id"), max_length=100)
    # 职责分离: a staff member who acted on one review tier (受理, 初审, 复审, 审批) of an
    # application may not act on another tier of the same application.
    separation_of_duties = models.BooleanField(
        _("separation of duties"),
        default=True,
        help_text=_("one staff member may act on at most one review tier of an application"),
    )
    # A second application while one is open is refused at submission (the applicant is told
    # which one is open); items where several may run at once (arbitration claims against
    # different employers) turn this off.
    one_open_application = models.BooleanField(
        _("one open application per applicant"),
        default=True,
        help_text=_("refuse a new application while the applicant has one of this item open"),
    )
    owning_app = models.CharField(_("owning domain app"), max_length=40, blank=True)
    active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh_hans}"

    def _localized(self, stem: str) -> str:
        language = (translation.get_language() or "zh-hans").lower()
        if language.startswith("en"):
            value = getattr(self, f"{stem}_en")
        elif language in ("zh-hant", "zh-tw", "zh-hk"):
            value = getattr(self, f"{stem}_zh_hant")
        else:
            value = ""
        return value or getattr(self, f"{stem}_zh_hans")

    @property
    def name(self) -> str:
        return self._localized("name")

    @property
    def summary(self) -> str:
        return self._localized("summary")

    @property
    def instant(self) -> bool:
        """An instant item (即办件) has a zero time limit and no review."""
        return self.time_limit_workdays == 0

    @property
    def promised_limit_workdays(self) -> int:
        """The time limit promised to applicants (承诺时限): the item's promise when it makes one
        shorter than the statutory limit (法定时限), else the statutory limit."""
        if self.promised_workdays is not None and self.promised_workdays < self.time_limit_workdays:
            return self.promised_workdays
        return self.time_limit_workdays


class ProcessDefinition(BaseModel):
    """One validated version of a BPMN process; the newest active version is used for new applications."""

    class Source(models.TextChoices):
        FILE = "file", _("shipped file")
        UPLOAD = "upload", _("uploaded by an administrator")

    process_key = models.CharField(max_length=100, db_index=True)
    version = models.PositiveIntegerField()
    bpmn_xml = models.TextField()
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=Source.choices)
    filename = models.CharField(max_length=200, blank=True)
    loaded_by = models.CharField(max_length=150, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["process_key", "-version"]
        constraints = [models.UniqueConstraint(fields=["process_key", "version"], name="process_unique_version")]
        verbose_name = _("process definition")
        verbose_name_plural = _("process definitions")

    def __str__(self) -> str:
        return f"{self.process_key} v{self.version}"


class Application(BaseModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted, waiting to be accepted")
        IN_PROGRESS = "in_progress", _("being handled")
        SUPPLEMENT = "supplement", _("more material needed")
        APPROVED = "approved", pgettext_lazy("servicehall", "approved")
        REJECTED = "rejected", _("not approved")
        WITHDRAWN = "withdrawn", pgettext_lazy("servicehall", "withdrawn")

    OPEN_STATUSES = (Status.SUBMITTED, Status.IN_PROGRESS, Status.SUPPLEMENT)

    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="applications")
    process = models.ForeignKey(ProcessDefinition, on_delete=models.PROTECT, related_name="applications")
    applicant_person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant_employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The district that owns the application for data scoping (residence of the person,
    # or the employer's district); the accepting office may be any office (全城通办).
    district = models.ForeignKey("codes.District", null=True, on_delete=models.PROTECT, related_name="+")
    accepted_office = models.CharField(_("accepting office (district code)"), max_length=12, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100)
    payload_hash = models.CharField(max_length=64)
    form_data = models.JSONField(default=dict, blank=True)
    # What gateways read besides the form: amount, credit class, risk flags.
    risk_flags = models.JSONField(default=list, blank=True)
    credit_class = models.CharField(max_length=4, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    # SpiffWorkflow's serialised JSON, kept as text: PostgreSQL's jsonb reorders keys, and
    # the serialised task tree must come back exactly as it was written.
    workflow_state = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    deadline = models.DateField(_("statutory deadline"), null=True, blank=True)
    # The date the hall promised the applicant (承诺时限), no later than the statutory
    # deadline (法定时限); the same as the deadline for an item that promises nothing shorter.
    promised_by = models.DateField(_("promised completion date"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decision_reasons = models.TextField(blank=True)
    result = models.JSONField(_("result recorded by the handling step"), default=dict, blank=True)
    visits = models.PositiveSmallIntegerField(_("visits to an office"), default=0)
    overdue = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["submitted_by", "idempotency_key"], name="application_idempotent_submit"),
        ]
        indexes = [
            models.Index(fields=["district", "status"]),
            models.Index(fields=["applicant_person", "status"]),
            models.Index(fields=["applicant_employer", "status"]),
            models.Index(fields=["item", "status"]),
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def answer_due(self) -> dt.date | None:
        """The date the applicant is told to expect an answer by: the promised date (承诺时限),
        or the statutory deadline for an application made before promises were recorded."""
        return self.promised_by or self.deadline

    @property
    def fast_track(self) -> bool:
        """绿色通道 (A7): good credit and no risk flag, so its work comes first in staff queues."""
        return rules.on_fast_track(self.credit_class, self.risk_flags)

    @property
    def risk_flag_labels(self) -> list[str]:
        return [str(RISK_FLAG_LABELS.get(flag, flag)) for flag in self.risk_flags]

    def gateway_data(self) -> dict[str, Any]:
        return {
            "amount": float(self.amount),
            "credit_class": self.credit_class or None,
            "risk_flags": list(self.risk_flags),
            "channel": self.channel,
            "applicant_type": self.item.applicant_type,
            "item_code": self.item.code,
        }


class WorkItem(BaseModel):
    """A ready user task of an application's workflow (受理, 初审, 复审, 审批, or the applicant's 补正)."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("servicehall", "open")
        DONE = "done", _("done")
        CANCELLED = "cancelled", pgettext_lazy("servicehall", "cancelled")

    APPLICANT_ROLE = "applicant"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="work_items")
    task_id = models.CharField(max_length=40, help_text=_("SpiffWorkflow task id"))
    step = models.CharField(max_length=60, help_text=_("BPMN element id, e.g. accept, first_review"))
    step_name = models.CharField(max_length=100)
    role = models.CharField(max_length=40, help_text=_("BPMN lane: the role that does this step"))
    district = models.ForeignKey("codes.District", null=True, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="servicehall_work"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    due_date = models.DateField()
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.CharField(max_length=150, blank=True)
    decision = models.CharField(max_length=20, blank=True, choices=Decision.choices)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [
            models.Index(fields=["state", "role", "district"]),
            models.Index(fields=["assignee", "state"]),
            models.Index(fields=["state", "due_date"]),
        ]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")

    def __str__(self) -> str:
        return f"{self.application.reference} {self.step}"

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))


class SupplementRequest(BaseModel):
    """补正: what is missing, sent back to the applicant, and their answer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="supplements")
    requested_by = models.CharField(max_length=150)
    requested_at_step = models.CharField(max_length=60)
    missing_materials = models.JSONField(default=list, blank=True)
    message = models.TextField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")


class Material(BaseModel):
    """An uploaded document, identified by its SHA-256 content hash."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=60)
    file = models.FileField(upload_to="servicehall/%Y/%m/")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.CharField(max_length=150)
    supplement = models.ForeignKey(
        SupplementRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="materials"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "sha256"], name="material_unique_content"),
        ]
        verbose_name = _("material")
        verbose_name_plural = _("materials")


class ApplicationLog(BaseModel):
    """The application's timeline; entries visible to the applicant are their messages."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="log")
    step = models.CharField(max_length=60)
    message = models.TextField()
    actor = models.CharField(max_length=150)
    visible_to_applicant = models.BooleanField(default=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("application log entry")
        verbose_name_plural = _("application log entries")


class StaffProfile(BaseModel):
    """Dispatch facts about a staff member: skills, on duty, fairness stamp (智能任务调度)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="servicehall_profile")
    skills = models.JSONField(
        default=list,
        blank=True,
        help_text=_("item codes or categories this person handles; empty means every item (综合柜员)"),
    )
    on_duty = models.BooleanField(default=True)
    capacity = models.PositiveSmallIntegerField(default=20, help_text=_("open work items before dispatch skips them"))
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    supervisor = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("staff dispatch profile")
        verbose_name_plural = _("staff dispatch profiles")

    def __str__(self) -> str:
        return str(self.user)


class WechatSubscription(BaseModel):
    """A WeChat follower who proved they know an application (reference + ID tail) and hears about its steps."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="wechat_subscriptions")
    openid = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "openid"], name="wechat_subscription_unique"),
        ]
        verbose_name = _("WeChat subscription")
        verbose_name_plural = _("WeChat subscriptions")
