"""Accounts, roles and data scopes; API tokens."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles


class Role(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Every account: citizens, employer agents, staff and agency clients alike (A6)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    roles = models.ManyToManyField(Role, blank=True, related_name="users")
    city_wide = models.BooleanField(default=False, help_text=_("data scope covers every district"))
    districts = models.ManyToManyField("codes.District", blank=True, related_name="+")
    person = models.OneToOneField(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
        help_text=_("the registry person a real-name account is bound to"),
    )
    employer = models.ForeignKey(
        "registry.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agents",
        help_text=_("the employer an employer agent acts for"),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("account")  # type: ignore[assignment]  # lazy text is what Django expects here
        verbose_name_plural = _("accounts")  # type: ignore[assignment]

    def role_codes(self) -> frozenset[str]:
        if not hasattr(self, "_role_codes"):
            self._role_codes = frozenset(self.roles.values_list("code", flat=True))
        return self._role_codes

    @property
    def is_bureau_staff(self) -> bool:
        return bool(self.role_codes() & roles.STAFF_ROLES)


class ApiToken(models.Model):
    """A bearer token for API clients and scripts; only its SHA-256 digest is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
