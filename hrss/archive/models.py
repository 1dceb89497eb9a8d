"""Certificates issued from data (B2). The dossier itself stores nothing: it is read from the
apps that own each record (``hrss.core.dossier``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel


class CertificateStatus(models.TextChoices):
    CURRENT = "current", pgettext_lazy("archive", "current")
    SUPERSEDED = "superseded", _("superseded")
    REVOKED = "revoked", _("revoked")


class IssuedCertificate(BaseModel):
    """One certificate the bureau issued: the signed PDF (through Django storage), its SHA-256,
    and what the public verification shows. Issuing the same content for the same record on
    the same day gives back the same certificate; issuing changed content supersedes the
    holder's earlier certificate of that record."""

    code = models.CharField(_("verification code"), max_length=16, unique=True)
    number = models.CharField(pgettext_lazy("archive", "certificate number"), max_length=32, unique=True)
    kind = models.CharField(_("certificate kind"), max_length=40)
    ref = models.CharField(_("record"), max_length=64, blank=True)
    title = models.CharField(pgettext_lazy("archive", "title"), max_length=100)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(pgettext_lazy("archive", "issued on"))
    issued_at = models.DateTimeField(pgettext_lazy("archive", "issued at"))
    issued_by = models.CharField(pgettext_lazy("archive", "issued by"), max_length=150)
    content_sha256 = models.CharField(max_length=64)
    file = models.FileField(_("file"), upload_to="archive/certificates/%Y/%m/", max_length=200)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    summary = models.JSONField(_("summary"), default=list)  # [[label, value], ...], masked
    status = models.CharField(
        _("status"), max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.CURRENT
    )
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("issued certificate")
        verbose_name_plural = _("issued certificates")
        ordering = ("-issued_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("person", "kind", "ref", "issued_on", "content_sha256"), name="archive_certificate_once_a_day"
            )
        ]
        indexes = [models.Index(fields=("person", "kind", "ref", "status"), name="archive_cert_record")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class DocumentType(models.TextChoices):
    """Kinds of paper record in a person's file (人事/社保档案) that are digitised."""

    RECRUITMENT = "recruitment", _("recruitment approval (招工录用审批表)")
    CONTRACT = "contract", _("labour contract")
    WAGE = "wage", _("wage adjustment approval")
    ENROLMENT = "enrolment", _("social insurance enrolment form")
    RETIREMENT = "retirement", _("retirement approval")
    TRAINING = "training", _("training and qualification record")
    DISPUTE = "dispute", _("dispute and award record")
    OTHER = "other", _("other record")


class ScannedDocument(BaseModel):
    """A digitised paper record of a person: the scan (PDF, JPEG, PNG or TIFF, through Django
    storage), what it is, the day on the paper, its pages as counted from the file, and its
    SHA-256, which identifies it: the same scan of the same person is kept once."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(_("document type"), max_length=16, choices=DocumentType.choices)
    title = models.CharField(pgettext_lazy("archive", "title"), max_length=200)
    doc_date = models.DateField(_("date on the document"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    file = models.FileField(_("file"), upload_to="archive/scans/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    source = models.CharField(
        pgettext_lazy("archive", "source"), max_length=120
    )  # "counter" or the manifest it came with
    uploaded_by = models.CharField(_("uploaded by"), max_length=150)

    class Meta:
        verbose_name = _("scanned document")
        verbose_name_plural = _("scanned documents")
        ordering = ("-doc_date", "title")
        constraints = [models.UniqueConstraint(fields=("person", "sha256"), name="archive_scan_once_per_person")]

    def __str__(self) -> str:
        return self.title
