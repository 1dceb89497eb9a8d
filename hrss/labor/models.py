"""Labour dispute arbitration cases (L1): the case from filing to award, and its history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel
from hrss.labor.case_models import ClaimType, Tribunal


class CaseStatus(models.TextChoices):
    FILED = "filed", _("filed, awaiting acceptance")
    ACCEPTED = "accepted", pgettext_lazy("labor", "accepted")
    REFUSED = "refused", _("refused")
    HEARING_SCHEDULED = "hearing_scheduled", _("hearing scheduled")
    HEARD = "heard", _("heard")
    AWARDED = "awarded", _("award issued")
    SETTLED = "settled", _("settled by mediation")


class AwardOutcome(models.TextChoices):
    UPHELD = "upheld", _("claims upheld")
    PARTLY_UPHELD = "partly_upheld", _("claims partly upheld")
    DISMISSED = "dismissed", _("claims dismissed")


class ClockState(models.TextChoices):
    ON_TIME = "on_time", _("on time")
    AT_RISK = "at_risk", _("at risk")
    OVERDUE = "overdue", _("overdue")
    STOPPED = "stopped", _("no running deadline")


# The statuses whose statutory clock is still running.
OPEN_STATUSES = (CaseStatus.FILED, CaseStatus.ACCEPTED, CaseStatus.HEARING_SCHEDULED, CaseStatus.HEARD)


class ArbitrationCase(BaseModel):
    """One application for labour dispute arbitration (劳动争议仲裁案件).

    It is filed through the service hall's item 劳动仲裁申请 (SH-ZC-001): ``reference`` is the
    hall application's reference, which is also the key that makes the hall's service tasks
    idempotent. ``due_on`` is the deadline of the step the case waits for (acceptance, then
    the award), ``clock`` where it stands, kept by the daily job ``labor.deadlines``.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="arbitration_cases")
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="arbitration_cases"
    )
    respondent_name = models.CharField(_("respondent"), max_length=200)
    district = models.ForeignKey("codes.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    claims = models.TextField(_("claims"))
    amount_claimed = models.DecimalField(_("amount claimed"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.FILED)
    received_on = models.DateField(_("received on"))
    acceptance_due = models.DateField(_("acceptance due"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    refusal_reasons = models.TextField(_("reasons for refusal"), blank=True)
    award_due = models.DateField(_("award due"), null=True, blank=True)
    extended = models.BooleanField(_("award period extended"), default=False)
    due_on = models.DateField(_("current deadline"), null=True, blank=True)
    clock = models.CharField(_("deadline state"), max_length=10, choices=ClockState.choices, default=ClockState.ON_TIME)
    arbitrator = models.CharField(_("arbitrator"), max_length=150, blank=True)
    hearing_at = models.DateTimeField(_("hearing at"), null=True, blank=True)
    hearing_room = models.CharField(_("hearing room"), max_length=40, blank=True)
    hearing_notified_on = models.DateField(_("hearing notice sent on"), null=True, blank=True)
    hearing_record = models.TextField(_("hearing record"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=AwardOutcome.choices, blank=True)
    amount_awarded = models.DecimalField(_("amount awarded"), max_digits=14, decimal_places=2, null=True, blank=True)
    award_text = models.TextField(_("award"), blank=True)
    final_award = models.BooleanField(_("final award"), default=False)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    # Panels, claim types and settlement (L1, 0012): who hears the case, what it is about for
    # the statistics, and the mediation statement (调解书) it may end in instead of an award.
    tribunal = models.CharField(_("tribunal"), max_length=10, choices=Tribunal.choices, default=Tribunal.SOLE)
    claim_type = models.CharField(_("claim type"), max_length=20, choices=ClaimType.choices, default=ClaimType.OTHER)
    settlement_text = models.TextField(_("settlement agreement"), blank=True)
    amount_settled = models.DecimalField(_("amount settled"), max_digits=14, decimal_places=2, null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("arbitration case")
        verbose_name_plural = _("arbitration cases")
        ordering = ["due_on", "reference"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["person", "received_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing_room", "hearing_at"],
                condition=models.Q(hearing_at__isnull=False),
                name="labor_case_room_slot_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(models.Model):
    """One step of a case's history: who did what, when (shown to both parties)."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(ArbitrationCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    actor = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class ArbitratorKind(models.TextChoices):
    FULL_TIME = "full_time", _("full-time arbitrator")
    PART_TIME = "part_time", _("part-time arbitrator")


class Arbitrator(BaseModel):
    """One arbitrator on the commission's roster (仲裁员名册), with their qualification.

    ``username`` is the staff account that acts as the arbitrator (the case's ``arbitrator``
    and ``Scope.actor``). New cases are assigned to active arbitrators by load and district
    (``rules.choose_arbitrator``); ``capacity`` is how many open cases one may hold at once.
    The roster is kept in the back office (``hrss/labor/admin.py``).
    """

    username = models.CharField(_("staff account"), max_length=150, unique=True)
    name = models.CharField(pgettext_lazy("labor", "name"), max_length=100)
    kind = models.CharField(
        _("arbitrator kind"), max_length=10, choices=ArbitratorKind.choices, default=ArbitratorKind.FULL_TIME
    )
    district = models.ForeignKey(
        "codes.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    qualification = models.CharField(_("qualification certificate"), max_length=60)
    qualified_on = models.DateField(_("qualified on"))
    capacity = models.PositiveSmallIntegerField(_("open cases at most"), default=30)
    active = models.BooleanField(_("on the roster"), default=True)

    class Meta:
        verbose_name = _("arbitrator")
        verbose_name_plural = _("arbitrators")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.name} ({self.username})"


class RecusalSource(models.TextChoices):
    PARTY = "party", _("requested by a party")
    ARBITRATOR = "arbitrator", _("the arbitrator's own")


class Recusal(models.Model):
    """An arbitrator withdrawn from a case (回避, 劳动争议调解仲裁法 第33条), with the reasons.
    A recused arbitrator is never assigned to the case again."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(ArbitrationCase, on_delete=models.CASCADE, related_name="recusals")
    arbitrator = models.CharField(_("arbitrator"), max_length=150)
    source = models.CharField(_("requested by"), max_length=10, choices=RecusalSource.choices)
    reason = models.TextField(_("reasons"))
    decided_by = models.CharField(_("decided by"), max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "arbitrator"], name="labor_recusal_once")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.arbitrator}"


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("enterprise labour dispute mediation committee")
    GRASSROOTS = "grassroots", _("grassroots people's mediation organisation")
    STREET = "street", _("township or street labour dispute mediation organisation")


class MediationOrganisation(BaseModel):
    """A labour dispute mediation organisation (劳动争议调解组织, 劳动争议调解仲裁法 第10条)
    where a worker may apply for mediation before arbitration. Kept in the back office."""

    name = models.CharField(pgettext_lazy("labor", "name"), max_length=200, unique=True)
    kind = models.CharField(_("organisation kind"), max_length=12, choices=OrganisationKind.choices)
    district = models.ForeignKey(
        "codes.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("taking applications"), default=True)

    class Meta:
        verbose_name = _("mediation organisation")
        verbose_name_plural = _("mediation organisations")
        ordering = ["district", "name"]

    def __str__(self) -> str:
        return self.name


class MediationStatus(models.TextChoices):
    OPEN = "open", _("in mediation")
    AGREED = "agreed", _("agreement reached")
    FAILED = "failed", _("no agreement")


class Mediation(BaseModel):
    """A worker's application for mediation before arbitration (调解申请). ``due_on`` is the
    end of the statutory mediation period (15 days, 第14条): with no agreement by then, or
    once the mediation has failed, the worker may apply for arbitration."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="mediations")
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="mediations"
    )
    respondent_name = models.CharField(_("respondent"), max_length=200)
    organisation = models.ForeignKey(
        MediationOrganisation, on_delete=models.PROTECT, related_name="mediations", verbose_name=_("organisation")
    )
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    claims = models.TextField(_("claims"))
    amount_claimed = models.DecimalField(_("amount claimed"), max_digits=14, decimal_places=2, null=True, blank=True)
    applied_on = models.DateField(_("applied on"))
    due_on = models.DateField(_("mediation period ends"))
    status = models.CharField(_("status"), max_length=10, choices=MediationStatus.choices, default=MediationStatus.OPEN)
    mediator = models.CharField(_("mediator"), max_length=150, blank=True)
    agreement = models.TextField(_("mediation agreement"), blank=True)
    amount_agreed = models.DecimalField(_("amount agreed"), max_digits=14, decimal_places=2, null=True, blank=True)
    failure_reason = models.TextField(_("why no agreement was reached"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        ordering = ["due_on", "reference"]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["person", "applied_on"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "idempotency_key"], name="labor_mediation_idempotent"),
        ]

    def __str__(self) -> str:
        return self.reference


class SessionMode(models.TextChoices):
    ONLINE = "online", _("online (video)")
    IN_PERSON = "in_person", _("in person")


class MediationSession(models.Model):
    """One mediation session, online or in person, and what was said."""

    id = models.BigAutoField(primary_key=True)
    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("held at"))
    mode = models.CharField(_("mode"), max_length=10, choices=SessionMode.choices)
    mediator = models.CharField(_("mediator"), max_length=150)
    note = models.TextField(_("record"))

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.held_at:%Y-%m-%d %H:%M}"


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("complaint (a worker's own rights)")
    REPORT = "report", _("report (a violation against others)")


class ComplaintChannel(models.TextChoices):
    WEB = "web", _("online")
    HOTLINE = "12333", _("12333 hotline")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit")


class LeadStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("labor", "open")
    CLOSED = "closed", _("closed")


class InspectionLead(BaseModel):
    """An employer for labour inspection to look at (监察线索): one open lead per employer, which
    complaints about it join. ``reasons`` says what opened and fed it."""

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="inspection_leads")
    district = models.ForeignKey("codes.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=LeadStatus.choices, default=LeadStatus.OPEN)
    opened_on = models.DateField(_("opened on"))
    reasons = models.JSONField(_("reasons"), default=list)
    # How the inspection ended (L3): ``result`` is one of ``LeadResult``.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, blank=True)
    result_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("inspection lead")
        verbose_name_plural = _("inspection leads")
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer"], condition=models.Q(status="open"), name="labor_lead_one_open_per_employer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.opened_on}"


class Complaint(BaseModel):
    """A labour inspection complaint or report about an employer (劳动保障监察投诉举报), online
    or recorded by staff from the 12333 hotline, a letter or a visit. It joins the employer's
    open inspection lead, and is due to be accepted within the statutory working days."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    kind = models.CharField(_("complaint or report"), max_length=10, choices=ComplaintKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=ComplaintChannel.choices)
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="labour_complaints"
    )
    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="labour_complaints")
    district = models.ForeignKey("codes.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("content"))
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("acceptance due"))
    lead = models.ForeignKey(InspectionLead, on_delete=models.PROTECT, related_name="complaints")
    # The register's unit that holds it, and the complaint it was merged into (L2).
    unit = models.ForeignKey("labor.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    recorded_by = models.CharField(max_length=150)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "reference"]
        indexes = [models.Index(fields=["employer", "received_on"])]
        constraints = [
            models.UniqueConstraint(fields=["recorded_by", "idempotency_key"], name="labor_complaint_idempotent"),
        ]

    def __str__(self) -> str:
        return self.reference


class InspectionPlan(BaseModel):
    """A random inspection plan (双随机一公开): employers of a district and the inspectors who
    go to each, drawn at random from ``seed``. The pool is recorded (its size and a digest of
    the credit codes and usernames in the order drawn from), so the draw can be replayed and
    shown to be the one the seed gives."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    seed = models.BigIntegerField(_("random seed"))
    sample_size = models.PositiveIntegerField(_("employers drawn"))
    inspectors_per_employer = models.PositiveSmallIntegerField(_("inspectors per employer"), default=2)
    pool_employers = models.PositiveIntegerField()
    pool_inspectors = models.PositiveIntegerField()
    pool_digest = models.CharField(max_length=64)
    drawn_on = models.DateField(_("drawn on"))
    drawn_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("random inspection plan")
        verbose_name_plural = _("random inspection plans")
        ordering = ["-drawn_on", "reference"]

    def __str__(self) -> str:
        return self.reference


class PlanItemStatus(models.TextChoices):
    DRAWN = "drawn", _("drawn")
    DISPATCHED = "dispatched", _("dispatched")
    INSPECTED = "inspected", _("inspected")


class InspectionPlanItem(models.Model):
    """One employer drawn in a plan, the inspectors drawn for it, and what they found."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    inspectors = models.JSONField(_("inspectors"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=PlanItemStatus.choices, default=PlanItemStatus.DRAWN)
    lead = models.ForeignKey(InspectionLead, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("findings"), blank=True)
    violation = models.BooleanField(_("violation found"), null=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)

    class Meta:
        verbose_name = _("random inspection plan item")
        verbose_name_plural = _("random inspection plan items")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="labor_plan_item_position")]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.position}"


# The rights-protection register's petitions, fraud cases, units and transfers (L2).
# The inspection's findings, rectification orders and penalties, and a lead's history (L3).
from hrss.labor.inspection_models import (  # noqa: E402
    OPEN_ORDER_STATUSES,
    Finding,
    FindingPhoto,
    InspectionEvent,
    LeadResult,
    OrderStatus,
    RectificationOrder,
)
from hrss.labor.register_models import (  # noqa: E402
    FraudCase,
    FraudKind,
    FraudSource,
    FraudStatus,
    Petition,
    PetitionChannel,
    PetitionStatus,
    RegisterEvent,
    Transfer,
    Unit,
    UnitKind,
)

__all__ = [
    "OPEN_ORDER_STATUSES",
    "Finding",
    "FindingPhoto",
    "FraudCase",
    "FraudKind",
    "FraudSource",
    "FraudStatus",
    "InspectionEvent",
    "LeadResult",
    "OrderStatus",
    "Petition",
    "PetitionChannel",
    "PetitionStatus",
    "RectificationOrder",
    "RegisterEvent",
    "Transfer",
    "Unit",
    "UnitKind",
]

# Evidence, the applicant's signature, panel seats, claim types and tribunals (L1).
from hrss.labor.case_models import CaseEvidence, CaseSignature, PanelSeat  # noqa: E402, F401

# Employment filing: labour contracts recorded by employers (用工备案, L3).
from hrss.labor.filing_models import (  # noqa: E402, F401
    ConstructionProject,
    ContractType,
    LabourContract,
    ProjectWorker,
    WageAccountEntry,
)
