from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrss.core.models import AuditEntry, JobRun, WorkdayOverride
from hrss.core.workdays import workday_overrides_changed


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("seq", "at", "actor", "actor_role", "action", "object_type", "object_id", "purpose")
    list_filter = ("action", "actor_role")
    search_fields = ("actor", "object_id", "action")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    # Append-only: nobody edits or deletes the chain, not even a superuser.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)

    def save_model(self, request: HttpRequest, obj: WorkdayOverride, form: Any, change: bool) -> None:
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        workday_overrides_changed()

    def delete_model(self, request: HttpRequest, obj: WorkdayOverride) -> None:
        super().delete_model(request, obj)
        workday_overrides_changed()


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """The record of the scheduled jobs' runs (``hrss schedule``): read-only."""

    list_display = ("job", "trigger", "started_at", "finished_at", "outcome", "counts")
    list_filter = ("job", "outcome", "trigger")
    readonly_fields = [f.name for f in JobRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
