"""Accounts, roles and data scopes; API tokens."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.crypto import EncryptedTextField
from hrss.core.models import BaseModel


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
    # The mobile number one-time codes go to: the registry's number for a real-name
    # account. Encrypted; the blind index finds the account for a phone sign-in.
    phone = EncryptedTextField(_("mobile phone"), blank=True, default="")
    phone_index = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)

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

    @property
    def requires_second_factor(self) -> bool:
        """Bureau staff and anyone who may use the back office sign in with a TOTP second factor."""
        return self.is_bureau_staff or self.is_staff or self.is_superuser


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


class OneTimeCode(BaseModel):
    """A one-time code sent by SMS: only its keyed hash is kept; it expires, is used once
    and allows a few attempts (A6)."""

    class Purpose(models.TextChoices):
        SIGN_UP = "sign_up", _("real-name sign-up")
        SIGN_IN = "sign_in", _("sign-in by phone")
        EMPLOYER_AGENT = "employer_agent", _("employer agent confirmation")
        HOTLINE = "hotline", _("12333 hotline identity check")

    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # Blind index of the phone the code went to: rate limits without the number in clear.
    destination_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    context = models.JSONField(default=dict, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["destination_index", "created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class AccountSession(models.Model):
    """A signed-in browser session, listed on "my account" so it can be ended remotely."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    method = models.CharField(max_length=20, help_text=_("how the account signed in"))
    user_agent = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("account session")
        verbose_name_plural = _("account sessions")

    def __str__(self) -> str:
        return f"{self.user_id} {self.method} {self.created_at:%Y-%m-%d %H:%M}"

    # How an account signs in (``method``, with "+totp" when a second factor followed).
    METHOD_LABELS = {
        "password": _("password"),
        "phone_code": _("code sent to the mobile number"),
        "sign_up": _("real-name sign-up"),
    }

    def method_display(self) -> str:
        """The sign-in method in the reader's language, e.g. 密码 + 身份验证器."""
        first, _sep, second = self.method.partition("+")
        label = str(self.METHOD_LABELS.get(first, first))
        return f"{label} + {_('authenticator app')}" if second == "totp" else label


class ClientGrant(models.Model):
    """What an OAuth2/OIDC client may ask for: relying parties (SSO) and agency clients.

    The scopes backend offers a client only the scopes listed here, so a relying party
    without ``id_number`` can never obtain the ID number, whatever it requests.
    """

    class Kind(models.TextChoices):
        RELYING_PARTY = "relying_party", _("relying party (single sign-on)")
        AGENCY = "agency", _("agency client (client credentials)")

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="hrss_grant"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    scopes = models.CharField(max_length=500, help_text=_("space-separated scopes the client may be granted"))
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client grant")
        verbose_name_plural = _("client grants")

    def __str__(self) -> str:
        return f"{self.kind}: {self.scopes}"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class BiometricCheck(BaseModel):
    """One biometric comparison delegated to a certified provider, kept as evidence (A6, S3)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        LIVENESS_VIDEO = "liveness_video", _("liveness video")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(_("media reference"), max_length=300)
    purpose = models.CharField(max_length=200)
    provider = models.CharField(max_length=120)
    matched = models.BooleanField()
    score = models.DecimalField(max_digits=6, decimal_places=4)
    evidence_id = models.CharField(max_length=120)
    requested_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("biometric check")
        verbose_name_plural = _("biometric checks")

    def __str__(self) -> str:
        return f"{self.kind} {'match' if self.matched else 'no match'} {self.score}"
