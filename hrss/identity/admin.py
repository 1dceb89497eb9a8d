from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from hrss.core.logging import mask_phone
from hrss.identity.models import AccountSession, ApiToken, BiometricCheck, ClientGrant, Role, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Administrators create staff here with roles and a data scope; the password form applies the policy."""

    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Roles and data scope"), {"fields": ("roles", "city_wide", "districts", "employer")}),
        (_("Real name"), {"fields": ("person", "masked_phone")}),
    )
    filter_horizontal = ("roles", "districts", "groups", "user_permissions")
    list_display = ("username", "first_name", "last_name", "is_active", "city_wide")
    raw_id_fields = ("employer",)
    readonly_fields = ("person", "masked_phone")

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj: User) -> str:
        return mask_phone(obj.phone) if obj.phone else "—"


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")


@admin.register(ClientGrant)
class ClientGrantAdmin(admin.ModelAdmin):
    list_display = ("application", "kind", "scopes", "created_by", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("application",)


@admin.register(AccountSession)
class AccountSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "method", "created_at", "ended_at")
    exclude = ("session_key",)
    readonly_fields = ("user", "method", "user_agent", "ip_address", "created_at", "ended_at")


@admin.register(BiometricCheck)
class BiometricCheckAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "matched", "score", "provider", "evidence_id", "requested_by")
    readonly_fields = (
        "person",
        "kind",
        "reference",
        "purpose",
        "provider",
        "matched",
        "score",
        "evidence_id",
        "requested_by",
    )
