"""The exchange's own records: consent codes a person gives a department for their history
(S7), and every answer given to another department, signed, so that the person sees who
asked and the bureau can show what it said."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel


class Consent(BaseModel):
    """A code a person gives a department so that it may read their employment and insurance
    history once it shows it, for a stated purpose, until it expires or the person revokes it.
    The first department system that presents it is the only one it admits afterwards, and
    every answer carries the purpose the person consented to. Only the code's hash is kept.

    ``use`` says what the code opens: the employment and insurance history a department reads
    (S7), or the medical settlements a designated medical institution reads (S4) — a code made
    for one never opens the other."""

    class Use(models.TextChoices):
        HISTORY = "history", _("employment and insurance history, for a department")
        MEDICAL = "medical", _("medical visits and their costs, for a medical institution")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("code ends with"), max_length=4)
    purpose = models.CharField(_("purpose"), max_length=200)
    recipient = models.CharField(pgettext_lazy("exchange", "recipient"), max_length=100)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("uses"), default=0)
    # The department system that first presented the code: from then on, the only one it admits.
    client = models.CharField(_("used by"), max_length=150, blank=True)
    use = models.CharField(_("what it opens"), max_length=10, choices=Use.choices, default=Use.HISTORY)

    class Meta:
        verbose_name = _("consent code")
        verbose_name_plural = _("consent codes")
        ordering = ("-created_at",)


class Inquiry(BaseModel):
    """One answer given to another department: who asked, why, about whom, what was said
    (the signed payload) and its JWS."""

    class Kind(models.TextChoices):
        STATUS = "status", _("status (yes/no)")
        CERTIFICATE = "certificate", _("certificate verification")
        HISTORY = "history", _("employment and insurance history")
        MEDICAL = "medical", _("medical visits and their costs")

    kind = models.CharField(_("inquiry kind"), max_length=12, choices=Kind.choices)
    client = models.CharField(_("department system"), max_length=150)
    purpose = models.CharField(_("purpose"), max_length=200)
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="inquiries")
    answer = models.JSONField(_("answer"))
    jws = models.TextField()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("person", "created_at"), name="exchange_inquiry_person")]
