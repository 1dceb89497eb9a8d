"""Shared base model and the kernel's own tables: the audit chain and workday overrides."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """UUID key plus created/updated stamps; every domain table inherits it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One entry of the append-only, hash-chained audit log (X1).

    A request appends its entry (``seq``: the order of appends) without reading the chain,
    in the same transaction as the change it records. The sealer (``hrss audit seal``, a
    scheduled job) then chains the unsealed entries in the order it finds them committed:
    ``chain_seq`` is the entry's place in the chain and
    ``hash = SHA-256(prev_hash || canonical(entry))``; changing, removing or reordering a
    sealed row breaks its link, which ``hrss audit verify`` names. ``chain_seq`` is empty
    until the entry is sealed (the unsealed tail).
    """

    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, help_text=_("username, agency client or system"))
    actor_role = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=80, blank=True, db_index=True)
    purpose = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    chain_seq = models.BigIntegerField(
        null=True, blank=True, unique=True, help_text=_("place in the sealed chain (empty: not sealed yet)")
    )
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditCheckpoint(models.Model):
    """A point up to which ``hrss audit verify`` found the chain intact (its last entry and hash).

    Written by each successful verification; the entries after the newest checkpoint are
    the chain's unverified tail (reported by /metrics). It is not a seal: a later tampering
    with an earlier entry is still found only by the next full verification.
    """

    seq = models.BigIntegerField(help_text=_("last entry verified"))
    hash = models.CharField(max_length=64)
    verified_at = models.DateTimeField()

    class Meta:
        ordering = ["-verified_at"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"#{self.seq} {self.verified_at:%Y-%m-%d %H:%M}"


class AuditTreeHead(models.Model):
    """A signed head of the sealed chain: its last entry and hash after one sealer batch.

    The sealer signs ``chain_seq``, ``hash`` and the time with the bureau's Ed25519 audit
    key (``hrss.core.audit.signing_key``). Heads are exported (``hrss audit heads``) to a
    party outside the database (an auditor, a supervising department); ``hrss audit verify
    --heads FILE`` then holds the chain to them. Someone able to rewrite the table could
    recompute every hash of a changed chain, but not the signatures of the heads already
    held outside.
    """

    chain_seq = models.BigIntegerField(unique=True, help_text=_("last entry of the batch"))
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()
    key_id = models.CharField(max_length=16, help_text=_("first 16 hex digits of the signing key's SHA-256"))
    signature = models.CharField(max_length=128, help_text=_("Ed25519 signature, base64"))

    class Meta:
        ordering = ["chain_seq"]
        verbose_name = _("audit tree head")
        verbose_name_plural = _("audit tree heads")

    def __str__(self) -> str:
        return f"#{self.chain_seq} {self.hash[:12]}"


class WorkdayOverride(models.Model):
    """An administrator's word on whether a date is a working day.

    Takes precedence over ``chinese-calendar``, and covers years the library does not know
    yet (the State Council publishes each year's holiday arrangement in the autumn).
    """

    date = models.DateField(unique=True)
    is_workday = models.BooleanField()
    note = models.CharField(max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("workday override")
        verbose_name_plural = _("workday overrides")

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"


class JobRun(models.Model):
    """One run of a scheduled job (``hrss.core.schedule``): when, how it ended, what it counted."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    id = models.BigAutoField(primary_key=True)
    job = models.CharField(max_length=80)
    trigger = models.CharField(max_length=20, default="manual", help_text=_("schedule, manual or catch-up"))
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "-started_at"])]
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class SchedulerLease(models.Model):
    """Who may fire scheduled jobs: one row, held by one live scheduler process at a time."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("scheduler lease")
        verbose_name_plural = _("scheduler leases")

    def __str__(self) -> str:
        return f"{self.name}: {self.holder or '-'} until {self.expires_at}"
