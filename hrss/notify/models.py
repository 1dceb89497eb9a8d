"""Outbound messages on every channel (SMS, WeChat, in-app): one row per message sent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrss.core.crypto import EncryptedTextField
from hrss.core.models import BaseModel


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    IN_APP = "in_app", _("in-app")


class OutboundMessage(BaseModel):
    """A message to one recipient: the recipient and the parameters are encrypted at rest.

    ``recipient_index`` is a keyed blind index of the recipient, so an inbox or a rate
    limit can find a recipient's messages without the number being stored in clear.
    Parameters of a sensitive message (a one-time code) are erased once it is delivered.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        WITHHELD = "withheld", _("not sent: the recipient opted out")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = EncryptedTextField(_("recipient"))
    recipient_index = models.CharField(max_length=64, db_index=True, editable=False)
    template = models.CharField(_("template"), max_length=80)
    params = EncryptedTextField(_("parameters"), blank=True, default="")
    sensitive = models.BooleanField(default=False, help_text=_("parameters are erased after delivery"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    backend = models.CharField(max_length=120, blank=True)
    provider_id = models.CharField(_("provider message id"), max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [models.Index(fields=["channel", "recipient_index", "created_at"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.template} ({self.status})"


class OptOut(BaseModel):
    """A recipient who asked for no more notices on a channel (an SMS reply ``TD``, or the
    message centre). One-time codes and answers to the recipient's own messages still go."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient_index = models.CharField(max_length=64, editable=False)
    source = models.CharField(_("how it was asked for"), max_length=20)

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        constraints = [models.UniqueConstraint(fields=["channel", "recipient_index"], name="notify_optout_unique")]

    def __str__(self) -> str:
        return f"{self.channel} opt-out ({self.source})"
