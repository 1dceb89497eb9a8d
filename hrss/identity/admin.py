from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from hrss.identity.models import ApiToken, Role, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Roles and data scope"), {"fields": ("roles", "city_wide", "districts", "employer")}),
    )
    filter_horizontal = ("roles", "districts", "groups", "user_permissions")
    list_display = ("username", "first_name", "last_name", "is_active", "city_wide")
    raw_id_fields = ("employer",)
    readonly_fields = ("person",)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")
