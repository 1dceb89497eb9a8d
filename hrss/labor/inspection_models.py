"""Labour inspection's follow-through on a lead (L3): the inspector's findings with their
photos, rectification orders (责令改正/限期整改) and the administrative penalty (行政处罚) an
order not complied with is escalated to, and the lead's history. Imported by ``models.py``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel


class LeadResult(models.TextChoices):
    NO_VIOLATION = "no_violation", _("no violation found")
    RECTIFIED = "rectified", _("ordered to rectify, rectified")
    PENALISED = "penalised", _("administrative penalty imposed")


class Finding(BaseModel):
    """What an inspector found at the employer, recorded against its lead (检查记录)."""

    lead = models.ForeignKey("labor.InspectionLead", on_delete=models.PROTECT, related_name="findings")
    found_on = models.DateField(_("found on"))
    text = models.TextField(_("findings"))
    violation = models.BooleanField(_("violation found"))
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["found_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.found_on}"


class FindingPhoto(models.Model):
    """A photo taken at the inspection, kept with its SHA-256 (the same photo once per finding)."""

    id = models.BigAutoField(primary_key=True)
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="labor/inspection/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["finding", "sha256"], name="labor_finding_photo_once")]

    def __str__(self) -> str:
        return self.sha256[:16]


class OrderStatus(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("rectification order", "issued")
    COMPLIED = "complied", _("complied with")
    OVERDUE = "overdue", pgettext_lazy("rectification order", "overdue")
    PENALISED = "penalised", _("escalated to a penalty")


# The orders still waiting for the employer.
OPEN_ORDER_STATUSES = (OrderStatus.ISSUED, OrderStatus.OVERDUE)


class RectificationOrder(BaseModel):
    """An order to the employer to put a violation right by ``due_on`` (限期整改指令书). Complied
    with, or overdue and then escalated to an administrative penalty (amount and its basis)."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    lead = models.ForeignKey("labor.InspectionLead", on_delete=models.PROTECT, related_name="orders")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="orders")
    requirement = models.TextField(_("what the employer must do"))
    issued_on = models.DateField(pgettext_lazy("rectification order", "issued on"))
    due_on = models.DateField(_("rectify by"))
    basis = models.CharField(_("legal basis"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.ISSUED)
    issued_by = models.CharField(max_length=150)
    complied_on = models.DateField(_("complied on"), null=True, blank=True)
    compliance_note = models.TextField(_("how the employer complied"), blank=True)
    penalty_amount = models.DecimalField(_("fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    penalty_basis = models.TextField(_("basis of the penalty"), blank=True)
    penalised_on = models.DateField(_("penalty decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["due_on", "reference"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.reference


class InspectionEvent(models.Model):
    """One step of a lead's history: a finding, an order issued, complied with, overdue,
    penalised, the lead closed."""

    id = models.BigAutoField(primary_key=True)
    lead = models.ForeignKey("labor.InspectionLead", on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    actor = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("inspection event")
        verbose_name_plural = _("inspection events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.action}"
