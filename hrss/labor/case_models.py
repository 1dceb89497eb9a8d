"""What an arbitration case carries beyond its record (L1): the parties' evidence files, the
applicant's signature on the application, and the seats of a three-member panel (仲裁庭).
Imported by ``models.py``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tribunal(models.TextChoices):
    SOLE = "sole", _("sole arbitrator")
    PANEL = "panel", _("panel of three arbitrators")


class ClaimType(models.TextChoices):
    WAGES = "wages", _("wages owed")
    COMPENSATION = "compensation", _("severance or compensation")
    SOCIAL_INSURANCE = "social_insurance", _("social insurance")
    RELATIONSHIP = "relationship", _("confirming the employment relationship")
    OTHER = "other", _("other claims")


class CaseEvidence(models.Model):
    """An evidence file a party or the commission's staff attached to a case (证据材料), kept
    with its SHA-256 (the same file once per case)."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey("labor.ArbitrationCase", on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="labor/evidence/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("what it shows"), max_length=200, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "sha256"], name="labor_evidence_once")]

    def __str__(self) -> str:
        return self.sha256[:16]


class CaseSignature(models.Model):
    """The applicant's online signature confirming the application (申请人签名确认): who signed,
    when, and the SHA-256 of the case's filed content at that moment (``rules.filed_content``)."""

    id = models.BigAutoField(primary_key=True)
    case = models.OneToOneField("labor.ArbitrationCase", on_delete=models.CASCADE, related_name="signature")
    signer = models.CharField(_("signed by"), max_length=150)
    signed_at = models.DateTimeField(_("signed at"))
    content_sha256 = models.CharField(_("SHA-256 of the filed content"), max_length=64)

    class Meta:
        verbose_name = _("applicant's signature")
        verbose_name_plural = _("applicants' signatures")

    def __str__(self) -> str:
        return f"{self.case_id} {self.content_sha256[:16]}"


class PanelSeat(models.Model):
    """One of the two members who sit with the chief arbitrator (the case's ``arbitrator``) on a
    panel of three (劳动争议调解仲裁法 第31条). A recused member's seat is given to the next
    choice; the seat keeps its position."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey("labor.ArbitrationCase", on_delete=models.CASCADE, related_name="panel_seats")
    position = models.PositiveSmallIntegerField()
    arbitrator = models.CharField(_("arbitrator"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("panel seat")
        verbose_name_plural = _("panel seats")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="labor_panel_seat_position")]
        indexes = [models.Index(fields=["arbitrator"])]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.position}"
